package io.sslkit;

import java.io.IOException;
import java.util.Objects;

/**
 * An operation failed: Erlang's {@code {error, Reason}}. {@link #reason()} says why, as a value a program can
 * match on; {@link #getMessage()} is {@link Ssl#formatError(Reason)} of it.
 */
public class SslException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Reason reason;

    public SslException(Reason reason) {
        this(reason, null);
    }

    public SslException(Reason reason, Throwable cause) {
        super(Ssl.formatError(Objects.requireNonNull(reason, "reason")), cause);
        this.reason = reason;
    }

    /** The reason, as in {@code {error, Reason}}. */
    public Reason reason() {
        return reason;
    }
}
