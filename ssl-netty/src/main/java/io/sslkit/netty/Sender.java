package io.sslkit.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.sslkit.PacketType;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.netty.conn.TlsConnection;
import io.sslkit.netty.handler.packet.PacketEncoder;
import io.sslkit.netty.handler.packet.PacketTooLargeException;
import io.sslkit.netty.internal.Await;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The send path of one socket ({@code ssl:send/2}): the {@code packet} length header, writes split in chunks so that
 * TCP back-pressure applies inside one big send, and {@code send_timeout}.
 *
 * <p>One send is atomic with respect to other threads' sends (a lock held for its chunks), as a send is one message
 * to OTP's sender process: with {@code packet 4}, two threads can never interleave their packets' bytes. The lock is
 * a {@link ReentrantLock}, so a blocked virtual thread does not pin its carrier.
 *
 * <h2>Coalescing</h2>
 * A send of at most {@link #SMALL} bytes is copied into a pending buffer, and the event loop is woken once per
 * batch to write and flush it (one task for many sends, where each used to cost a task and often an
 * {@code eventfd} wake-up). Flow control is unchanged: each send still waits for the channel to be writable first
 * ({@code send_timeout}, {@code high_watermark}), and the pending buffer adds at most {@link #PENDING} bytes. Order
 * is kept: a larger send writes what is pending first, and the flush task is queued before anything a later call
 * queues (a close, a shutdown, a renegotiation), so it runs first.
 */
final class Sender {

    /** Writes larger than this are split. */
    static final int CHUNK = 256 * 1024;

    private final Channel channel;
    private final WriteGate gate;
    private final ReentrantLock lock = new ReentrantLock();
    /** Whose {@code writeShut} {@link #closeOutput} sets (under {@link #lock}, so no send is half done then). */
    private final TlsConnection conn;
    /** The future of the latest chunk written; null before the first. Written under {@link #pendingLock}. */
    private volatile io.netty.channel.ChannelFuture lastWrite;
    /** Sends up to this size are coalesced. */
    static final int SMALL = 4 * 1024;
    /** The pending buffer's size: a fuller one is written out at once. */
    static final int PENDING = 64 * 1024;
    /**
     * Guards {@link #pending} and {@link #batch}; held only to append or take, never while waiting, because
     * the event loop takes it too (a sender blocked on writability holds {@link #lock}, which the loop never takes).
     */
    private final Object pendingLock = new Object();
    /** Whether small sends go through {@link #pending}. */
    private final boolean coalesce;
    /** Coalesced bytes not yet handed to the channel; null when none. */
    private ByteBuf pending;
    /**
     * Numbers the batches: each new {@link #pending} gets the next, and its flush task writes it only if it is still
     * that batch. A batch a larger send already wrote out leaves its task behind in the event loop's queue, ahead of
     * that send's writes; were the task to write whatever is pending then, a later batch would overtake them.
     */
    private long batch;

    /**
     * @param coalesce whether small sends are coalesced: not on an engine that renegotiates (the JDK's), where the
     *                 renegotiation tests timed out with it (the same reason the flush consolidation is BoringSSL
     *                 only; not understood yet)
     */
    Sender(Channel channel, WriteGate gate, TlsConnection conn, boolean coalesce) {
        this.channel = channel;
        this.gate = gate;
        this.conn = conn;
        this.coalesce = coalesce;
    }

    /**
     * Sends the remaining bytes of {@code data} (its position moves to its limit).
     *
     * @param deadlineNanos {@code send_timeout} as a deadline ({@link Long#MAX_VALUE}: none)
     * @throws SslException {@code {badarg, {packet_to_large, Len, Max}}} (nothing sent), {@code timeout},
     *                      {@code closed}
     */
    void send(ByteBuffer data, PacketType packet, long deadlineNanos) throws SslException {
        try {
            PacketEncoder.checkLength(packet, data.remaining()); // before the lock: nothing is sent
        } catch (PacketTooLargeException e) {
            throw new SslException(e.reason());
        }
        lock.lock();
        try {
            if (conn.state().writeShut()) {
                throw new SslException(Reason.CLOSED); // after shutdown(write)
            }
            if (coalesce && data.remaining() + packet.headerSize() <= SMALL) {
                awaitWritable(deadlineNanos);
                coalesce(data, packet);
                return;
            }
            writePending();
            if (packet.headerSize() > 0) {
                awaitWritable(deadlineNanos);
                ByteBuf header = channel.alloc().directBuffer(packet.headerSize());
                PacketEncoder.writeHeader(packet, data.remaining(), header);
                channel.write(header, channel.voidPromise());
            }
            do {
                awaitWritable(deadlineNanos);
                int n = Math.min(data.remaining(), CHUNK);
                ByteBuf buf = channel.alloc().directBuffer(n);
                ByteBuffer slice = data.slice();
                slice.limit(n);
                buf.writeBytes(slice);
                data.position(data.position() + n);
                // A refused write is released by Netty and fails its promise; the next call sees closed.
                synchronized (pendingLock) {
                    lastWrite = channel.writeAndFlush(buf);
                }
            } while (data.hasRemaining());
        } finally {
            lock.unlock();
        }
    }

    /** Appends one small send (header and bytes) to {@link #pending}; queues the flush task for the batch. */
    private void coalesce(ByteBuffer data, PacketType packet) throws SslException {
        int size = data.remaining() + packet.headerSize();
        boolean newBatch = false;
        long id;
        synchronized (pendingLock) {
            if (pending != null && pending.maxWritableBytes() < size) {
                lastWrite = channel.writeAndFlush(pending); // full: out now, a new batch starts
                pending = null;
            }
            if (pending == null) {
                pending = channel.alloc().directBuffer(SMALL, PENDING); // grows with the batch
                batch++;
                newBatch = true;
            }
            PacketEncoder.writeHeader(packet, data.remaining(), pending);
            pending.writeBytes(data);
            id = batch;
        }
        if (newBatch) {
            try {
                channel.eventLoop().execute(() -> writeBatch(id));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                writePending(); // the runtime stopped: the write fails and frees the buffer
                throw new SslException(Reason.CLOSED);
            }
        }
    }

    /** Hands what is pending to the channel, before any other write or a shutdown. */
    private void writePending() {
        synchronized (pendingLock) {
            if (pending != null) {
                lastWrite = channel.writeAndFlush(pending);
                pending = null;
            }
        }
    }

    /** The flush task of batch {@code id}: writes it unless a larger send or a close already did. */
    private void writeBatch(long id) {
        synchronized (pendingLock) {
            if (pending != null && batch == id) {
                lastWrite = channel.writeAndFlush(pending);
                pending = null;
            }
        }
    }

    /** An action on the output side that may fail like a send. */
    interface OutputAction {
        void run() throws SslException;
    }

    /**
     * Closes the write side once: waits for every queued send to reach the socket (TCP's own shutdown would fail
     * what is still queued), then runs {@code shutdown}. Later sends fail with {@code closed}.
     */
    void closeOutput(OutputAction shutdown) throws SslException {
        lock.lock();
        try {
            if (!conn.shutWrite()) {
                return;
            }
            // Everything sent must reach the socket first: TCP's shutdown fails what is still queued. The last
            // write's promise completes once its bytes (and so every earlier write's) left the channel's buffer.
            writePending();
            if (lastWrite != null) {
                Await.quietly(lastWrite, 30_000);
            }
            shutdown.run();
        } finally {
            lock.unlock();
        }
    }

    private void awaitWritable(long deadlineNanos) throws SslException {
        if (channel.isWritable()) {
            return;
        }
        channel.flush(); // what is queued must go out, or writability never comes back
        boolean ready;
        try {
            ready = gate.await(() -> channel.isWritable() || !channel.isActive(), deadlineNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
        if (!channel.isActive()) {
            throw new SslException(Reason.CLOSED);
        }
        if (!ready) {
            throw new SslException(Reason.TIMEOUT);
        }
    }
}
