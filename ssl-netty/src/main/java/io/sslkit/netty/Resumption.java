package io.sslkit.netty;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import io.sslkit.Protocol;
import io.sslkit.SessionTickets;
import io.sslkit.SslOptions;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

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
     * Right after a handshake: sessions that must never be offered or accepted again are invalidated (removed
     * from the engine's cache). {@code reuse_sessions false} (a client that resumes a saved session keeps it),
     * and a TLS 1.3 client with {@code session_tickets disabled}: invalidated before the server's tickets arrive,
     * the JDK engine keeps none of them (BoringSSL's context is told {@code SSL_OP_NO_TICKET} already).
     */
    static void afterHandshake(SSLEngine engine, SslOptions opts, boolean client) {
        SSLSession s = engine.getSession();
        boolean neverAgain = !opts.reuseSessions() && !(client && opts.reuseSession().isPresent());
        boolean noTickets = client && opts.sessionTickets().orElse(null) == SessionTickets.DISABLED
                && Protocol.TLS_V1_3.javaName().equals(s.getProtocol());
        if (neverAgain || noTickets) {
            s.invalidate();
        }
    }
}
