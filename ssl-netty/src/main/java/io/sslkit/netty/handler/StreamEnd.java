package io.sslkit.netty.handler;

import io.sslkit.Reason;
import java.util.Objects;

/**
 * How the decrypted stream ended: {@link Reason#CLOSED} for a clean end (close_notify, or the peer's FIN), or the
 * reason of the failure (a TLS alert, a reset). Delivered after every byte that arrived before it.
 *
 * @param reason what a reader is told ({@code closed}, {@code {tls_alert, …}}, {@code econnreset}, ...)
 * @param cause  the exception behind it, or {@code null} for a clean close
 */
public record StreamEnd(Reason reason, Throwable cause) {

    public StreamEnd {
        Objects.requireNonNull(reason, "reason");
    }

    /** A clean end of stream. */
    public static final StreamEnd CLOSED = new StreamEnd(Reason.CLOSED, null);

    /** Whether this is a clean close rather than an error. */
    public boolean isClean() {
        return cause == null && reason == Reason.CLOSED;
    }
}
