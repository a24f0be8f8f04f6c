package io.sslkit.netty;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
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
}
