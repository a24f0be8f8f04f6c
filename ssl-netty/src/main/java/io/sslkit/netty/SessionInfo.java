package io.sslkit.netty;

import io.netty.handler.ssl.SslHandler;
import io.sslkit.ConnectionInfo;
import io.sslkit.Protocol;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.handler.StreamEnd;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/** Reads {@code connection_information} out of an established session. */
final class SessionInfo {

    private SessionInfo() {
    }

    static ConnectionInfo of(SSLSession s, SslHandler ssl, TlsContext tls, StreamEnd readEnd, boolean resumed) {
        Protocol protocol = Protocol.fromName(s.getProtocol()).orElse(Protocol.TLS_V1_2);
        ConnectionInfo.PeerClose peerClose = readEnd == null ? ConnectionInfo.PeerClose.OPEN
                : readEnd.closeNotify() ? ConnectionInfo.PeerClose.CLOSE_NOTIFY : ConnectionInfo.PeerClose.TRUNCATED;
        return new ConnectionInfo(protocol, s.getCipherSuite(), tls.provider(), sni(s, ssl, tls),
                Optional.ofNullable(ssl.applicationProtocol()), s.getId(), resumed, peerClose);
    }

    private static Optional<String> sni(SSLSession s, SslHandler ssl, TlsContext tls) {
        if (tls.client()) {
            // The name this client sent: the engine's peer host unless SNI is disabled or it is an IP literal.
            // Both engines send SNI only for a name with a dot (RFC 6066 asks for a fully qualified name), so
            // "localhost" is checked against the certificate but not sent.
            String peer = ssl.engine().getPeerHost();
            if (tls.options().serverNameIndicationDisabled() || peer == null || isIpLiteral(peer)
                    || peer.indexOf('.') < 0) {
                return Optional.empty();
            }
            return Optional.of(peer);
        }
        if (s instanceof ExtendedSSLSession ext) {
            try {
                for (SNIServerName n : ext.getRequestedServerNames()) {
                    if (n instanceof SNIHostName h) {
                        return Optional.of(h.getAsciiName());
                    }
                }
            } catch (UnsupportedOperationException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }
}
