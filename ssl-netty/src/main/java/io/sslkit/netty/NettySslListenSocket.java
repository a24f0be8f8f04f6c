package io.sslkit.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.sslkit.Opt;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SocketOpt;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.internal.Await;
import io.sslkit.netty.internal.PosixErrors;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link SslListenSocket} facade. The listen channel does not read by itself: {@link #transportAccept} asks for
 * connections, so an idle server leaves them in the kernel's backlog, as {@code gen_tcp:accept} does. Accepted
 * channels wait in a queue until a {@code transportAccept} takes them.
 */
final class NettySslListenSocket implements SslListenSocket {

    /** Put in the queue when the listener closes, to wake every waiting {@code transportAccept}. */
    private static final Object CLOSED = new Object();

    private final NettySsl runtime;
    private final TlsContext tls;
    private final LinkedBlockingDeque<Object> accepted = new LinkedBlockingDeque<>();
    private volatile Channel server;
    private volatile boolean closed;
    /** Threads blocked in {@link #transportAccept} now: the read demand the listen channel should keep. */
    private final java.util.concurrent.atomic.AtomicInteger waiters = new java.util.concurrent.atomic.AtomicInteger();
    /** Contexts by SNI name, shared by this listener's sockets (sni_hosts/sni_fun), else null. */
    private final io.sslkit.netty.context.SniSelector.Contexts sni;
    /** Options accepted sockets inherit; {@link #setopts} replaces them (emulated and TCP options alike). */
    private volatile SslOptions acceptOptions;

    private NettySslListenSocket(NettySsl runtime, TlsContext tls) {
        this.runtime = runtime;
        this.tls = tls;
        this.acceptOptions = tls.options();
        this.sni = tls.options().choosesBySni() ? new io.sslkit.netty.context.SniSelector.Contexts(tls) : null;
    }

    @Override
    public synchronized void setopts(SocketOpt<?>... options) throws SslException {
        if (closed) {
            throw new SslException(Reason.CLOSED);
        }
        SocketConfig.checkSettable(options);
        SslOptions.Builder b = acceptOptions.toBuilder();
        for (SocketOpt<?> o : options) {
            b.set(o);
        }
        try {
            acceptOptions = b.build();
        } catch (io.sslkit.SslOptionsException e) {
            throw new SslException(e.reason());
        }
    }

    @Override
    public Map<Opt<?>, Object> getopts(Opt<?>... keys) throws SslException {
        if (closed) {
            throw new SslException(Reason.CLOSED);
        }
        Map<Opt<?>, Object> out = new LinkedHashMap<>();
        for (Opt<?> k : keys) {
            out.put(k, k == Opt.IP ? ((InetSocketAddress) server.localAddress()).getAddress() : acceptOptions.get(k));
        }
        return out;
    }

    static NettySslListenSocket bind(NettySsl runtime, TlsContext tls, int port) throws SslException {
        NettySslListenSocket l = new NettySslListenSocket(runtime, tls);
        ServerBootstrap b = new ServerBootstrap()
                .group(runtime.group())
                .channel(runtime.transport().serverChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.SO_REUSEADDR, tls.options().get(Opt.REUSEADDR))
                .option(ChannelOption.SO_BACKLOG, tls.options().get(Opt.BACKLOG))
                .option(ChannelOption.ALLOCATOR, runtime.alloc())
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true) // a peer's FIN ends reading, not the socket
                .childOption(ChannelOption.ALLOCATOR, runtime.alloc())
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        l.onAccepted(ch);
                    }
                });
        SocketConfig.applyToChildren(b, tls.options());
        java.net.InetAddress ip = tls.options().get(Opt.IP);
        try {
            io.netty.channel.ChannelFuture bound = ip == null ? b.bind(port) : b.bind(ip, port);
            Await.get(bound, Long.MAX_VALUE);
            l.server = bound.channel();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            // epoll throws Netty's NativeIoException (errno), NIO a BindException: eaddrinuse, eacces, ...
            throw new SslException(PosixErrors.reasonOf(c).orElseGet(() -> new Reason.Unexpected(String.valueOf(c))),
                    c);
        } catch (TimeoutException | InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
        return l;
    }

    private void onAccepted(Channel ch) {
        if (closed) {
            ch.close();
            return;
        }
        accepted.addLast(ch);
        if (closed && accepted.remove(ch)) { // closed meanwhile: nobody will take it
            ch.close();
            return;
        }
        // One read() accepts one connection when autoRead is off: keep read demand equal to the acceptors that
        // wait, or all but one of a pool of blocked acceptors would wait behind whole handshakes.
        if (waiters.get() > accepted.size()) {
            server.read();
        }
    }

    @Override
    public SslSocket transportAccept(Timeout timeout) throws SslException {
        if (closed) {
            throw new SslException(Reason.CLOSED);
        }
        long deadline = timeout.deadlineNanos();
        try {
            {
                Object next = accepted.pollFirst();
                if (next == null) {
                    waiters.incrementAndGet();
                    try {
                        server.read(); // ask the kernel for the next connection
                        long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                        next = accepted.pollFirst(left, TimeUnit.NANOSECONDS);
                    } finally {
                        waiters.decrementAndGet();
                    }
                }
                if (next == null) {
                    throw new SslException(Reason.TIMEOUT);
                }
                if (next == CLOSED) {
                    accepted.addFirst(CLOSED); // for the other waiters
                    throw new SslException(Reason.CLOSED);
                }
                // A connection that is already gone is still returned, as OTP does: its handshake says closed.
                Channel ch = (Channel) next;
                if (accepted.isEmpty()) {
                    // Accept the next one while this caller hands its socket on, so that an acceptor coming back
                    // finds it queued instead of waiting a round trip through the event loop for every
                    // connection. At most one is taken ahead of the acceptors: a listener nobody accepts from
                    // still leaves connections in the kernel's backlog.
                    server.read();
                }
                SslOptions now = acceptOptions;
                now.socketOptions().forEach((k, v) -> SocketConfig.set(ch, k, v)); // setopts made since listen
                NettySslSocket s = NettySslSocket.accepted(runtime, ch, tls, now, sni);
                runtime.track(s);
                return s;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
    }

    @Override
    public void sessionTicketKeys(java.util.List<byte[]> keys) throws SslException {
        if (closed) {
            throw new SslException(Reason.CLOSED);
        }
        io.sslkit.netty.context.SessionTickets.set(tls.context(), keys);
    }

    @Override
    public InetSocketAddress sockname() throws SslException {
        if (closed) {
            throw new SslException(Reason.CLOSED);
        }
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        runtime.forget(this);
        Await.quietly(server.close(), 5_000);
        Object o;
        while ((o = accepted.pollFirst()) != null) {
            if (o instanceof Channel ch) {
                ch.close(); // accepted but never taken
            }
        }
        accepted.addLast(CLOSED);
    }

    @Override
    public String toString() {
        return "SslListenSocket[" + (server == null ? "?" : server.localAddress()) + (closed ? ", closed]" : "]");
    }
}
