package io.sslkit.netty;

import io.sslkit.SslOptions;
import io.sslkit.netty.engine.Engine;
import javax.net.ssl.SSLEngine;

/**
 * Whether a finished handshake resumed an earlier session ({@link Engine#resumed}), and what a finished handshake
 * does to its session; asked on the event loop right after the handshake.
 */
final class Resumption {

    private Resumption() {
    }

    /**
     * @param handshakeStartMillis when this connection's handshake began ({@link System#currentTimeMillis()})
     */
    static boolean resumed(SSLEngine engine, long handshakeStartMillis) {
        return Engine.of(engine).resumed(engine, handshakeStartMillis);
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
