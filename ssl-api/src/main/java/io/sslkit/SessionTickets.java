package io.sslkit;

/**
 * {@code session_tickets}: how TLS 1.3 sessions are resumed from tickets (and, on a server, whether TLS 1.2
 * tickets are issued). One option with values per role, as in OTP; a value of the other role fails
 * {@code connect}/{@code listen} with an options error.
 *
 * <p>Unset, a client behaves as {@link #AUTO} and a server as {@link #STATELESS}: sslkit resumes by default,
 * unlike OTP, whose default is {@code disabled}.
 */
public enum SessionTickets {

    /**
     * Client and server: no tickets. A server sends none (TLS 1.3: no resumption; TLS 1.2: session ids only) —
     * this needs BoringSSL, the JDK engine's tickets being switched only JVM-wide
     * ({@code jdk.tls.server.enableSessionTicketExtension}); {@code auto} picks BoringSSL, {@code jdk} is an
     * options error. A client with TLS 1.3 among its {@code versions} offers no cached session at all: neither
     * engine can be kept from offering the TLS 1.3 tickets it received (BoringSSL's client ignores
     * {@code SSL_OP_NO_TICKET} for TLS 1.3, the JDK caches every ticket), so it is given a session cache key of its
     * own per connection, which also means no TLS 1.2 resumption (unlike OTP, which still resumes TLS 1.2 by id).
     * A TLS 1.2-only client resumes by session id as usual (BoringSSL offers no tickets; the JDK's TLS 1.2
     * ticket extension is JVM-wide: {@code jdk.tls.client.enableSessionTicketExtension}). A saved session given
     * with {@link SslOptions.Builder#reuseSession(SavedSession)} is still resumed.
     */
    DISABLED,

    /** Client: tickets are kept and the next connection to the same host and port offers one. */
    AUTO,

    /**
     * Client, OTP's {@code manual} ({@code {ssl, session_ticket, T}} messages and {@code {use_ticket, [T]}}):
     * <b>not available</b>, an options error ({@code not_supported_by_engines}). Neither engine hands out
     * NewSessionTicket messages: the JDK engine consumes them inside itself and keeps the session in its client
     * cache; Netty's BoringSSL engine stores them in its own per-context cache. Use
     * {@link SslSocket#session()} and {@link SslOptions.Builder#reuseSession(SavedSession)} for explicit resumption.
     */
    MANUAL,

    /**
     * Server, OTP's {@code stateful}: tickets that only name a session kept in the server. <b>Not available</b>
     * (options error {@code not_supported_by_engines}): BoringSSL's TLS 1.3 tickets are always stateless, and the
     * JDK engine is stateful only when the JVM-wide {@code jdk.tls.server.enableSessionTicketExtension} is
     * {@code false}, which sslkit does not rely on.
     */
    STATEFUL,

    /**
     * Server: self-contained tickets, encrypted with the server's ticket keys
     * ({@link SslOptions.Builder#sessionTicketKeys}); what both engines do by default.
     */
    STATELESS,

    /** Server, OTP's {@code stateful_with_cert}: as {@link #STATEFUL}, not available. */
    STATEFUL_WITH_CERT,

    /**
     * Server, OTP's {@code stateless_with_cert}: as {@link #STATELESS}. Both engines keep the client's
     * certificate in the ticket anyway, so {@link SslSocket#peercert()} of a resumed connection gives it in both
     * modes (OTP's {@code stateless} gives {@code no_peercert}).
     */
    STATELESS_WITH_CERT;

    /** Whether this value is one for servers ({@link #DISABLED} is for both). */
    public boolean forServer() {
        return this != AUTO && this != MANUAL;
    }

    /** Whether this value is one for clients ({@link #DISABLED} is for both). */
    public boolean forClient() {
        return this == DISABLED || this == AUTO || this == MANUAL;
    }

    /** OTP's atom. */
    public String atom() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
