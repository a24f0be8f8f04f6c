package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sslkit.Active;
import io.sslkit.Reason;
import io.sslkit.netty.handler.packet.InvalidPacketException;
import io.sslkit.netty.handler.packet.PacketDecoder;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Erlang's active and passive modes as a Netty handler: a queue of decrypted bytes right after {@code SslHandler},
 * served to whoever asks, with reads issued to the kernel only on demand.
 *
 * <h3>Usage</h3>
 * <pre>{@code
 * channel.config().setAutoRead(false);                  // always: demand drives reads
 * pipeline.addLast(sslHandler)
 *         .addLast(new ActiveModeHandler(mapper))        // mapper: Throwable -> Reason
 *         .addLast(yourHandler);                         // gets messages per demand, then a StreamEnd event
 * activeModeHandler.setActive(Active.ONCE);              // any thread
 * }</pre>
 *
 * <h3>Demand</h3>
 * {@code active} is a demand counter (as Vert.x's fetch): {@code false} = none, {@code true} = unbounded,
 * {@code once} = 1, {@code N} = N (additive, OTP 21+). While there is demand, each message (everything queued for
 * {@code packet raw}, one packet otherwise) goes to the {@link ActiveSink}: by default fired downstream as
 * {@code channelRead} (the receiver releases it), then a {@link PassiveEvent} when a count runs out. Passive readers
 * call {@link #recv(int, long)} instead ({@code ssl:recv/3} semantics). {@link #setPaused} holds active delivery
 * back without changing the mode (a slow owner).
 *
 * <h3>Flow control</h3>
 * {@code SslHandler} reads on its own (handshake, partial records), so bytes may arrive unasked: they are queued,
 * never dropped and never delivered early. This handler calls {@code read()} only while the queue cannot meet the
 * demand, so with no demand the kernel buffer fills and TCP holds the sender back. One bounded exception: once the
 * socket has been read ({@link #recv}, or an active mode), a passive socket goes on reading until {@link #READ_AHEAD}
 * bytes are queued, so that the next {@code recv} or {@code {active, once}} finds data instead of starting a socket
 * read and waiting for it (such a loop otherwise alternates between the network and the reader and runs at about
 * half the rate). A socket nobody reads from still reads nothing, as in OTP.
 *
 * <h3>End of stream</h3>
 * An exception, a close_notify, the channel going inactive or an invalid packet ends the stream; the first one wins
 * and becomes a {@link StreamEnd}, reported after every message before it: to an active reader through the sink, to
 * passive readers as the failure of {@code recv}. Exceptions are not propagated further. Bytes still queued when the
 * channel closes stay readable (copied to the heap on removal). An invalid packet also closes the channel.
 *
 * <h3>Threading</h3>
 * All state is touched only on the channel's event loop; {@link #recv}, {@link #setActive}, {@link #setPaused} and
 * {@link #setDecoder} may be called from any thread and hop onto it.
 */
public final class ActiveModeHandler extends ChannelInboundHandlerAdapter {

    /** Bytes a passive socket that is being read may queue ahead of its reader's next {@code recv}. */
    public static final int READ_AHEAD = 128 * 1024;

    private final Function<Throwable, Reason> errorMapper;
    private ActiveSink sink;
    private ChannelHandlerContext ctx;
    /** Decrypted bytes not yet delivered. Owned here. */
    private ByteQueue queue;
    /** How packets are cut from {@link #queue}; {@code null} = raw. */
    private PacketDecoder decoder;
    /** How the stream ended; set once, never cleared. */
    private StreamEnd end;
    /** The first end event seen, until {@link #end} takes it over ({@link #applyEnd}). */
    private StreamEnd pendingEnd;
    /** Whether {@link #end} went to the sink (at most once). */
    private boolean endFired;
    /** The decoder failed on the queue's head: nothing more can be delivered from it. */
    private boolean stuck;
    /** The current mode; for {@link Active.Kind#COUNT} the remaining count is in {@link #count} (always > 0). */
    private Active.Kind mode = Active.Kind.FALSE;
    private int count;
    /** Active delivery held back (a slow owner); demand and mode are kept. */
    private boolean paused;
    /** Passive reads waiting for data, oldest first. */
    private final ArrayDeque<RecvRequest> recvs = new ArrayDeque<>();
    /** A read() was issued and no channelReadComplete has come since. */
    private boolean readRequested;
    /** The socket has been read (recv or an active mode): read ahead of its reader, up to {@link #READ_AHEAD}. */
    private boolean readAhead;
    /** Re-entrancy guard: a sink may change demand from inside {@link ActiveSink#data}. */
    private boolean delivering;
    private boolean deliverAgain;

    /** A handler that fires active messages downstream. */
    public ActiveModeHandler(Function<Throwable, Reason> errorMapper) {
        this(errorMapper, null);
    }

    /** A handler that gives active messages to {@code sink} ({@code null}: fire them downstream). */
    public ActiveModeHandler(Function<Throwable, Reason> errorMapper, ActiveSink sink) {
        this.errorMapper = errorMapper;
        this.sink = sink;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.queue = new ByteQueue(ctx.alloc());
        if (sink == null) {
            sink = new ActiveSink.Pipeline(ctx);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Netty removes every handler when the channel closes, but bytes that arrived before the close must stay
        // readable. They move to an untracked heap copy, freed by the garbage collector with this handler.
        endStream(StreamEnd.TRUNCATED);
        applyEnd();
        if (!queue.isEmpty()) {
            ByteBuf rest = queue.takeAll();
            try {
                queue.add(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(rest)));
            } finally {
                rest.release();
            }
        }
        deliver();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        // Accepted even after an end event: SslHandler may fire the close or error event before the data it
        // decrypted in the same read (it flushes its output in a finally block). That data came first.
        queue.add(buf);
        deliver();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readRequested = false;
        applyEnd(); // the read that carried a close_notify or alert is over: its data is queued
        readIfNeeded();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Reason r = errorMapper.apply(cause);
        // OTP: a TCP error (reset, broken pipe) ends the stream as closed, not as an error; it was not clean
        endStream(r instanceof Reason.Posix ? StreamEnd.TRUNCATED : new StreamEnd(r, cause));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent close && close.isSuccess()) {
            endStream(StreamEnd.CLOSED); // close_notify received: nothing more will come
        } else if (evt instanceof ChannelInputShutdownEvent) {
            endStream(StreamEnd.TRUNCATED); // TCP FIN (half-closure allowed) without close_notify before it
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endStream(StreamEnd.TRUNCATED); // unless close_notify or an error came first
        applyEnd();
        ctx.fireChannelInactive();
    }

    /** Records the first end event; it takes effect after the current read, at inactive or removal. */
    private void endStream(StreamEnd e) {
        if (end != null || pendingEnd != null) {
            return;
        }
        pendingEnd = e;
        ctx.executor().execute(this::applyEnd);
    }

    private void applyEnd() {
        if (end == null && pendingEnd != null) {
            end = pendingEnd;
            sink.streamEnded(end);
            deliver();
        }
    }

    // ---- demand (any thread) ------------------------------------------------------------------------------

    /**
     * Sets {@code active}. {@code N} adds to a current count; a total {@code <= 0} makes the handler passive and
     * tells the sink. The future fails with {@link IllegalArgumentException} if the sum leaves -32768..32767 (the
     * mode is then unchanged).
     */
    public Future<Void> setActive(Active active) {
        Promise<Void> p = ctx.executor().newPromise();
        runOnLoop(() -> {
            if (applyActive(active)) {
                p.setSuccess(null);
            } else {
                p.setFailure(new IllegalArgumentException("active count out of range"));
            }
        });
        return p;
    }

    private boolean applyActive(Active active) {
        if (active.kind() != Active.Kind.COUNT) {
            mode = active.kind();
            count = 0;
        } else {
            long sum = (mode == Active.Kind.COUNT ? count : 0L) + active.count();
            if (sum < Active.MIN_COUNT || sum > Active.MAX_COUNT) {
                return false;
            }
            mode = sum <= 0 ? Active.Kind.FALSE : Active.Kind.COUNT;
            count = (int) Math.max(0, sum);
            if (sum <= 0) {
                sink.passive(); // OTP: {ssl_passive, S} at once for a total <= 0
            }
        }
        if (mode != Active.Kind.FALSE) {
            readAhead = true; // an {active, once} loop is a reader too: its next setopts finds data waiting
        }
        deliver();
        return true;
    }

    /** Holds active delivery back ({@code true}) or lets it go on, keeping the mode (any thread). */
    public void setPaused(boolean paused) {
        runOnLoop(() -> {
            this.paused = paused;
            deliver();
        });
    }

    /**
     * Sets the decoder before the handler is added to a pipeline (construction time; not thread-safe).
     *
     * @return this handler
     */
    public ActiveModeHandler withDecoder(PacketDecoder decoder) {
        if (ctx != null) {
            throw new IllegalStateException("already in a pipeline: use setDecoder");
        }
        this.decoder = decoder;
        return this;
    }

    /** Sets how packets are cut from the stream, from the next packet on ({@code null} = raw; any thread). */
    public Future<Void> setDecoder(PacketDecoder decoder) {
        Promise<Void> p = ctx.executor().newPromise();
        runOnLoop(() -> {
            this.decoder = decoder;
            this.stuck = false;
            deliver();
            p.setSuccess(null);
        });
        return p;
    }

    /** The current {@code active} value (event loop). {@code false} after {@code once} fired. */
    public Active active() {
        return switch (mode) {
            case FALSE -> Active.FALSE;
            case TRUE -> Active.TRUE;
            case ONCE -> Active.ONCE;
            case COUNT -> Active.count(count);
        };
    }

    /**
     * {@code ssl:recv/3} on a passive stream (any thread). With {@code packet raw}, {@code length 0} returns all that
     * is queued (at least a byte) and {@code N > 0} exactly N bytes; with another packet type one whole packet,
     * whatever the length. The future gets a {@link ByteBuf} (caller releases) or a decoded packet, or fails with
     * {@link RecvException}: {@code timeout} (nothing consumed), {@code einval} (active), or how the stream ended.
     *
     * @param timeoutMillis negative = no limit; 0 = only what is queued now
     */
    public Future<Object> recv(int length, long timeoutMillis) {
        Promise<Object> p = ctx.executor().newPromise();
        runOnLoop(() -> addRecv(new RecvRequest(length, p), timeoutMillis));
        return p;
    }

    private void addRecv(RecvRequest r, long timeoutMillis) {
        if (mode != Active.Kind.FALSE) {
            r.promise.setFailure(new RecvException(Reason.EINVAL)); // OTP: recv on an active socket
            return;
        }
        recvs.addLast(r);
        readAhead = true;
        deliver();
        if (!r.promise.isDone()) {
            if (timeoutMillis == 0) {
                timeOut(r);
            } else if (timeoutMillis > 0) {
                r.timer = ctx.executor().schedule(() -> timeOut(r), timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void timeOut(RecvRequest r) {
        if (recvs.remove(r)) {
            r.promise.tryFailure(new RecvException(Reason.TIMEOUT));
            deliver(); // a later request may now be at the head
        }
    }

    /**
     * Cancels a pending {@link #recv} without losing data (any thread): if the request was already served, the
     * future holds the data and the caller must still take it.
     */
    public void cancelRecv(Future<Object> future) {
        runOnLoop(() -> recvs.removeIf(r -> {
            if (r.promise != future) {
                return false;
            }
            r.cancelTimer();
            r.promise.tryFailure(new RecvException(Reason.TIMEOUT));
            return true;
        }));
    }

    // ---- delivery (event loop) ----------------------------------------------------------------------------

    private void deliver() {
        if (delivering) {
            deliverAgain = true;
            return;
        }
        delivering = true;
        try {
            do {
                deliverAgain = false;
                serveRecvs();
                serveActive();
            } while (deliverAgain);
        } finally {
            delivering = false;
        }
        readIfNeeded();
    }

    private void serveRecvs() {
        while (!recvs.isEmpty()) {
            RecvRequest r = recvs.peekFirst();
            Object packet = next(r.length);
            if (packet != null) {
                recvs.pollFirst();
                r.cancelTimer();
                if (!r.promise.trySuccess(packet)) {
                    ReferenceCountUtil.release(packet);
                }
            } else if (end != null) {
                // OTP: a recv the stream ended under returns closed and the bytes it was waiting on are gone
                // (the connection process ends with them); later recvs say closed too
                queue.release();
                failRecvs(end);
            } else {
                return;
            }
        }
    }

    private void serveActive() {
        while (mode != Active.Kind.FALSE && !paused) {
            long before = queue.readableBytes();
            Object packet = next(0);
            if (packet == null) {
                break;
            }
            boolean countRanOut = consumeDemand();
            sink.data(packet, (int) Math.min(Integer.MAX_VALUE, before - queue.readableBytes()));
            if (countRanOut) {
                sink.passive();
            }
        }
        // The loop stopped because no whole message is left: what remains (a partial packet) can never complete.
        if (end != null && !endFired && mode != Active.Kind.FALSE && !paused) {
            endFired = true;
            sink.end(end);
        }
    }

    /** One message from the queue, or null; an invalid packet ends the stream (and closes the channel). */
    private Object next(int rawLength) {
        if (stuck) {
            return null;
        }
        if (decoder == null) {
            if (rawLength == 0) {
                return queue.isEmpty() ? null : queue.takeAll();
            }
            return queue.readableBytes() >= rawLength ? queue.take(rawLength) : null;
        }
        try {
            return decoder.decode(queue);
        } catch (InvalidPacketException e) {
            stuck = true;
            if (end == null) {
                end = new StreamEnd(e.reason(), e);
                sink.streamEnded(end);
            }
            ctx.channel().close(); // OTP: the connection closes after {invalid_packet, _}
            return null;
        }
    }

    /** Counts one delivered message; returns whether an N count just ran out. */
    private boolean consumeDemand() {
        if (mode == Active.Kind.ONCE) {
            mode = Active.Kind.FALSE;
        } else if (mode == Active.Kind.COUNT && --count == 0) {
            mode = Active.Kind.FALSE;
            return true;
        }
        return false;
    }

    private void failRecvs(StreamEnd e) {
        RecvRequest r;
        while ((r = recvs.pollFirst()) != null) {
            r.cancelTimer();
            r.promise.tryFailure(new RecvException(e.reason(), e.cause()));
        }
    }

    private void readIfNeeded() {
        if (readRequested || end != null || pendingEnd != null || !ctx.channel().isActive()) {
            return;
        }
        // Called after deliver(): whatever demand is left could not be met from the queue (no whole packet).
        boolean want = !stuck && (mode != Active.Kind.FALSE ? !paused
                : !recvs.isEmpty() || readAhead && queue.readableBytes() < READ_AHEAD);
        if (want) {
            readRequested = true;
            ctx.read();
        }
    }

    private void runOnLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    /** Bytes queued now (event loop only); for tests and metrics. */
    public long queuedBytes() {
        return queue.readableBytes();
    }

    /**
     * Takes every byte still queued, as raw bytes whatever the packet type (event loop only); the caller releases
     * the buffer. For a connection that leaves this handler behind (a TLS downgrade) without losing its data.
     */
    public ByteBuf takeQueued() {
        return queue.takeAll();
    }

    /** How the stream ended, or {@code null} while it is open (event loop only). */
    public StreamEnd streamEnd() {
        return end;
    }

    private static final class RecvRequest {
        final int length;
        final Promise<Object> promise;
        io.netty.util.concurrent.ScheduledFuture<?> timer;

        RecvRequest(int length, Promise<Object> promise) {
            this.length = length;
            this.promise = promise;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
