package io.sslkit.netty.handler;

import io.sslkit.Alert;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The peer sent bytes that are not a well-formed TLS record stream, and {@link RecordGuard} ended the connection
 * before the engine saw them. Fired as {@code exceptionCaught}; sslkit reports it as
 * {@code {tls_alert, {Alert, ...}}} sent by this side.
 */
public final class MalformedRecordException extends SSLException {

    private static final long serialVersionUID = 1L;

    private final transient Alert alert;

    /**
     * @param alert   the alert this side answered with ({@code CLOSE_NOTIFY} when none fits: a stalled record)
     * @param message what was wrong, for the log and {@code format_error}
     */
    public MalformedRecordException(Alert alert, String message) {
        super(message);
        this.alert = Objects.requireNonNull(alert, "alert");
    }

    /** The alert sent to the peer. */
    public Alert alert() {
        return alert;
    }
}
