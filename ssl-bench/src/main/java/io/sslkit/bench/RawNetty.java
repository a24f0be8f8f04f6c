package io.sslkit.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The baseline: a hand-built Netty pipeline with the same pieces an sslkit runtime uses — as many event loops as
 * processors, epoll where it loads (NIO elsewhere), {@link ByteBufAllocator#DEFAULT}, and {@link SslContext}s built
 * with {@link SslContextBuilder} exactly as sslkit's {@code TlsContexts} builds them (same provider, protocols,
 * trust and key, no client authentication).
 */
public final class RawNetty implements AutoCloseable {

    /** The allocator sslkit's runtime uses. */
    public static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final EventLoopGroup group;
    private final boolean epoll;

    private RawNetty(int threads) {
        this.epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("raw-netty", true), io);
    }

    /** Event loops like {@code Ssl.start()}: one per processor. */
    public static RawNetty start() {
        return new RawNetty(Runtime.getRuntime().availableProcessors());
    }

    /** Event loops of a given count (the neutral comparison's raw echo server runs one). */
    public static RawNetty start(int threads) {
        return new RawNetty(threads);
    }

    public EventLoopGroup group() {
        return group;
    }

    public Class<? extends Channel> channel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public String transportName() {
        return epoll ? "epoll" : "nio";
    }

    /**
     * A server channel bound to an ephemeral port on these event loops, each accepted channel
     * using {@link #ALLOC} and set up by {@code init} (which adds the server's {@link SslHandler} and what follows it).
     */
    public Channel bind(Consumer<Channel> init) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, ALLOC)
                .childHandler(initializer(init))
                .bind(0).sync().channel();
    }

    /** A client bootstrap on these event loops whose channels use {@link #ALLOC} and are set up by {@code init}. */
    public Bootstrap client(Consumer<Channel> init) {
        return new Bootstrap()
                .group(group)
                .channel(channel())
                .option(ChannelOption.ALLOCATOR, ALLOC)
                .handler(initializer(init));
    }

    /** The port a channel from {@link #bind} listens on. */
    public static int port(Channel server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Waits for {@code connect}, then for the handshake of the {@link SslHandler} in the connected pipeline. */
    public static Channel handshaken(ChannelFuture connect) throws InterruptedException {
        Channel ch = connect.sync().channel();
        ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
        return ch;
    }

    private static ChannelInitializer<Channel> initializer(Consumer<Channel> init) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                init.accept(ch);
            }
        };
    }

    /** A server context as sslkit builds one for {@code cert}/{@code key} options (the leaf) and verify_none. */
    public static SslContext serverContext(Provider provider, Protocol version, KeyType.Pair cert) {
        try {
            return SslContextBuilder.forServer(cert.leaf().privateKey(), cert.leaf().certificate())
                    .clientAuth(ClientAuth.NONE)
                    .sslProvider(sslProvider(provider))
                    .protocols(version.javaName())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A client context as sslkit builds one for {@code cacerts} (the CA) and verify_peer; {@code checkHost} = false is
     * sslkit's {@code {server_name_indication, disable}} (the chain is still verified, the name is not).
     */
    public static SslContext clientContext(Provider provider, Protocol version, KeyType.Pair trusted,
                                           boolean checkHost) {
        try {
            return SslContextBuilder.forClient()
                    .trustManager(trusted.ca().certificate())
                    .endpointIdentificationAlgorithm(checkHost ? "HTTPS" : null)
                    .sslProvider(sslProvider(provider))
                    .protocols(version.javaName())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SslProvider sslProvider(Provider provider) {
        return switch (provider) {
            case OPENSSL -> SslProvider.OPENSSL;
            case JDK -> SslProvider.JDK;
            case AUTO -> SslProvider.isAlpnSupported(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;
        };
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
