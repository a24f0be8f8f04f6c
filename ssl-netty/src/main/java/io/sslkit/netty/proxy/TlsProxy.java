package io.sslkit.netty.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sslkit.Provider;
import io.sslkit.SslRuntimeOptions;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.internal.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A TLS proxy made of sslkit's reusable Netty pieces: {@link SniRouter} (a route per server name, terminate or pass
 * through), {@link TlsContext} (options → Netty {@code SslContext}), {@link ActiveModeHandler} (reads on demand) and
 * {@link ConnectionLimiter}, joined by a {@link Relay} per direction.
 *
 * <pre>{@code
 * client ──TLS──▶ [(PROXY decoder) ▸ (idle) ▸ SniRouter→SslHandler ▸ ActiveModeHandler ▸ Relay]
 *            ══▶ [(PROXY encoder) ▸ (SslHandler) ▸ ActiveModeHandler ▸ Relay] ──TCP or TLS──▶ backend
 * }</pre>
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * RouteTable routes = new RouteTable(Route.terminate("*", TlsContexts.forServer(opts), new Backend("127.0.0.1", 8080)),
 *         List.of(Route.passthrough("db.example.com", new Backend("10.0.0.5", 5432))));
 * try (TlsProxy proxy = new TlsProxy(routes, ProxySettings.builder().maxConnections(10_000).build(), log::info)) {
 *     int port = proxy.start(8443);
 *     ...
 *     proxy.setRoutes(reloaded);                 // new handshakes only; live connections keep theirs
 *     proxy.drain(Duration.ofSeconds(30));       // stop accepting, let connections finish, then close
 * }
 * }</pre>
 *
 * <p>Bytes pass with back-pressure (see {@link Relay}): the proxy holds at most about one read plus a channel's
 * high-water mark per direction, however fast one peer sends and however slowly the other reads. Decrypted buffers
 * go to the plain side without a copy.
 *
 * <p>Each connection logs one line through the {@code log} consumer: {@code <peer> <protocol> <cipher> <provider>
 * -> <host:port>} once the client's handshake is done, {@code <peer> passthrough <sni> -> <host:port>}, or
 * {@code <peer> error <reason>}; the {@link ProxySettings#listener() listener} gets structured events.
 *
 * <h2>Threading</h2>
 * {@link #setRoutes} and {@link #drain} may be called from any thread; a connection's two channels share one event
 * loop, so each {@link Link} is confined to it.
 */
public final class TlsProxy implements AutoCloseable {

    private final ProxySettings settings;
    private final Consumer<String> log;
    /** epoll (with sslkit's half-close fix) where available, else NIO. */
    private final Transport transport = Transport.choose(SslRuntimeOptions.Transport.AUTO);
    private final EventLoopGroup group;
    private final ConnectionLimiter limiter;
    /** Every open channel, both sides: drained and closed by {@link #drain}. */
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong maxPending = new AtomicLong();
    /** The current routes; replaced whole by {@link #setRoutes}. */
    private volatile RouteTable routes;
    private volatile boolean stopping;
    private Channel listener;

    /**
     * @param routes   the routes by server name, with the default
     * @param settings limits, timeouts, re-encryption, PROXY protocol
     * @param log      one line per connection
     */
    public TlsProxy(RouteTable routes, ProxySettings settings, Consumer<String> log) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
        this.limiter = new ConnectionLimiter(settings.maxConnections());
        this.group = transport.newGroup(0);
    }

    /**
     * A proxy with one route: terminate with {@code front}, forward to {@code host:port}, re-encrypting with
     * {@code back} when not {@code null}; no limits beyond the defaults of {@link ProxySettings}.
     */
    public TlsProxy(TlsContext front, String host, int port, TlsContext back, Consumer<String> log) {
        this(RouteTable.single(Route.terminate("*", front, new Backend(host, port))),
                ProxySettings.builder().backContext(back).build(), log);
    }

    /** Listens on {@code listenPort} (0 = any free one) on all addresses; returns the port. */
    public int start(int listenPort) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childOption(ChannelOption.AUTO_READ, false) // reads follow demand (ActiveModeHandler)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true) // a client's FIN is passed on, not a close
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accept(ch);
                    }
                });
        listener = b.bind(listenPort).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Replaces the routes (certificates and backends): new connections use them, live ones keep theirs. */
    public void setRoutes(RouteTable routes) {
        this.routes = Objects.requireNonNull(routes, "routes");
    }

    /** The current routes. */
    public RouteTable routes() {
        return routes;
    }

    private void accept(SocketChannel ch) {
        if (stopping || !limiter.tryAcquire(ch)) {
            settings.listener().refused();
            InetSocketAddress a = ch.remoteAddress();
            log(a.getAddress().getHostAddress() + ":" + a.getPort() + " refused: "
                    + (stopping ? "stopping" : "max-connections " + settings.maxConnections()));
            ch.close();
            return;
        }
        settings.listener().opened();
        channels.add(ch);
        Link link = new Link(this, ch);
        Relay client = new Relay(link, true);
        link.client = client;
        ChannelPipeline p = ch.pipeline();
        if (settings.acceptProxy()) {
            p.addLast("proxy-protocol", new HAProxyMessageDecoder())
                    .addLast("proxy-source", new ProxyHeaderReader(link::clientAddress));
        }
        if (settings.idleTimeoutMillis() > 0) {
            p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutMillis(), TimeUnit.MILLISECONDS));
        }
        RouteTable table = routes;
        Route fixed = table.routesByName() ? null : table.fallback();
        if (fixed == null) {
            p.addLast("sni", new SniRouter(this::routes, settings.handshakeTimeoutMillis(), link::routed));
        } else if (!fixed.isPassthrough()) {
            SslHandler ssl = fixed.context().newServerHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(settings.handshakeTimeoutMillis());
            p.addLast("record-guard", new io.sslkit.netty.handler.RecordGuard()); // malformed records: alert + close
            p.addLast("ssl", ssl);
        }
        p.addLast("active", client.activeHandler()).addLast("relay", client);
        if (fixed != null) {
            link.routed(null, fixed);
        }
    }

    /** The server side, on the client channel's event loop: both relays then share one thread. */
    void connect(Link link) {
        Relay server = new Relay(link, false);
        link.server = server;
        link.client.pairWith(server);
        server.pairWith(link.client);
        Backend to = link.route().backend();
        TlsContext back = link.route().isPassthrough() ? null : settings.backContext();
        Bootstrap b = new Bootstrap().group(link.clientChannel().eventLoop()).channel(transport.channel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeoutMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        if (settings.sendProxy() != ProxySettings.SendProxy.NONE) {
                            ProxyHeaders.addSender(ch.pipeline(), settings.sendProxy(), link);
                        }
                        if (back != null) {
                            ch.pipeline().addLast("ssl", back.newClientHandler(ch.alloc(), to.host(), to.port()));
                        }
                        ch.pipeline().addLast("active", server.activeHandler()).addLast("relay", server);
                    }
                });
        b.connect(to.host(), to.port()).addListener(f -> {
            if (!f.isSuccess()) {
                link.connectFailed(f.cause());
                return;
            }
            link.serverConnected(); // ready at its channelActive (after a PROXY header) or handshake (Relay)
        });
    }

    /** A PROXY v2 header carries the client's handshake results: the backend is connected after it. */
    boolean connectsAfterHandshake() {
        return settings.sendProxy() == ProxySettings.SendProxy.V2;
    }

    Provider providerOf(Route route) {
        return route.context().provider();
    }

    ProxyListener listener() {
        return settings.listener();
    }

    boolean stopping() {
        return stopping;
    }

    void log(String line) {
        log.accept(line);
    }

    void notePending(long bytes) {
        maxPending.accumulateAndGet(bytes, Math::max);
    }

    /**
     * The most bytes seen waiting in a channel's outbound buffer right after a relay wrote to it: what the proxy
     * held for a slow reader (for tests of back-pressure).
     */
    public long maxPendingBytes() {
        return maxPending.get();
    }

    /** Connections open now (client side). */
    public int activeConnections() {
        return limiter.active();
    }

    /** Connections refused at accept by {@code maxConnections} (or while draining). */
    public long refusedConnections() {
        return limiter.refused();
    }

    /** Closes the listening socket (new connections are refused by the kernel); open connections go on. */
    public void stopAccepting() throws InterruptedException {
        stopping = true;
        if (listener != null) {
            listener.close().sync();
        }
    }

    /**
     * A graceful stop: stops accepting at once, lets the open connections finish for up to {@code deadline}, then
     * closes those left (close_notify to their clients). Returns how many had to be closed. Blocks; not on an
     * event loop.
     */
    public int drain(Duration deadline) throws InterruptedException {
        stopAccepting();
        if (channels.newCloseFuture().await(deadline.toMillis())) {
            return 0;
        }
        int left = (int) channels.stream().filter(c -> c.pipeline().get(Relay.class) != null
                && ((Relay) c.pipeline().get(Relay.class)).clientSide()).count();
        channels.close().await(5_000);
        return left;
    }

    /** Stops listening and closes every connection at once. */
    @Override
    public void close() {
        stopping = true;
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly(5_000);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
