package io.sslkit.netty.engine;

import io.sslkit.Alert;
import javax.net.ssl.SSLHandshakeException;

/**
 * A handshake that sslkit itself ended with a fatal alert (a guard before the engine, such as
 * {@link io.sslkit.netty.context.AlpnGuard}): the alert is carried as a value, so nobody reads it from the message.
 */
public final class LocalAlertException extends SSLHandshakeException {

    private final Alert alert;

    public LocalAlertException(Alert alert, String message) {
        super(alert.name() + ": " + message);
        this.alert = alert;
    }

    /** The alert that was sent. */
    public Alert alert() {
        return alert;
    }
}
