package io.sslkit.examples.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.sslkit.Provider;
import io.sslkit.SslRuntimeOptions;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.internal.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A TLS-terminating TCP proxy made of sslkit's reusable Netty pieces: {@link TlsContext} (options → Netty
 * {@code SslContext}) and {@link ActiveModeHandler} (reads on demand), joined by a {@link Relay} per direction.
 *
 * <pre>{@code
 * client ──TLS──▶ [SslHandler ▸ ActiveModeHandler ▸ Relay] ══▶ [(SslHandler ▸) ActiveModeHandler ▸ Relay] ──TCP or TLS──▶ server
 * }</pre>
 *
 * <p>The server side is plain TCP, or TLS again when a client {@link TlsContext} is given (re-encryption). Bytes
 * pass with back-pressure (see {@link Relay}): the proxy holds at most about one read plus a channel's high-water
 * mark per direction, however fast one peer sends and however slowly the other reads. Decrypted buffers go to the
 * plain side without a copy.
 *
 * <p>Each connection logs one line: {@code <peer> <protocol> <cipher> <provider> -> <host:port>} once the client's
 * handshake is done, or {@code <peer> error <reason>}.
 */
public final class TlsProxy implements AutoCloseable {

    private final TlsContext front;
    private final TlsContext back;
    private final String host;
    private final int port;
    private final Consumer<String> log;
    /** epoll (with sslkit's half-close fix) where available, else NIO. */
    private final Transport transport = Transport.choose(SslRuntimeOptions.Transport.AUTO);
    private final EventLoopGroup group;
    private final AtomicLong maxPending = new AtomicLong();
    private Channel listener;

    /**
     * @param front the server context the clients meet
     * @param host  the server to forward to
     * @param back  a client context to re-encrypt with, or {@code null} for plain TCP to the server
     * @param log   one line per connection
     */
    public TlsProxy(TlsContext front, String host, int port, TlsContext back, Consumer<String> log) {
        this.front = front;
        this.back = back;
        this.host = host;
        this.port = port;
        this.log = log;
        this.group = transport.newGroup(0);
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

    private void accept(SocketChannel ch) {
        InetSocketAddress a = ch.remoteAddress();
        Link link = new Link(this, a.getAddress().getHostAddress() + ":" + a.getPort());
        Relay client = new Relay(link, true);
        link.client = client;
        ch.pipeline().addLast("record-guard", new io.sslkit.netty.handler.RecordGuard())
                .addLast("ssl", front.newServerHandler(ch.alloc()))
                .addLast("active", client.activeHandler())
                .addLast("relay", client);
        connect(ch, link);
    }

    /** The server side, on the client channel's event loop: both relays then share one thread. */
    private void connect(SocketChannel clientChannel, Link link) {
        Relay server = new Relay(link, false);
        link.server = server;
        link.client.pairWith(server);
        server.pairWith(link.client);
        Bootstrap b = new Bootstrap().group(clientChannel.eventLoop()).channel(transport.channel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (back != null) {
                            ch.pipeline().addLast("ssl", back.newClientHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast("active", server.activeHandler()).addLast("relay", server);
                    }
                });
        ChannelFuture connected = b.connect(host, port);
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                link.connectFailed(f.cause());
            } else if (back == null) {
                link.ready(server); // plain TCP: ready once connected; TLS: at its handshake event
            }
        });
    }

    String target() {
        return host + ":" + port;
    }

    Provider frontProvider() {
        return front.provider();
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

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
