package io.sslkit.netty.trust;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust manager of {@link VerifyFunTrustManagerFactory}: runs {@link PathValidator} on the peer's chain and
 * turns a failure into the exception that makes the engine send the right alert ({@link EngineAlerts}).
 */
final class VerifyFunTrustManager extends X509ExtendedTrustManager {

    private final PathValidator validator;
    private final boolean checkHostname;

    VerifyFunTrustManager(PathValidator validator, boolean checkHostname) {
        this.validator = validator;
        this.checkHostname = checkHostname;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        String host = checkHostname && engine != null ? referenceHost(engine.getSSLParameters(),
                engine.getPeerHost()) : null;
        check(chain, Purpose.SERVER_AUTH, host, authType, engine, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, Purpose.CLIENT_AUTH, null, authType, engine, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String host = null;
        if (checkHostname && socket instanceof SSLSocket s) {
            host = referenceHost(s.getSSLParameters(), s.getHandshakeSession() == null ? null
                    : s.getHandshakeSession().getPeerHost());
        }
        check(chain, Purpose.SERVER_AUTH, host, authType, null, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, Purpose.CLIENT_AUTH, null, authType, null, false);
    }

    /** Without an engine there is no host name to check against. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Purpose.SERVER_AUTH, null, authType, null, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Purpose.CLIENT_AUTH, null, authType, null, false);
    }

    /** The trusted certificates: servers name them in their CertificateRequest. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return validator.anchors().toArray(new X509Certificate[0]);
    }

    private void check(X509Certificate[] chain, Purpose purpose, String host, String authType, SSLEngine engine,
            boolean clientSide) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the peer sent no certificate");
        }
        List<X509Certificate> certs = Arrays.asList(chain);
        try {
            validator.validate(certs, purpose, host, authType);
        } catch (CertificateRejectedException e) {
            throw EngineAlerts.toThrow(e, engine, clientSide);
        }
    }

    /** OTP: the name checked is the SNI name sent, else the host given to connect. */
    static String referenceHost(SSLParameters params, String peerHost) {
        List<SNIServerName> names = params == null ? null : params.getServerNames();
        if (names != null) {
            for (SNIServerName n : names) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName();
                }
            }
        }
        return peerHost;
    }
}
