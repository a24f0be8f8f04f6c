package io.sslkit.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.sslkit.SslRuntimeOptions;
import io.sslkit.netty.internal.Transport;

/**
 * The Netty transport sslkit runs on (epoll where it loads, else NIO), for Netty programs that build their own
 * bootstraps beside an sslkit runtime (a proxy, a relay) and want the same event loops and channel classes. No OTP
 * counterpart.
 *
 * <pre>{@code
 * NettyTransport t = NettyTransport.choose(SslRuntimeOptions.Transport.AUTO);
 * EventLoopGroup group = t.newGroup(0);
 * new ServerBootstrap().group(group).channel(t.serverChannel());
 * }</pre>
 */
public final class NettyTransport {

    private final Transport transport;

    private NettyTransport(Transport transport) {
        this.transport = transport;
    }

    /**
     * The transport {@code wanted} names; {@code AUTO} takes epoll when it is available, else NIO.
     *
     * @throws IllegalStateException {@code EPOLL} was asked for and cannot load here
     */
    public static NettyTransport choose(SslRuntimeOptions.Transport wanted) {
        return new NettyTransport(Transport.choose(wanted));
    }

    /** {@code epoll} or {@code nio}. */
    public String name() {
        return transport.name();
    }

    /** The client channel class. */
    public Class<? extends SocketChannel> channel() {
        return transport.channel();
    }

    /** The listen channel class. */
    public Class<? extends ServerChannel> serverChannel() {
        return transport.serverChannel();
    }

    /** Event loops for this transport, with named daemon threads ({@code 0}: Netty's default count). */
    public EventLoopGroup newGroup(int threads) {
        return transport.newGroup(threads);
    }
}
