package io.sslkit.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.Future;
import io.sslkit.PacketType;
import io.sslkit.PlainSocket;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.Timeout;
import io.sslkit.netty.conn.Emulated;
import io.sslkit.netty.conn.TlsConnection;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.internal.Await;
import io.sslkit.netty.internal.Errors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The plain TCP connection left by a TLS downgrade ({@code ssl:close(S, {NewOwner, Timeout})}): a passive byte
 * stream over the same Netty channel the TLS socket used, as OTP's {@code [{active,false},{packet,0},{mode,binary}]}
 * gen_tcp socket.
 *
 * <h2>The channel</h2>
 * Every TLS handler is gone from the pipeline ({@code SslHandler}, the active-mode queue, the socket's bridge);
 * what is there is this view's own pair, {@code "plain"} (an {@link ActiveModeHandler} kept passive: reads only
 * while a {@code recv} waits) and {@code "plain-bridge"} (wakes blocked senders). {@code AUTO_READ} stays off. A
 * Netty program that wants the bare channel calls {@link #detach()}. The channel belongs to the caller; the runtime
 * only closes it when it stops (its event loops go away), detached or not.
 *
 * <h2>Getting it</h2>
 * {@code (NettyPlainSocket) sslSocket.downgrade(timeout).socket()}: every {@code PlainSocket} this runtime makes is
 * one.
 */
public final class NettyPlainSocket implements PlainSocket {

    /** How long {@link #close()} waits for the channel to close. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final Channel channel;
    private final ActiveModeHandler reader;
    private final WriteGate gate = new WriteGate();
    private final SocketBridge bridge = new SocketBridge(gate);
    private final Sender sender;
    private final PassiveReader recvReader;
    /** CLOSED once {@link #close()} or {@link #detach()} was called: this view is done (the channel may live on). */
    private final TlsConnection conn;

    NettyPlainSocket(NettySsl runtime, Channel channel, boolean client) {
        this.channel = channel;
        this.reader = new ActiveModeHandler(Errors.mapper(client));
        this.conn = new TlsConnection(channel, TlsConnection.Phase.OPEN, Emulated.PLAIN);
        this.sender = new Sender(channel, gate, conn, true);
        this.recvReader = new PassiveReader(reader, t -> Reason.CLOSED); // a plain stream: any failure is closed
        channel.closeFuture().addListener(f -> gate.signal());
        // Ssl.stop() closes the connection (detached or not) before its event loops go: a loop's own shutdown
        // does not close every channel (seen with a re-armed epoll registration), and an open one would leak.
        AutoCloseable closer = channel::close;
        runtime.track(closer);
        channel.closeFuture().addListener(f -> runtime.forget(closer));
    }

    /** Adds this view's handlers to the channel's pipeline (event loop; the TLS handlers are gone). */
    void install() {
        ChannelPipeline p = channel.pipeline();
        p.addLast("plain", reader);
        p.addLast("plain-bridge", bridge);
        if (channel instanceof DuplexChannel d && d.isInputShutdown()) {
            // The peer's FIN came during the downgrade: the plain stream has already ended after what is queued
            p.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    /** The Netty channel under this socket (Netty only, no Erlang counterpart; {@link #detach()} takes it over). */
    public Channel channel() {
        return channel;
    }

    /**
     * Hands the channel over to a Netty program (no Erlang counterpart: the Netty side of {@code NewOwner}):
     * removes this view's handlers and then fires the bytes it had read but not returned down the pipeline
     * ({@code channelRead} + {@code channelReadComplete}), so add your handlers before calling this. {@code AUTO_READ} stays off. This view is done afterwards (its calls say
     * {@code closed}); the channel stays open.
     *
     * @throws SslException {@code closed} if this view was closed or detached
     */
    public Channel detach() throws SslException {
        checkNotOnEventLoop();
        if (conn.close() == TlsConnection.Phase.CLOSED) {
            throw new SslException(Reason.CLOSED);
        }
        Future<?> f;
        try {
            f = channel.eventLoop().submit(this::handOver);
        } catch (RejectedExecutionException e) {
            throw new SslException(Reason.CLOSED); // the runtime stopped: its loops closed the connection
        }
        try {
            Await.get(f, Long.MAX_VALUE);
        } catch (ExecutionException e) {
            throw new SslException(Reason.CLOSED, e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
        return channel;
    }

    /** Removes this view's handlers and passes what it had read on to the handlers after them (event loop). */
    private void handOver() {
        ByteBuf rest = reader.takeQueued();
        ChannelPipeline p = channel.pipeline();
        p.remove(reader);
        p.remove(bridge);
        if (rest.isReadable()) {
            p.fireChannelRead(rest);
            p.fireChannelReadComplete();
        } else {
            rest.release();
        }
    }

    @Override
    public void send(byte[] data) throws SslException {
        send(ByteBuffer.wrap(data));
    }

    @Override
    public void send(ByteBuffer data) throws SslException {
        checkOpen();
        checkNotOnEventLoop();
        sender.send(data, PacketType.RAW, Long.MAX_VALUE);
    }

    @Override
    public byte[] recv(int length, Timeout timeout) throws SslException {
        checkOpen();
        checkNotOnEventLoop();
        return recvReader.recvBytes(length, timeout, true); // raw: the handler has no packet decoder
    }

    @Override
    public InetSocketAddress peername() throws SslException {
        return address((InetSocketAddress) channel.remoteAddress());
    }

    @Override
    public InetSocketAddress sockname() throws SslException {
        return address((InetSocketAddress) channel.localAddress());
    }

    private InetSocketAddress address(InetSocketAddress a) throws SslException {
        if (conn.closedLocally() || a == null) {
            throw new SslException(Reason.EINVAL); // as inet after close
        }
        return a;
    }

    @Override
    public void close() {
        if (conn.close() == TlsConnection.Phase.CLOSED) {
            return;
        }
        Future<Void> f = channel.close();
        if (!channel.eventLoop().inEventLoop()) {
            Await.quietly(f, CLOSE_WAIT_MILLIS);
        }
    }

    private void checkOpen() throws SslException {
        if (conn.closedLocally()) {
            throw new SslException(Reason.CLOSED);
        }
    }

    private void checkNotOnEventLoop() {
        Await.offLoop(channel);
    }

    @Override
    public String toString() {
        return "PlainSocket[" + channel.localAddress() + " -> " + channel.remoteAddress()
                + (conn.closedLocally() ? ", closed]" : "]");
    }
}
