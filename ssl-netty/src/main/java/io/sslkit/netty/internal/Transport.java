package io.sslkit.netty.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sslkit.SslRuntimeOptions;

/**
 * The network transport: epoll where its native library loads (Linux), NIO elsewhere.
 *
 * @param name          {@code epoll} or {@code nio}
 * @param ioHandler     the event loops' I/O handler
 * @param channel       client channel class
 * @param serverChannel listen channel class
 */
public record Transport(String name, IoHandlerFactory ioHandler, Class<? extends SocketChannel> channel,
                        Class<? extends ServerChannel> serverChannel) {

    /** The transport the options ask for; {@code EPOLL} falls back to NIO with no error only under AUTO. */
    public static Transport choose(SslRuntimeOptions.Transport wanted) {
        boolean epoll = wanted != SslRuntimeOptions.Transport.NIO && Epoll.isAvailable();
        if (wanted == SslRuntimeOptions.Transport.EPOLL && !epoll) {
            throw new IllegalStateException("epoll transport is not available here", Epoll.unavailabilityCause());
        }
        if (epoll) {
            return new Transport("epoll", new EpollRearm(EpollIoHandler.newFactory()), EpollSocketChannel.class,
                    EpollServerSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class,
                NioServerSocketChannel.class);
    }

    /** Event loops for this transport, with named daemon threads. */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("sslkit-" + name, true),
                ioHandler);
    }
}
