package io.sslkit.netty.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.kqueue.KQueueSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sslkit.SslRuntimeOptions;

/**
 * The network transport, chosen at run time: Netty's native transport for this operating system where its native
 * library loads (epoll on Linux, kqueue on macOS), NIO everywhere else.
 *
 * <p>The native libraries ship for linux-x86_64, linux-aarch_64 (epoll), osx-x86_64 and osx-aarch_64 (kqueue); the
 * jar for the running platform is found on the class path and loaded by Netty. Which one was chosen, and why, is in
 * {@link #description()} (e.g. {@code epoll (native, linux-x86_64)}, {@code nio (epoll unavailable: <cause>)}),
 * reported by {@code Ssl.versions()} and logged once ({@link NativeChoice}).
 *
 * @param name          {@code epoll}, {@code kqueue} or {@code nio}
 * @param description   the choice and its reason, for logs and {@code versions()}
 * @param ioHandler     the event loops' I/O handler
 * @param channel       client channel class
 * @param serverChannel listen channel class
 */
public record Transport(String name, String description, IoHandlerFactory ioHandler,
                        Class<? extends SocketChannel> channel, Class<? extends ServerChannel> serverChannel) {

    /**
     * The transport the options ask for. {@code AUTO} takes this platform's native transport when it loads and NIO
     * otherwise; {@code EPOLL} and {@code KQUEUE} fail when theirs does not load; {@code NIO} is always there.
     *
     * @throws IllegalStateException a native transport that was asked for by name does not load here
     */
    public static Transport choose(SslRuntimeOptions.Transport wanted) {
        NativeChoice.Choice choice = NativeChoice.transport(wanted, NativeChoice.platform(),
                NativeChoice.Native.of(Epoll.isAvailable(), Epoll.unavailabilityCause()),
                NativeChoice.Native.of(KQueue.isAvailable(), KQueue.unavailabilityCause()));
        Transport t = switch (choice.name()) {
            case "epoll" -> new Transport("epoll", choice.description(),
                    new EpollRearm(EpollIoHandler.newFactory()), EpollSocketChannel.class,
                    EpollServerSocketChannel.class);
            case "kqueue" -> new Transport("kqueue", choice.description(), KQueueIoHandler.newFactory(),
                    KQueueSocketChannel.class, KQueueServerSocketChannel.class);
            default -> new Transport("nio", choice.description(), NioIoHandler.newFactory(),
                    NioSocketChannel.class, NioServerSocketChannel.class);
        };
        if (wanted == SslRuntimeOptions.Transport.AUTO) {
            NativeChoice.logOnce(t.description());
        }
        return t;
    }

    /** Event loops for this transport, with named daemon threads. */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("sslkit-" + name, true),
                ioHandler);
    }
}
