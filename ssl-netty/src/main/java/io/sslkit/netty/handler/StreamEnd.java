package io.sslkit.netty.handler;

import io.sslkit.Reason;
import java.util.Objects;

/**
 * How the decrypted stream ended: {@link Reason#CLOSED} for an end of stream, or the reason of a failure (a TLS
 * alert, an invalid packet). Delivered after every byte that arrived before it.
 *
 * @param reason      what a reader is told ({@code closed}, {@code {tls_alert, …}}, {@code {invalid_packet, …}})
 * @param cause       the exception behind it, or {@code null}
 * @param closeNotify for an end of stream: whether the peer sent close_notify (a clean TLS close) or only closed
 *                    TCP (a half-close, a reset — or a truncation attack, which cannot be told apart on the wire)
 */
public record StreamEnd(Reason reason, Throwable cause, boolean closeNotify) {

    public StreamEnd {
        Objects.requireNonNull(reason, "reason");
    }

    /** An end of stream after close_notify. */
    public static final StreamEnd CLOSED = new StreamEnd(Reason.CLOSED, null, true);

    /** An end of stream without close_notify (TCP FIN or reset). */
    public static final StreamEnd TRUNCATED = new StreamEnd(Reason.CLOSED, null, false);

    /** A failure. */
    public StreamEnd(Reason reason, Throwable cause) {
        this(reason, cause, false);
    }

    /** Whether this is an end of stream rather than an error ({@code closed}, clean or not). */
    public boolean isClean() {
        return reason == Reason.CLOSED;
    }
}
