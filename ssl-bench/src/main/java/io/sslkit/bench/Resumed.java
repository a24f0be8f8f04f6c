package io.sslkit.bench;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import javax.net.ssl.SSLEngine;

/** Whether an engine's finished handshake resumed a session (call on its event loop, before it closes). */
final class Resumed {

    private Resumed() {
    }

    static boolean of(SSLEngine engine, long handshakeStartMillis) {
        if (engine instanceof ReferenceCountedOpenSslEngine openssl) {
            synchronized (openssl) {
                long ssl = openssl.sslPointer();
                return ssl != 0 && SSL.isSessionReused(ssl);
            }
        }
        // The JDK has no such call: a resumed session is a cached one, made before this handshake began.
        return engine.getSession().getCreationTime() < handshakeStartMillis;
    }
}
