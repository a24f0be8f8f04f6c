package io.sslkit.netty.handler;

import io.sslkit.Reason;

/** Why an {@link ActiveModeHandler#recv} failed: a {@link Reason}, with the exception behind it if any. */
public final class RecvException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Reason reason;

    public RecvException(Reason reason) {
        this(reason, null);
    }

    public RecvException(Reason reason, Throwable cause) {
        super(reason.toString(), cause, false, false);
        this.reason = reason;
    }

    /** The reason a reader is told. */
    public Reason reason() {
        return reason;
    }
}
