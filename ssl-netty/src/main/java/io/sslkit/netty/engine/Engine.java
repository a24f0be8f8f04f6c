package io.sslkit.netty.engine;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Promise;
import io.sslkit.Alert;
import io.sslkit.CipherSuite;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.netty.context.TlsContext;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;

/**
 * What sslkit knows about one TLS engine: what it can do, the handlers it needs around its {@code SslHandler}, how
 * its {@link SSLEngine}s are set up, how a resumed handshake and a failure's alert are read from it, and its
 * versions. The only place where BoringSSL and the JDK are told apart; everything else asks the engine.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Engine engine = tls.engine();                       // or Engine.of(sslEngine), Engine.resolve(Provider.AUTO)
 * engine.alpnGuard(serverProtocols, failure).ifPresent(g -> pipeline.addLast(g.name(), g.handler()));
 * if (engine.renegotiates()) { sslHandler.renegotiate(); } else { throw notsup; }
 * }</pre>
 *
 * <h2>The two engines</h2>
 * <table>
 *   <caption>Capabilities</caption>
 *   <tr><th>capability</th><th>{@link BoringSslEngine}</th><th>{@link JdkEngine}</th></tr>
 *   <tr><td>renegotiation (TLS 1.2), {@code renegotiate_at}, a client's renegotiation</td><td>no</td>
 *       <td>yes</td></tr>
 *   <tr><td>key update (TLS 1.3, {@code ssl:update_keys/2})</td><td>no</td><td>yes</td></tr>
 *   <tr><td>refuse a client's renegotiation</td><td>yes (always)</td><td>no (rate-limited only)</td></tr>
 *   <tr><td>session-ticket keys, no tickets per connection, a {@code reuse_session} fun</td><td>yes</td>
 *       <td>no (JVM-wide switches only)</td></tr>
 *   <tr><td>{@code no_application_protocol} sent by the engine</td><td>no ({@code AlpnGuard} sends it)</td>
 *       <td>yes</td></tr>
 *   <tr><td>flush consolidation before the engine</td><td>yes</td>
 *       <td>no (a held send would follow a renegotiation's ClientHello)</td></tr>
 * </table>
 *
 * <p>Which alert a failure sent or received is read by the engine's {@link AlertDecoder}; the JDK's differences
 * between releases are in one table in {@link JdkEngine}.
 */
public sealed interface Engine permits BoringSslEngine, JdkEngine {

    /** The engine as a {@code provider} option value ({@code openssl} or {@code jdk}, never {@code auto}). */
    Provider provider();

    /** Netty's name for it, for {@code SslContextBuilder.sslProvider}. */
    SslProvider nettyProvider();

    /** A capability an option can need; see the class table. */
    enum Capability {
        /** Renegotiation (TLS 1.2) from either side, and key update (TLS 1.3). */
        RENEGOTIATION,
        /** Refusing every client-initiated renegotiation. */
        REFUSE_CLIENT_RENEGOTIATION,
        /** Setting and rotating session-ticket keys per server context. */
        TICKET_KEYS,
        /** Issuing no session ticket on one connection ({@code reuse_sessions false}, {@code session_tickets}). */
        TICKETS_PER_CONNECTION,
        /** Asking a {@code reuse_session} fun about the session id a client offers. */
        SESSION_ID_JUDGE
    }

    /** Whether this engine can do {@code c}. */
    boolean can(Capability c);

    /** The atom of an options error for an option that needs this engine: {@code needs_openssl_engine}. */
    default String needsAtom() {
        return "needs_" + provider().optionName() + "_engine";
    }

    // ---- versions and suites

    /** The TLS versions this engine can negotiate here, newest first. */
    List<Protocol> versions();

    /** The engine's own version string ({@code BoringSSL}, {@code JDK 17.0.12+7}). */
    String versionString();

    /** The suites of {@link CipherSuite#known()} this engine can negotiate, in sslkit's order. */
    List<CipherSuite> cipherSuites();

    // ---- handlers and engine set-up

    /**
     * Whether a server with {@code alpn_preferred_protocols} refuses a client without a common protocol itself
     * ({@code no_application_protocol}, RFC 7301 §3.2); if not, {@link #alpnGuard} does it before the engine.
     */
    boolean refusesAlpnMismatch();

    /**
     * The guard ({@code alpn-guard}) that sends {@code no_application_protocol} where the engine cannot (server
     * side, placed before its {@code SslHandler}); empty where the engine does it itself.
     */
    Optional<Guard> alpnGuard(List<String> serverProtocols, Promise<?> failure);

    /**
     * The handlers a server's or client's renegotiation needs, in pipeline order before {@code SslHandler}:
     * on a server the rate limit on client renegotiation ({@code renegotiation-limiter}), then
     * {@code renegotiate_at} ({@code renegotiate-at}). Empty where the engine
     * never renegotiates.
     *
     * @param renegotiateAt bytes after which a renegotiation starts
     * @param window        the server's window for the client-renegotiation rate limit
     */
    List<Guard> renegotiationGuards(boolean client, long renegotiateAt, Duration window);

    /**
     * The gate ({@code reuse-gate}, placed right before {@code SslHandler}) that asks a server's
     * {@code reuse_session} fun before the engine reads the ClientHello; empty for a client, without a fun, or where
     * the engine cannot be asked (the options were refused at {@code listen} then).
     */
    Optional<Guard> resumptionGate(TlsContext tls);

    /** Whether several flushes may be merged before the {@code SslHandler} (see the class table). */
    boolean consolidatesFlushes();

    /**
     * The handler that merges flushes, placed after the {@code SslHandler} ({@code flush}), where
     * {@link #consolidatesFlushes()}; empty elsewhere.
     */
    Optional<Guard> flushConsolidation();

    /**
     * Whether {@code ssl:renegotiate/1} (TLS 1.2) and {@code ssl:update_keys/2} (TLS 1.3) can run on this engine
     * (which of the two a version allows is OTP's rule, the caller's): asking an engine that cannot would make
     * Netty close the connection.
     */
    default boolean renegotiates() {
        return can(Capability.RENEGOTIATION);
    }

    /** {@code honor_cipher_order} on one server connection, before its handshake. */
    void honorCipherOrder(SSLEngine engine, boolean honor);

    /** Issues no session ticket on this connection (before its handshake); nothing on an engine that cannot. */
    void noTickets(SSLEngine engine);

    /** Replaces a server context's ticket keys (48 bytes each: name, HMAC key, AES key). */
    void setTicketKeys(SslContext ctx, List<byte[]> keys) throws SslException;

    /**
     * Whether the handshake just finished resumed an earlier session.
     *
     * @param handshakeStartMillis when this connection's handshake began ({@link System#currentTimeMillis()})
     */
    boolean resumed(SSLEngine engine, long handshakeStartMillis);

    // ---- alerts

    /**
     * The alert this engine sends when a trust manager rejects the peer's certificate for a reason whose OTP alert
     * is {@code wanted}: that alert where the engine can send it, else the nearest it sends.
     *
     * @param clientSide whether this side is the client (checking the server)
     * @param protocol   the handshake's version ({@code TLSv1.3}, {@code TLSv1.2}; {@code null} if unknown)
     */
    Alert rejectionAlert(Alert wanted, boolean clientSide, String protocol);

    /**
     * The exception a trust manager throws so that this engine sends {@code alert} ({@link #rejectionAlert}) for
     * the rejection {@code e}: {@code e} itself, or one wrapping it.
     */
    CertificateException rejectionException(CertificateException e, Alert alert);

    /** Reads the alert a failure of this engine sent or received. */
    AlertDecoder alerts();

    // ---- which engine

    /** The engine of a resolved provider ({@code openssl} or {@code jdk}). */
    static Engine of(Provider resolved) {
        return switch (resolved) {
            case OPENSSL -> BoringSslEngine.INSTANCE;
            case JDK -> JdkEngine.RUNNING;
            case AUTO -> throw new IllegalArgumentException("resolve auto first: " + resolved);
        };
    }

    /** The engine that made {@code engine}. */
    static Engine of(SSLEngine engine) {
        return engine instanceof ReferenceCountedOpenSslEngine ? BoringSslEngine.INSTANCE : JdkEngine.RUNNING;
    }

    /** The engine of a built context. */
    static Engine of(SslContext ctx) {
        return ctx instanceof io.netty.handler.ssl.OpenSslContext
                || ctx instanceof io.netty.handler.ssl.ReferenceCountedOpenSslContext
                ? BoringSslEngine.INSTANCE : JdkEngine.RUNNING;
    }

    /** The engine {@code auto} stands for on this machine, or the one asked for if it is available. */
    static Engine resolve(Provider asked) throws SslException {
        return switch (asked) {
            case AUTO -> OpenSsl.isAvailable() ? BoringSslEngine.INSTANCE : JdkEngine.RUNNING;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new SslException(new Reason.Options("provider", "openssl", "not_available"),
                            OpenSsl.unavailabilityCause());
                }
                yield BoringSslEngine.INSTANCE;
            }
            case JDK -> JdkEngine.RUNNING;
        };
    }

    /** Every engine sslkit knows, in {@code auto}'s order of preference (loadable here or not). */
    static List<Engine> all() {
        return List.of(BoringSslEngine.INSTANCE, JdkEngine.RUNNING);
    }

    /** The engines that can run here, in {@code auto}'s order of preference. */
    static List<Engine> available() {
        return OpenSsl.isAvailable() ? all() : List.of(JdkEngine.RUNNING);
    }

    /** The engine {@code auto} stands for on this machine. */
    static Engine auto() {
        return OpenSsl.isAvailable() ? BoringSslEngine.INSTANCE : JdkEngine.RUNNING;
    }

    /**
     * The engine whose failure {@code t} is: BoringSSL's failures carry a native error code; anything else is read
     * as the JDK's (including Netty's own, engine-independent exceptions, which both decoders read alike).
     */
    static Engine ofFailure(Throwable t) {
        return BoringSslAlerts.nativeCode(t) != 0 ? BoringSslEngine.INSTANCE : JdkEngine.RUNNING;
    }
}
