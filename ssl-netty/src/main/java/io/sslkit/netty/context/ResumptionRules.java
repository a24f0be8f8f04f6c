package io.sslkit.netty.context;

import io.sslkit.Reason;
import io.sslkit.SessionTickets;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.netty.engine.Engine;
import io.sslkit.netty.engine.Engine.Capability;
import javax.net.ssl.SSLEngine;

/**
 * What the session options ({@code session_tickets}, {@code reuse_session}) ask of the engines: which ones no
 * engine can do (an options error), which need a capability of some engine ({@link EngineChoice}), and how a new
 * engine is set up for them.
 */
final class ResumptionRules {

    private ResumptionRules() {
    }

    /**
     * Checks the session options for a role.
     *
     * @return the session option that needs a capability, or {@code null} if none does
     * @throws SslException an options error for a value of the other role or one no engine can honour
     */
    static EngineChoice.Need need(SslOptions o, boolean server) throws SslException {
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
            return new EngineChoice.Need(Capability.SESSION_ID_JUDGE, "reuse_session", "fun");
        }
        if (t == SessionTickets.DISABLED) {
            // the JDK's tickets are switched off JVM-wide only (jdk.tls.server.enableSessionTicketExtension)
            return new EngineChoice.Need(Capability.TICKETS_PER_CONNECTION, "session_tickets", "disabled");
        }
        return null;
    }

    /**
     * Sets up a new engine for the session options, before its handshake: {@code session_tickets disabled} means no
     * ticket on this connection ({@link Engine#noTickets}; such options only resolve to an engine that can).
     */
    static void apply(Engine engine, SSLEngine sslEngine, SslOptions o) {
        if (o.sessionTickets().orElse(null) == SessionTickets.DISABLED) {
            engine.noTickets(sslEngine);
        }
    }
}
