package io.sslkit.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.sslkit.Provider;
import io.sslkit.netty.engine.Engine;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslRuntimeOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.Versions;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.context.TlsContexts;
import io.sslkit.netty.internal.Await;
import io.sslkit.netty.internal.Errors;
import io.sslkit.netty.internal.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Netty runtime behind {@link Ssl}: event loops (epoll or NIO), one allocator, the client contexts it has
 * built, and every socket it made (so that {@link #stop()} can close them).
 */
public final class NettySsl implements Ssl {

    private static final String VERSION = "0.1.0";

    private final Transport transport;
    private final EventLoopGroup group;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    /** Open sockets and listen sockets; a socket removes itself when closed. */
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    /** Client contexts by options (identity of an immutable value): building one reads files and keys. */
    private final Map<SslOptions, TlsContext> clientContexts = Collections.synchronizedMap(new WeakHashMap<>());
    /** Options already warned about (verify_none on a client), so the warning comes once, not per connection. */
    private final Set<SslOptions> warnedVerifyNone =
            Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    private static final io.netty.util.internal.logging.InternalLogger LOG = io.netty.util.internal.logging.InternalLoggerFactory.getInstance("io.sslkit");
    private volatile boolean stopped;
    /** Used for a handshake the caller gave no timeout ({@link SslRuntimeOptions#handshakeTimeout()}). */
    private final Timeout handshakeTimeout;
    /** NIO loops for adopted {@link java.nio.channels.SocketChannel}s when the main transport is epoll. */
    private EventLoopGroup nioGroup;
    /**
     * How far apart a client's renegotiations must be on the JDK-engine servers of this runtime: OTP's 12 s
     * ({@code RENEGOTIATION_DISABLE_TIME}). Not an option (OTP has none); tests shorten it.
     */
    private volatile java.time.Duration renegotiationWindow =
            io.sslkit.netty.handler.RenegotiationLimiter.DEFAULT_WINDOW;

    NettySsl(SslRuntimeOptions options) {
        this.handshakeTimeout = options.handshakeTimeout();
        this.transport = Transport.choose(options.transport());
        int threads = options.eventLoopThreads() == 0 ? Runtime.getRuntime().availableProcessors()
                : options.eventLoopThreads();
        this.group = transport.newGroup(threads);
    }

    EventLoopGroup group() {
        return group;
    }

    Transport transport() {
        return transport;
    }

    ByteBufAllocator alloc() {
        return alloc;
    }

    java.time.Duration renegotiationWindow() {
        return renegotiationWindow;
    }

    /** Test hook: the renegotiation window of server sockets accepted from now on. */
    void renegotiationWindow(java.time.Duration window) {
        this.renegotiationWindow = window;
    }

    void track(AutoCloseable socket) {
        open.add(socket);
        if (stopped) {
            closeQuietly(socket);
        }
    }

    void forget(AutoCloseable socket) {
        open.remove(socket);
    }

    /** The caller's timeout, or the runtime's default handshake timeout when the caller gave none. */
    Timeout orDefault(Timeout timeout) {
        return timeout.isInfinite() ? handshakeTimeout : timeout;
    }

    @Override
    public SslSocket connect(String host, int port, SslOptions options, Timeout timeout) throws SslException {
        checkRunning();
        warnIfVerifyNone(options);
        long deadline = orDefault(timeout).deadlineNanos();
        ClientSession saved = ClientSession.of(options);
        TlsContext tls = saved != null ? saved.context() : clientContext(options);
        InetAddress address = resolve(host);
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(transport.channel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true) // a peer's FIN ends reading, not the socket
                .option(ChannelOption.ALLOCATOR, alloc)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout(timeout))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // the socket installs its own pipeline below, before the connection is made
                    }
                });
        SocketConfig.apply(b, options);
        ChannelFuture registered = b.register();
        Channel ch = registered.channel();
        NettySslSocket socket;
        try {
            Await.get(registered, deadline);
            socket = NettySslSocket.client(this, ch, tls, options, host, port,
                    saved != null ? saved.key() : tls.sessionKey(host, port));
            track(socket);
            InetSocketAddress remote = new InetSocketAddress(address, port);
            java.net.InetAddress ip = options.get(io.sslkit.Opt.IP);
            Await.get(ip == null ? ch.connect(remote) : ch.connect(remote, new InetSocketAddress(ip, 0)), deadline);
        } catch (ExecutionException e) {
            ch.close();
            throw new SslException(Errors.reasonOf(e.getCause(), true), e.getCause());
        } catch (TimeoutException e) {
            ch.close();
            throw new SslException(Reason.TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ch.close();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
        socket.awaitClientHandshake(deadline);
        return socket;
    }

    @Override
    public SslSocket connect(java.nio.channels.SocketChannel tcp, SslOptions options, Timeout timeout)
            throws SslException {
        return connect(adopt(tcp), options, timeout);
    }

    @Override
    public SslSocket accept(java.nio.channels.SocketChannel tcp, SslOptions options, Timeout timeout)
            throws SslException {
        return accept(adopt(tcp), options, timeout);
    }

    /**
     * {@code ssl:connect/3} on a Netty channel already connected and registered (STARTTLS in a Netty program): the
     * sslkit handlers are added at the end of its pipeline, which should hold no protocol handler that consumes
     * inbound bytes. {@code AUTO_READ} is turned off (reads follow demand from now on).
     */
    public SslSocket connect(Channel tcp, SslOptions options, Timeout timeout) throws SslException {
        checkRunning();
        warnIfVerifyNone(options);
        long deadline = orDefault(timeout).deadlineNanos();
        ClientSession saved = ClientSession.of(options);
        TlsContext tls = saved != null ? saved.context() : clientContext(options);
        tcp.config().setAutoRead(false);
        tcp.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        InetSocketAddress peer = (InetSocketAddress) tcp.remoteAddress();
        if (peer == null || !tcp.isActive()) {
            throw new SslException(Reason.ENOTCONN);
        }
        NettySslSocket socket = NettySslSocket.client(this, tcp, tls, options, peer.getHostString(), peer.getPort(),
                saved != null ? saved.key() : tls.sessionKey(peer.getHostString(), peer.getPort()));
        track(socket);
        socket.awaitClientHandshake(deadline);
        return socket;
    }

    /** {@code ssl:handshake/3} on a Netty channel already connected and registered: the server side of STARTTLS. */
    public SslSocket accept(Channel tcp, SslOptions options, Timeout timeout) throws SslException {
        checkRunning();
        TlsContext tls = TlsContexts.forServer(options);
        tcp.config().setAutoRead(false);
        tcp.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        NettySslSocket socket = NettySslSocket.accepted(this, tcp, tls, options,
                options.choosesBySni() ? new io.sslkit.netty.context.SniSelector.Contexts(tls) : null);
        track(socket);
        socket.handshake(timeout);
        return socket;
    }

    /** A Java channel as a Netty NIO channel, on this runtime's NIO loops (made on first use). */
    private Channel adopt(java.nio.channels.SocketChannel tcp) throws SslException {
        checkRunning();
        if (!tcp.isConnected()) {
            throw new SslException(Reason.ENOTCONN);
        }
        Channel ch = new io.netty.channel.socket.nio.NioSocketChannel(tcp);
        ch.config().setAllocator(alloc);
        ch.config().setAutoRead(false);
        try {
            Await.get(nioGroup().register(ch), Long.MAX_VALUE);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            ch.close();
            throw new SslException(new Reason.Unexpected("cannot register the channel: " + e), e);
        }
        return ch;
    }

    private synchronized EventLoopGroup nioGroup() {
        if (transport.name().equals("nio")) {
            return group;
        }
        if (nioGroup == null) {
            nioGroup = Transport.choose(SslRuntimeOptions.Transport.NIO).newGroup(1);
        }
        return nioGroup;
    }

    /** One clear warning per options value: a client that verifies nothing trusts whoever answers. */
    private void warnIfVerifyNone(SslOptions options) {
        if (options.clientVerify() == io.sslkit.Verify.VERIFY_NONE && warnedVerifyNone.add(options)) {
            LOG.warn("sslkit client with verify_none: the server is not authenticated "
                    + "and anyone on the path can pose as it");
        }
    }

    private static int connectTimeout(Timeout t) {
        return t.isInfinite() ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, t.toMillis()));
    }

    private static InetAddress resolve(String host) throws SslException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new SslException(Reason.NXDOMAIN, e);
        }
    }

    private TlsContext clientContext(SslOptions options) throws SslException {
        TlsContext tls = clientContexts.get(options);
        if (tls == null) {
            tls = TlsContexts.forClient(options);
            clientContexts.put(options, tls);
        }
        return tls;
    }

    @Override
    public SslListenSocket listen(int port, SslOptions options) throws SslException {
        checkRunning();
        if (port < 0 || port > 65535) {
            throw new SslException(Reason.Options.of("port", port));
        }
        NettySslListenSocket l = NettySslListenSocket.bind(this, TlsContexts.forServer(options), port);
        track(l);
        return l;
    }

    @Override
    public List<String> cipherSuites(io.sslkit.Format format) {
        try {
            return io.sslkit.netty.context.CipherSuites.list(Provider.AUTO, format);
        } catch (SslException e) {
            throw new IllegalStateException(Ssl.formatError(e.reason()), e);
        }
    }

    @Override
    public List<io.sslkit.CipherSuite> cipherSuites() {
        try {
            return io.sslkit.netty.context.CipherSuites.supported(Provider.AUTO);
        } catch (SslException e) {
            throw new IllegalStateException(Ssl.formatError(e.reason()), e);
        }
    }

    @Override
    public Versions versions() {
        Engine engine = Engine.auto();
        return new Versions(VERSION, SslOptions.DEFAULT_VERSIONS, engine.versions(), engine.provider(),
                engine.versionString(), transport.name(), io.sslkit.netty.internal.NativeChoice.engine().description(),
                transport.description());
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        for (AutoCloseable s : List.copyOf(open)) {
            if (s instanceof NettySslSocket socket) {
                socket.closeByRuntime(); // owners are told: they did not close it themselves
            } else {
                closeQuietly(s);
            }
        }
        Await.quietly(group.shutdownGracefully(0, 2, TimeUnit.SECONDS), 10_000);
        synchronized (this) {
            if (nioGroup != null) {
                Await.quietly(nioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS), 10_000);
            }
        }
    }

    private static void closeQuietly(AutoCloseable s) {
        try {
            s.close();
        } catch (Exception e) {
            // stop() goes on closing the others
        }
    }

    private void checkRunning() {
        if (stopped) {
            throw new IllegalStateException("this Ssl runtime is stopped");
        }
    }

    @Override
    public String toString() {
        return "Ssl[" + transport.name() + ", " + open.size() + " open]";
    }
}
