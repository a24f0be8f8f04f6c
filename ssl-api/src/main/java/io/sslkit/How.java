package io.sslkit;

/** The direction for {@code ssl:shutdown/2}: {@code read}, {@code write} or {@code read_write}. */
public enum How {
    READ,
    WRITE,
    READ_WRITE
}
