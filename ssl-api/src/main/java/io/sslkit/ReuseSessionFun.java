package io.sslkit;

/**
 * A server's {@code {reuse_session, fun(SuggestedSessionId, PeerCert, Compression, CipherSuite) -> boolean()}}:
 * asked, before the handshake goes on, whether the session a client offers by its id may be resumed. {@code false}
 * (or an exception, which is logged) makes the handshake a full one, with a new session id.
 *
 * <p>It judges TLS 1.2 session-id resumption, as in OTP. TLS 1.3 resumes from tickets, which
 * {@link SslOptions.Builder#sessionTickets(SessionTickets)} governs; the fun is not asked for them.
 *
 * <p>Called on the connection's event loop: keep it quick and do not block.
 */
@FunctionalInterface
public interface ReuseSessionFun {

    /** The default, OTP's: every session the server still knows may be resumed. */
    ReuseSessionFun ACCEPT_ALL = (id, peerCert, compression, suite) -> true;

    /**
     * @param suggestedSessionId the session id from the client's hello
     * @param peerCertDer        the client certificate of that session (DER), or {@code null} if it had none
     * @param compression        the session's compression method: always 0 ({@code null}); TLS compression is
     *                           gone, the argument keeps OTP's shape
     * @param cipherSuite        the session's cipher suite, IANA name (e.g.
     *                           {@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256})
     * @return whether the session may be resumed
     */
    boolean reuse(byte[] suggestedSessionId, byte[] peerCertDer, int compression, String cipherSuite);
}
