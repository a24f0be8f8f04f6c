package io.sslkit.netty;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import io.sslkit.SslOptions;
import javax.net.ssl.SSLEngine;

/** Whether a finished handshake resumed an earlier session; asked on the event loop right after the handshake. */
final class Resumption {

    private Resumption() {
    }

    /**
     * @param handshakeStartMillis when this connection's handshake began ({@link System#currentTimeMillis()})
     */
    static boolean resumed(SSLEngine engine, long handshakeStartMillis) {
        if (engine instanceof ReferenceCountedOpenSslEngine openssl) {
            synchronized (openssl) {
                long ssl = openssl.sslPointer();
                return ssl != 0 && SSL.isSessionReused(ssl);
            }
        }
        // The JDK has no such call; a resumed session is the cached one, made by an earlier handshake.
        return engine.getSession().getCreationTime() < handshakeStartMillis;
    }

    /**
     * Right after a handshake: a session that must never be offered or accepted again ({@code reuse_sessions
     * false}) is invalidated, which removes it from the engine's cache. A client that resumed a saved session
     * explicitly keeps it (its own options may say false: the explicit session comes first, as in OTP).
     */
    static void afterHandshake(SSLEngine engine, SslOptions opts, boolean client) {
        if (!opts.reuseSessions() && !(client && opts.reuseSession().isPresent())) {
            engine.getSession().invalidate();
        }
    }
}
