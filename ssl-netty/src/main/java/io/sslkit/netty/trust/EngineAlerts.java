package io.sslkit.netty.trust;

import io.sslkit.netty.engine.Engine;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * Makes each engine send the alert of a failed validation, or the nearest one it can: which alert that is, and the
 * exception that makes the engine send it, are the engine's ({@link Engine#rejectionAlert},
 * {@link Engine#rejectionException}; BoringSSL sends exactly OTP's alert, JSSE its own choice, by JDK release).
 */
final class EngineAlerts {

    private EngineAlerts() {
    }

    /**
     * The exception to throw to {@code engine} for a failed validation; records on {@code e} the alert that the
     * engine will send.
     *
     * @param clientSide whether this side is the client (checking the server)
     */
    static CertificateException toThrow(CertificateRejectedException e, SSLEngine engine, boolean clientSide) {
        Engine tls = Engine.of(engine);
        e.sentAlert(tls.rejectionAlert(e.reason().alert(), clientSide, protocolOf(engine)));
        return tls.rejectionException(e, e.sentAlert());
    }

    private static String protocolOf(SSLEngine engine) {
        SSLSession s = engine == null ? null : engine.getHandshakeSession();
        return s == null ? null : s.getProtocol();
    }
}
