package io.sslkit.netty.context;

import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.netty.engine.Engine;
import io.sslkit.netty.engine.Engine.Capability;
import java.util.ArrayList;
import java.util.List;

/**
 * Which engine a set of options runs on: what they need decides {@code auto}, and an engine that cannot do what they
 * ask is an options error naming the engine that can ({@code needs_jdk_engine}, {@code needs_openssl_engine}) —
 * never a connection that silently cannot.
 *
 * <table>
 *   <caption>Options that need a capability (see {@link Engine})</caption>
 *   <tr><th>option</th><th>capability</th></tr>
 *   <tr><td>{@code renegotiation true}, {@code renegotiate_at}, a server's {@code client_renegotiation true}</td>
 *       <td>{@link Capability#RENEGOTIATION}</td></tr>
 *   <tr><td>a server's {@code session_ticket_keys}</td><td>{@link Capability#TICKET_KEYS}</td></tr>
 *   <tr><td>a server's {@code reuse_sessions false} (a JDK server's TLS 1.3 tickets are stateless, so it cannot stop
 *       resumption per connection), {@code session_tickets disabled}</td>
 *       <td>{@link Capability#TICKETS_PER_CONNECTION}</td></tr>
 *   <tr><td>a server's {@code reuse_session} fun</td><td>{@link Capability#SESSION_ID_JUDGE}</td></tr>
 *   <tr><td>a server's {@code client_renegotiation false}</td>
 *       <td>{@link Capability#REFUSE_CLIENT_RENEGOTIATION}</td></tr>
 * </table>
 */
final class EngineChoice {

    /** An option that needs a capability: {@code {option, value}} in the error when the engine lacks it. */
    record Need(Capability capability, String option, String value) {
    }

    private EngineChoice() {
    }

    /** The engine for these options on one side ({@code auto} resolved). */
    static Engine choose(SslOptions o, boolean server) throws SslException {
        List<Need> needs = needs(o, server);
        if (Engine.all().stream().noneMatch(e -> canAll(e, needs))) {
            // the first need is named: renegotiation-type needs come first, the ones a user adds on purpose
            Need first = needs.get(0);
            throw new SslException(new Reason.Options(first.option(), first.value(), "incompatible"));
        }
        Engine e = Engine.resolve(o.provider()); // auto: BoringSSL when it loads
        if (o.provider() == Provider.AUTO && !canAll(e, needs)) {
            e = Engine.available().stream().filter(x -> canAll(x, needs)).findFirst().orElse(e);
        }
        for (Need n : needs) {
            if (!e.can(n.capability())) {
                Engine able = Engine.all().stream().filter(x -> x.can(n.capability())).findFirst().orElseThrow();
                throw new SslException(new Reason.Options(n.option(), n.value(), able.needsAtom()));
            }
        }
        return e;
    }

    private static boolean canAll(Engine e, List<Need> needs) {
        return needs.stream().allMatch(n -> e.can(n.capability()));
    }

    /** What the options need, in the order their errors are reported (may throw for a value no engine takes). */
    private static List<Need> needs(SslOptions o, boolean server) throws SslException {
        List<Need> out = new ArrayList<>();
        if (o.renegotiation()) {
            out.add(new Need(Capability.RENEGOTIATION, "renegotiation", "true"));
        }
        if (o.renegotiateAt().isPresent()) {
            out.add(new Need(Capability.RENEGOTIATION, "renegotiate_at",
                    String.valueOf(o.renegotiateAt().getAsLong())));
        }
        if (server && o.clientRenegotiation().orElse(false)) {
            out.add(new Need(Capability.RENEGOTIATION, "client_renegotiation", "true"));
        }
        Need session = ResumptionRules.need(o, server); // session_tickets, reuse_session fun
        if (server && !o.sessionTicketKeys().isEmpty()) {
            out.add(new Need(Capability.TICKET_KEYS, "session_ticket_keys", "[keys]"));
        }
        if (server && !o.reuseSessions()) {
            out.add(new Need(Capability.TICKETS_PER_CONNECTION, "reuse_sessions", "false"));
        }
        if (session != null) {
            out.add(session);
        }
        if (server && !o.clientRenegotiation().orElse(true)) {
            out.add(new Need(Capability.REFUSE_CLIENT_RENEGOTIATION, "client_renegotiation", "false"));
        }
        return out;
    }
}
