package io.sslkit;

/**
 * The {@code mode} option: the shape of received data.
 *
 * <ul>
 *   <li>{@link #BINARY} (the sslkit default, unlike OTP's {@code list}): {@code byte[]}.</li>
 *   <li>{@link #LIST}: an Erlang byte list, which Erlang prints as a string; in Java a {@link String} whose chars are
 *   the bytes 0..255 (ISO-8859-1), so {@code "Hello"} reads as it would in an Erlang shell.</li>
 * </ul>
 */
public enum Mode {
    BINARY("binary"),
    LIST("list");

    private final String erlangName;

    Mode(String erlangName) {
        this.erlangName = erlangName;
    }

    public String erlangName() {
        return erlangName;
    }

    @Override
    public String toString() {
        return erlangName;
    }
}
