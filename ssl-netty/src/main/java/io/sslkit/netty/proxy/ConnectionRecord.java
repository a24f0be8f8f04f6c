package io.sslkit.netty.proxy;

/**
 * What happened to one proxied connection, given to {@link ProxyListener#closed} when both sides are closed: the
 * fields of an access-log line.
 *
 * @param client    the client's address, {@code ip:port} (from the PROXY header when one was accepted)
 * @param sni       the server name the client sent, or {@code null}
 * @param alpn      the negotiated application protocol, or {@code null}
 * @param protocol  {@code tlsv1.3}, {@code tlsv1.2}..., or {@code null} (no handshake, or passed through)
 * @param cipher    the cipher suite, or {@code null}
 * @param backend   where the bytes went, or {@code null} (not routed)
 * @param bytesIn   bytes from the client forwarded to the backend (decrypted, when terminating)
 * @param bytesOut  bytes from the backend forwarded to the client
 * @param millis    from accept to the close of both sides
 * @param outcome   {@code ok}, {@code refused}, {@code handshake_failed}, {@code backend_failed},
 *                  {@code timeout}, {@code idle}, {@code error} or {@code stopped}
 * @param reason    the one-line reason (an alert, a POSIX code...) when the outcome is not {@code ok}, else
 *                  {@code null}
 */
public record ConnectionRecord(String client, String sni, String alpn, String protocol, String cipher,
                               String backend, long bytesIn, long bytesOut, long millis, String outcome,
                               String reason) {

    /** The record as one {@code key=value} line ({@code -} for a missing value; the reason last, quoted). */
    public String toLine() {
        return "client=" + client + " sni=" + dash(sni) + " alpn=" + dash(alpn) + " protocol=" + dash(protocol)
                + " cipher=" + dash(cipher) + " backend=" + dash(backend) + " in=" + bytesIn + " out=" + bytesOut
                + " ms=" + millis + " outcome=" + outcome + (reason == null ? "" : " reason=\"" + reason + "\"");
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
