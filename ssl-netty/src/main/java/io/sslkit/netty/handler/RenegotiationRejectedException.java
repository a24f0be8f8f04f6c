package io.sslkit.netty.handler;

import javax.net.ssl.SSLHandshakeException;

/**
 * A renegotiation that this side started by itself ({@link RenegotiateAtHandler}) ended with the connection: the peer
 * closed it instead of answering (as a BoringSSL server does: its fatal alert often never gets read, because the
 * TCP reset that follows it fails our writes first). Fired as {@code exceptionCaught} so that the application hears
 * of it as a failure — OTP's {@code {ssl_error, S, _}} — rather than as a plain close; sslkit reports it as
 * {@code renegotiation_rejected}.
 */
public final class RenegotiationRejectedException extends SSLHandshakeException {

    private static final long serialVersionUID = 1L;

    public RenegotiationRejectedException(Throwable cause) {
        super("the peer ended the connection instead of renegotiating (renegotiate_at)");
        initCause(cause);
    }
}
