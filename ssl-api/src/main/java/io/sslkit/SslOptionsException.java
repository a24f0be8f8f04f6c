package io.sslkit;

import java.util.Objects;

/**
 * An option or its value is wrong: thrown by {@link SslOptions.Builder#build()}, carrying the same
 * {@code {options, …}} {@link Reason} that {@code connect}/{@code listen} would return. Unchecked, because it
 * reports a mistake in the program (or in configuration it passed through), not a condition of the network.
 */
public class SslOptionsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Reason.Options reason;

    public SslOptionsException(Reason.Options reason) {
        super(Ssl.formatError(Objects.requireNonNull(reason, "reason")));
        this.reason = reason;
    }

    /** The {@code {options, …}} reason. */
    public Reason.Options reason() {
        return reason;
    }
}
