package io.sslkit.netty.context;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import io.sslkit.Reason;
import io.sslkit.SessionTickets;
import io.sslkit.SslException;
import io.sslkit.SslOptions;

/**
 * What the session options ({@code session_tickets}, {@code reuse_session}) ask of the engines: which ones no
 * engine can do (an options error), which need BoringSSL, and how a BoringSSL engine is set up for them.
 */
final class ResumptionRules {

    private ResumptionRules() {
    }

    /**
     * Checks the session options for a role.
     *
     * @return the option that needs BoringSSL ({@code {option, value}}), or {@code null} if none does
     * @throws SslException an options error for a value of the other role or one no engine can honour
     */
    static String[] needingOpenssl(SslOptions o, boolean server) throws SslException {
        SessionTickets t = o.sessionTickets().orElse(null);
        if (t != null) {
            if (server && !t.forServer()) {
                throw new SslException(new Reason.Options("session_tickets", t.atom(), "client_only"));
            }
            if (!server && !t.forClient()) {
                throw new SslException(new Reason.Options("session_tickets", t.atom(), "server_only"));
            }
            if (t == SessionTickets.MANUAL || t == SessionTickets.STATEFUL || t == SessionTickets.STATEFUL_WITH_CERT) {
                throw new SslException(new Reason.Options("session_tickets", t.atom(), "not_supported_by_engines"));
            }
        }
        if (!server) {
            if (o.reuseSessionFun().isPresent()) {
                throw new SslException(new Reason.Options("reuse_session", "fun", "server_only"));
            }
            return null;
        }
        if (o.reuseSession().isPresent()) {
            throw new SslException(new Reason.Options("reuse_session", "{SessionId,SessionData}", "client_only"));
        }
        if (o.reuseSessionFun().isPresent()) {
            if (o.choosesBySni()) {
                // the gate sees the hello before the SNI selector has made the connection's engine
                throw new SslException(new Reason.Options("reuse_session", "fun", "incompatible"));
            }
            // a JDK server resumes TLS 1.2 from stateless tickets it cannot look into (JVM-wide switch only)
            return new String[] {"reuse_session", "fun"};
        }
        if (t == SessionTickets.DISABLED) {
            // the JDK's tickets are switched off JVM-wide only (jdk.tls.server.enableSessionTicketExtension)
            return new String[] {"session_tickets", "disabled"};
        }
        return null;
    }

    /**
     * Sets up a new BoringSSL engine for the session options, before its handshake; JDK engines need nothing here.
     * {@code session_tickets disabled}: {@code SSL_OP_NO_TICKET} on the connection. Netty sets it on every context
     * and clears it per connection when TLS 1.3 is enabled (BoringSSL resumes TLS 1.3 only from tickets); set
     * again it means no TLS 1.2 tickets (session ids remain) and no TLS 1.3 tickets, sent or accepted.
     */
    static void apply(javax.net.ssl.SSLEngine engine, SslOptions o) {
        if (o.sessionTickets().orElse(null) == SessionTickets.DISABLED
                && engine instanceof ReferenceCountedOpenSslEngine e) {
            synchronized (e) {
                if (e.sslPointer() != 0) {
                    SSL.setOptions(e.sslPointer(), SSL.SSL_OP_NO_TICKET);
                }
            }
        }
    }
}
