package io.sslkit;

import java.util.Optional;

/**
 * What {@code ssl:connection_information/1} tells about an established connection.
 *
 * @param protocol             the negotiated version
 * @param cipherSuite          the negotiated suite, IANA name (e.g. {@code TLS_AES_128_GCM_SHA256})
 * @param provider             the engine that runs the connection: {@code openssl} (BoringSSL) or {@code jdk}
 * @param sniHostname          server side: the name the client asked for with SNI; client side: the name it sent
 * @param negotiatedProtocol   the ALPN protocol, if one was agreed
 * @param sessionId            the TLS session id (may be empty, e.g. for TLS 1.3)
 * @param sessionResumed       whether the handshake resumed an earlier session
 * @param peerClose            how the peer's side ended, so far: {@code OPEN}, {@code CLOSE_NOTIFY} (a clean TLS
 *                             close), or {@code TRUNCATED} (TCP closed without close_notify: a half-close from
 *                             {@code shutdown(write)}, a reset, or a truncation attack)
 */
public record ConnectionInfo(
        Protocol protocol,
        String cipherSuite,
        Provider provider,
        Optional<String> sniHostname,
        Optional<String> negotiatedProtocol,
        byte[] sessionId,
        boolean sessionResumed,
        PeerClose peerClose) {

    /** How the peer's sending side has ended. */
    public enum PeerClose { OPEN, CLOSE_NOTIFY, TRUNCATED }

    public ConnectionInfo {
        sessionId = sessionId == null ? new byte[0] : sessionId.clone();
    }

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    @Override
    public String toString() {
        return "[{protocol," + protocol + "},{selected_cipher_suite,\"" + cipherSuite + "\"},{provider," + provider
                + "}" + sniHostname.map(s -> ",{sni_hostname,\"" + s + "\"}").orElse("")
                + negotiatedProtocol.map(s -> ",{negotiated_protocol,<<\"" + s + "\">>}").orElse("")
                + ",{session_resumption," + sessionResumed + "},{peer_close," + peerClose + "}]";
    }
}
