package io.sslkit.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;
import io.sslkit.SslOptions;
import io.sslkit.netty.context.SniSelector;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.engine.Engine;
import io.sslkit.netty.engine.Guard;
import io.sslkit.netty.handler.RecordGuard;
import io.sslkit.netty.internal.VersionWitness;
import java.time.Duration;

/**
 * Assembles one TLS socket's pipeline from plain arguments, and follows its first handshake. The handlers that
 * depend on the engine are the engine strategy's ({@link Engine}: guards it hands out by name); this class only
 * places them:
 *
 * <pre>
 * socket ─► record-guard ─► alpn-guard (BoringSSL servers with ALPN) ─► renegotiation-limiter (JDK servers) ─► renegotiate-at (JDK)
 *        ─► reuse-gate (BoringSSL servers with reuse_session fun) ─► version-witness (servers) ─► ssl | SniSelector
 *        ─► flush (BoringSSL) ─► active ─► bridge
 * </pre>
 *
 * <h2>Threading</h2>
 * {@link #install} runs on the event loop (or before the channel is registered); {@link #ssl()} and the other
 * results are volatile and may be read from any thread once the handshake future completed.
 */
final class SslPipeline {

    private final Channel channel;
    private final TlsContext tls;
    private final SslOptions opts;
    /** The contexts to choose from by SNI name (a server with sni_hosts/sni_fun), else null. */
    private final SniSelector.Contexts sni;
    /** A client's session-cache key (see {@link TlsContext#sessionKey}); null for servers and with SNI disabled. */
    private final TlsContext.SessionKey sessionKey;
    private final Duration renegotiationWindow;
    /** The first handshake: done when its SslHandler's is (with SNI, once that handler is chosen). */
    private final Promise<Channel> handshakeDone;
    /** The SslHandler; null until installed (with SNI, until chosen). Written once, on the event loop. */
    private volatile SslHandler ssl;
    /** The version a server handshake chose, for the alert a failure sent; null on clients and behind SNI. */
    private volatile VersionWitness witness;
    /** Whether the first handshake resumed a session (written before {@link #handshakeDone} completes). */
    private volatile boolean resumed;

    SslPipeline(Channel channel, TlsContext tls, SslOptions opts, SniSelector.Contexts sni,
                TlsContext.SessionKey sessionKey, Duration renegotiationWindow) {
        this.channel = channel;
        this.tls = tls;
        this.opts = opts;
        this.sni = sni;
        this.sessionKey = sessionKey;
        this.renegotiationWindow = renegotiationWindow;
        this.handshakeDone = channel.eventLoop().newPromise();
    }

    /** Adds the TLS handlers, then {@code active} and {@code bridge} after them. */
    void install(ChannelHandler active, ChannelHandler bridge) {
        ChannelPipeline p = channel.pipeline();
        boolean server = !tls.client();
        // malformed records: the right alert and a close, where an engine would not answer or would accept them
        p.addLast("record-guard", new RecordGuard(RecordGuard.DEFAULT_MID_RECORD_LIMIT, handshakeDone));
        if (server) {
            tls.engine().alpnGuard(opts.alpnPreferredProtocols(), handshakeDone).ifPresent(g -> add(p, g));
        }
        installRenegotiationLimits(p);
        if (server && sni != null) {
            installSniSelector(p);
        } else {
            installSslHandler(p);
        }
        tls.engine().flushConsolidation().ifPresent(g -> add(p, g));
        p.addLast("active", active);
        p.addLast("bridge", bridge);
        if (channel.isActive() && channel instanceof DuplexChannel d && d.isInputShutdown()) {
            // An accepted peer's FIN can be read before transport_accept hands the socket out (epoll reads on
            // EPOLLRDHUP by itself), when none of these handlers saw its event: give it to them now. Only on an
            // active channel: NIO reports a client channel that is not connected yet as input-shut-down.
            p.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    /** sni_hosts/sni_fun: the SslHandler is chosen by the ClientHello's name, then takes the selector's place. */
    private void installSniSelector(ChannelPipeline p) {
        Promise<SslHandler> selected = channel.eventLoop().newPromise();
        selected.addListener(f -> {
            if (f.isSuccess()) {
                follow(selected.getNow());
            } else {
                handshakeDone.tryFailure(f.cause());
            }
        });
        p.addLast("ssl", new SniSelector(sni, selected));
    }

    private void installSslHandler(ChannelPipeline p) {
        SslHandler h = tls.client() ? tls.newClientHandler(channel.alloc(), sessionKey)
                : tls.newServerHandler(channel.alloc());
        h.setHandshakeTimeoutMillis(0); // deadlines are the caller's (connect/handshake timeout)
        p.addLast("ssl", h);
        if (!tls.client()) {
            // (not behind an SNI selector: its handler arrives later; such failures name TLS 1.2's alert)
            witness = new VersionWitness(h.engine());
            p.addBefore("ssl", "version-witness", witness);
            // reuse_session fun: judges the offered session before the engine reads the ClientHello
            tls.engine().resumptionGate(tls).ifPresent(g -> p.addBefore("ssl", g.name(), g.handler()));
        }
        follow(h);
    }

    /**
     * On the JDK engine (BoringSSL neither renegotiates nor accepts a client's renegotiation), between the socket
     * and "ssl": {@code renegotiate_at}, and on a server the rate limit on client-initiated renegotiation.
     */
    private void installRenegotiationLimits(ChannelPipeline p) {
        for (Guard g : tls.engine().renegotiationGuards(tls.client(),
                opts.renegotiateAt().orElse(SslOptions.DEFAULT_RENEGOTIATE_AT), renegotiationWindow)) {
            add(p, g);
        }
    }

    private static void add(ChannelPipeline p, Guard g) {
        p.addLast(g.name(), g.handler());
    }

    /** Makes {@code h} this socket's SslHandler and follows its handshake. */
    private void follow(SslHandler h) {
        ssl = h;
        long start = System.currentTimeMillis();
        h.handshakeFuture().addListener(f -> { // on the event loop, while the engine is surely alive
            if (f.isSuccess()) {
                resumed = Resumption.resumed(h.engine(), start);
                Resumption.afterHandshake(h.engine(), opts, tls.client());
                handshakeDone.trySuccess(channel);
            } else {
                handshakeDone.tryFailure(f.cause());
            }
        });
    }

    /** The handler names that belong to the TLS connection besides "ssl" and "active" (removed by a downgrade). */
    static final String[] TLS_EXTRAS = {"flush", "bridge", "alpn-guard", "reuse-gate"};

    /** Whether the engine can renegotiate or update keys on request (BoringSSL cannot: the JDK's only). */
    boolean canRenegotiate() {
        return tls.engine().renegotiates();
    }

    Promise<Channel> handshakeDone() {
        return handshakeDone;
    }

    SslHandler ssl() {
        return ssl;
    }

    VersionWitness witness() {
        return witness;
    }

    boolean resumed() {
        return resumed;
    }

    TlsContext.SessionKey sessionKey() {
        return sessionKey;
    }
}
