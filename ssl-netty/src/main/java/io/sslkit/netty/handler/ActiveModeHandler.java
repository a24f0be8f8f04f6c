package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sslkit.Active;
import io.sslkit.Reason;
import io.sslkit.netty.handler.packet.InvalidPacketException;
import io.sslkit.netty.handler.packet.PacketDecoder;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Erlang's active and passive modes as a Netty handler: a queue of decrypted bytes right after {@code SslHandler},
 * served to whoever asks, with reads issued to the kernel only on demand.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * channel.config().setAutoRead(false);                  // always: demand drives reads
 * pipeline.addLast(sslHandler)
 *         .addLast(new ActiveModeHandler(mapper))        // mapper: Throwable -> Reason
 *         .addLast(yourHandler);                         // gets messages per demand, then a StreamEnd event
 * activeModeHandler.setActive(Active.ONCE);              // any thread
 * }</pre>
 *
 * <h2>Demand</h2>
 * {@code active} is a demand counter (as Vert.x's fetch): {@code false} = none, {@code true} = unbounded,
 * {@code once} = 1, {@code N} = N (additive, OTP 21+). While there is demand, each message (everything queued for
 * {@code packet raw}, one packet otherwise) goes to the {@link ActiveSink}: by default fired downstream as
 * {@code channelRead} (the receiver releases it), then a {@link PassiveEvent} when a count runs out. Passive readers
 * call {@link #recv(int, long)} instead ({@code ssl:recv/3} semantics). {@link #setPaused} holds active delivery
 * back without changing the mode (a slow owner).
 *
 * <h2>Flow control</h2>
 * {@code SslHandler} reads on its own (handshake, partial records), so bytes may arrive unasked: they are queued,
 * never dropped and never delivered early. This handler calls {@code read()} only while the queue cannot meet the
 * demand, so with no demand the kernel buffer fills and TCP holds the sender back. One bounded exception: once the
 * socket has been read ({@link #recv}, or an active mode), a passive socket goes on reading until {@link #READ_AHEAD}
 * bytes are queued, so that the next {@code recv} or {@code {active, once}} finds data instead of starting a socket
 * read and waiting for it (such a loop otherwise alternates between the network and the reader and runs at about
 * half the rate). A socket nobody reads from still reads nothing, as in OTP.
 *
 * <h2>End of stream</h2>
 * An exception, a close_notify, the channel going inactive or an invalid packet ends the stream; the first one wins
 * and becomes a {@link StreamEnd}, reported after every message before it: to an active reader through the sink, to
 * passive readers as the failure of {@code recv}. Exceptions are not propagated further. Bytes still queued when the
 * channel closes stay readable (copied to the heap on removal). An invalid packet also closes the channel.
 *
 * <h2>Threading</h2>
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
    /** Where the end of the stream is; only moves forward (OPEN → PENDING → ENDED → REPORTED). */
    private EndPhase endPhase = EndPhase.OPEN;
    /** How the stream ended: null while {@link #endPhase} is OPEN, then set once (an invalid packet may replace a
     *  PENDING end: it is known at once, the pending one only after the current read). */
    private StreamEnd end;
    /** The decoder failed on the queue's head: nothing more can be delivered from it. */
    private boolean stuck;
    /**
     * Active demand, as Vert.x's fetch: messages that may still go to the sink. 0 = {@code false} (passive),
     * {@link #UNBOUNDED} = {@code true}, 1 = {@code once}, N = {@code {active, N}}; never negative.
     */
    private long demand;
    /** {@link #demand} is an {@code {active, N}} count: it adds up, and running out says {@code ssl_passive}. */
    private boolean counted;
    /** Active delivery held back by the user ({@link #setPaused}); demand is kept. */
    private boolean paused;
    /** Bytes handed to the sink and not yet consumed (see {@link ActiveSink#data(Object, int, Runnable)}). */
    private long unconsumed;
    /** Above this many unconsumed bytes active delivery stops, until half of them are consumed. */
    private int highWatermark = Integer.MAX_VALUE;
    /** {@link #unconsumed} went above {@link #highWatermark} and has not yet fallen to half of it. */
    private boolean overBudget;
    /** Passive reads waiting for data, oldest first. */
    private final RecvRequests recvs = new RecvRequests();
    /** A read() was issued and no channelReadComplete has come since. */
    private boolean readRequested;
    /** The socket has been read (recv or an active mode): read ahead of its reader, up to {@link #READ_AHEAD}. */
    private boolean readAhead;
    /** A task to read on is queued for the event loop by {@link #poll} (at most one at a time). */
    private boolean readScheduled;
    /**
     * Guards every field here: the event loop holds it in each entry point (it is reentrant), a user thread only
     * briefly in {@link #poll}/{@link #pollInto}, and only with {@code tryLock} (no user thread can ever make the
     * event loop wait long, and a user thread never waits for one busy delivering).
     */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
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

    /** The stages of the end of the stream. */
    private enum EndPhase {
        /** No end seen. */
        OPEN,
        /** An end event came; it applies after the current read (its data is queued first). */
        PENDING,
        /** The end is known: passive readers are failed with it once the queue is drained. */
        ENDED,
        /** An active reader was told (at most once). */
        REPORTED
    }

    /** {@link #demand} for {@code {active, true}}. */
    private static final long UNBOUNDED = Long.MAX_VALUE;

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
        lock.lock();
        try {
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
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lock.lock();
        try {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            // Accepted even after an end event: SslHandler may fire the close or error event before the data it
            // decrypted in the same read (it flushes its output in a finally block). That data came first.
            queue.add(buf);
            deliver();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lock.lock();
        try {
            readRequested = false;
            applyEnd(); // the read that carried a close_notify or alert is over: its data is queued
            readIfNeeded();
            ctx.fireChannelReadComplete();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        lock.lock();
        try {
            Reason r = errorMapper.apply(cause);
            // OTP: a TCP error (reset, broken pipe) ends the stream as closed, not as an error; it was not clean
            endStream(r instanceof Reason.Posix ? StreamEnd.TRUNCATED : new StreamEnd(r, cause));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        lock.lock();
        try {
            if (evt instanceof SslCloseCompletionEvent close && close.isSuccess()) {
                endStream(StreamEnd.CLOSED); // close_notify received: nothing more will come
            } else if (evt instanceof ChannelInputShutdownEvent) {
                endStream(StreamEnd.TRUNCATED); // TCP FIN (half-closure allowed) without close_notify before it
            }
            ctx.fireUserEventTriggered(evt);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        lock.lock();
        try {
            endStream(StreamEnd.TRUNCATED); // unless close_notify or an error came first
            applyEnd();
            ctx.fireChannelInactive();
        } finally {
            lock.unlock();
        }
    }

    /** Records the first end event; it takes effect after the current read, at inactive or removal. */
    private void endStream(StreamEnd e) {
        if (endPhase != EndPhase.OPEN) {
            return;
        }
        end = e;
        endPhase = EndPhase.PENDING;
        ctx.executor().execute(this::applyEnd); // applyEnd takes the lock
    }

    private void applyEnd() {
        lock.lock();
        try {
            if (endPhase == EndPhase.PENDING) {
                endPhase = EndPhase.ENDED;
                sink.streamEnded(end);
                deliver();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the end applies now (ENDED or REPORTED). */
    private boolean ended() {
        return endPhase.compareTo(EndPhase.ENDED) >= 0;
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
        Demand next = Demand.after(demand, counted, active);
        if (next == null) {
            return false; // unchanged
        }
        demand = next.n();
        counted = next.counted();
        if (active.kind() == Active.Kind.COUNT && demand == 0) {
            sink.passive(); // OTP: {ssl_passive, S} at once for a total <= 0
        }
        if (demand > 0) {
            readAhead = true; // an {active, once} loop is a reader too: its next setopts finds data waiting
        }
        deliver();
        return true;
    }

    /**
     * Whether {@code changes}, applied in order from the current demand, all stay in range (event loop only): lets
     * {@code setopts} check {@code active} before it changes anything.
     */
    public boolean acceptsActive(java.util.List<Active> changes) {
        lock.lock();
        try {
            long n = demand;
            boolean c = counted;
            for (Active a : changes) {
                Demand next = Demand.after(n, c, a);
                if (next == null) {
                    return false;
                }
                n = next.n();
                c = next.counted();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The demand after one {@code active} value: the only place that does this arithmetic. */
    private record Demand(long n, boolean counted) {

        /** The demand after {@code a}, or null if an N sum leaves -32768..32767. */
        static Demand after(long n, boolean counted, Active a) {
            return switch (a.kind()) {
                case FALSE -> new Demand(0, false);
                case TRUE -> new Demand(UNBOUNDED, false);
                case ONCE -> new Demand(1, false);
                case COUNT -> {
                    long sum = (counted ? n : 0L) + a.count(); // OTP 21+: N adds to a current count only
                    yield sum < Active.MIN_COUNT || sum > Active.MAX_COUNT ? null
                            : new Demand(Math.max(0, sum), sum > 0);
                }
            };
        }
    }

    /** Holds active delivery back ({@code true}) or lets it go on, keeping the mode (any thread). */
    public void setPaused(boolean paused) {
        runOnLoop(() -> {
            this.paused = paused;
            deliver();
        });
    }

    /**
     * Sets how many bytes the sink may hold unconsumed before active delivery stops (construction time; not
     * thread-safe). Delivery, and so reading, goes on once half of them are consumed: a slow consumer is held back
     * by TCP, not by memory. Default: no limit.
     *
     * @return this handler
     */
    public ActiveModeHandler withHighWatermark(int bytes) {
        if (ctx != null) {
            throw new IllegalStateException("already in a pipeline");
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("high watermark must be > 0: " + bytes);
        }
        this.highWatermark = bytes;
        return this;
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
        lock.lock();
        try {
            if (demand == 0) {
                return Active.FALSE;
            }
            if (demand == UNBOUNDED) {
                return Active.TRUE;
            }
            return counted ? Active.count((int) demand) : Active.ONCE;
        } finally {
            lock.unlock();
        }
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
        runOnLoop(() -> addRecv(new RecvRequests.Request(length, p), timeoutMillis));
        return p;
    }

    /**
     * Waits, as a passive {@link #recv} would, until at least one byte is queued, without taking any (any thread):
     * the future then holds {@link Boolean#TRUE}, and {@link #pollInto} takes the bytes. Fails as {@code recv}
     * does (timeout, einval when active, how the stream ended once the queue is empty).
     *
     * @param timeoutMillis negative = no limit; 0 = only what is queued now
     */
    public Future<Object> readable(long timeoutMillis) {
        Promise<Object> p = ctx.executor().newPromise();
        runOnLoop(() -> addRecv(new RecvRequests.Request(RecvRequests.PEEK, p), timeoutMillis));
        return p;
    }

    private void addRecv(RecvRequests.Request r, long timeoutMillis) {
        if (demand > 0) {
            r.promise.setFailure(new RecvException(Reason.EINVAL)); // OTP: recv on an active socket
            return;
        }
        recvs.add(r);
        readAhead = true;
        deliver();
        if (!r.promise.isDone()) {
            if (timeoutMillis == 0) {
                timeOut(r);
            } else if (timeoutMillis > 0) {
                r.timer = ctx.executor().schedule(() -> locked(() -> timeOut(r)), timeoutMillis,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    private void timeOut(RecvRequests.Request r) {
        if (recvs.timeOut(r)) {
            deliver(); // a later request may now be at the head
        }
    }

    /**
     * Cancels a pending {@link #recv} without losing data (any thread): if the request was already served, the
     * future holds the data and the caller must still take it.
     */
    public void cancelRecv(Future<Object> future) {
        runOnLoop(() -> recvs.cancel(future));
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
        // OTP: a recv the stream ended under returns closed and the bytes it was waiting on are gone (the
        // connection process ends with them); later recvs say closed too
        recvs.serve(this::next, () -> !queue.isEmpty(), () -> ended() ? end : null, queue::release);
    }

    private void serveActive() {
        while (demand > 0 && !held()) {
            long before = queue.readableBytes();
            Object packet = next(0);
            if (packet == null) {
                break;
            }
            boolean countRanOut = consumeDemand();
            int size = (int) Math.min(Integer.MAX_VALUE, before - queue.readableBytes());
            unconsumed += size;
            if (unconsumed > highWatermark) {
                overBudget = true; // a slow consumer: no delivery, so no read, so TCP holds the sender back
            }
            sink.data(packet, size, () -> consumed(size));
            if (countRanOut) {
                sink.passive();
            }
        }
        // The loop stopped because no whole message is left: what remains (a partial packet) can never complete.
        if (endPhase == EndPhase.ENDED && demand > 0 && !held()) {
            endPhase = EndPhase.REPORTED;
            sink.end(end);
        }
    }

    /** Whether active delivery is held back (by the user, or by a consumer that is behind). */
    private boolean held() {
        return paused || overBudget;
    }

    /** The sink's consumer took {@code size} bytes of a message (any thread). */
    private void consumed(int size) {
        runOnLoop(() -> {
            unconsumed -= size;
            if (overBudget && unconsumed <= highWatermark / 2) {
                overBudget = false;
                deliver();
            }
        });
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
            if (!ended()) {
                end = new StreamEnd(e.reason(), e);
                endPhase = EndPhase.ENDED;
                sink.streamEnded(end);
            }
            ctx.channel().close(); // OTP: the connection closes after {invalid_packet, _}
            return null;
        }
    }

    /** Counts one delivered message; returns whether an N count just ran out. */
    private boolean consumeDemand() {
        if (demand == UNBOUNDED || --demand > 0) {
            return false;
        }
        boolean ranOut = counted; // once just ends; a count says so
        counted = false;
        return ranOut;
    }

    private void readIfNeeded() {
        if (readRequested || endPhase != EndPhase.OPEN || !ctx.channel().isActive()) {
            return;
        }
        // Called after deliver(): whatever demand is left could not be met from the queue (no whole packet).
        boolean want = !stuck && (demand > 0 ? !held()
                : !recvs.isEmpty() || readAhead && queue.readableBytes() < READ_AHEAD);
        if (want) {
            readRequested = true;
            ctx.read();
        }
    }

    /** Runs {@code task} on the event loop, under {@link #lock} (at once when called there). */
    private void runOnLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            locked(task);
        } else {
            ctx.executor().execute(() -> locked(task));
        }
    }

    private void locked(Runnable task) {
        lock.lock();
        try {
            task.run();
        } finally {
            lock.unlock();
        }
    }

    // ---- the fast path (any thread) -----------------------------------------------------------------------

    /**
     * {@code ssl:recv/3}'s fast path (any thread): takes a message at once, without a hop to the event loop, when
     * one is queued, the handler is passive and no other reader waits ahead. Same semantics as {@link #recv} for
     * the message it returns; {@code null} when it cannot answer now (nothing whole queued, the stream ended, the
     * event loop busy in the handler, an invalid packet at the head): then {@link #recv} decides.
     *
     * @return a {@link ByteBuf} (the caller releases it) or a decoded packet, or null
     */
    public Object poll(int length) {
        if (ctx == null || !lock.tryLock()) {
            return null;
        }
        try {
            if (!canPoll()) {
                return null;
            }
            Object m;
            if (decoder == null) {
                m = length == 0 ? (queue.isEmpty() ? null : queue.takeAll())
                        : queue.readableBytes() >= length ? queue.take(length) : null;
            } else {
                m = decodeQuietly();
            }
            if (m != null) {
                tookOffLoop();
            }
            return m;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The zero-copy fast path of a raw passive read (any thread): copies up to {@code dst.remaining()} queued bytes
     * into {@code dst}, no buffer allocated. Returns how many (0: nothing queued, or it cannot answer now; see
     * {@link #poll}); -1 when a packet type other than raw is set (use {@link #poll}).
     */
    public int pollInto(java.nio.ByteBuffer dst) {
        if (ctx == null || !lock.tryLock()) {
            return 0;
        }
        try {
            if (decoder != null) {
                return -1;
            }
            if (!canPoll() || queue.isEmpty()) {
                return 0;
            }
            int n = queue.readBytes(dst);
            tookOffLoop();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Under {@link #lock}: whether a user thread may take from the queue now (order and modes kept). */
    private boolean canPoll() {
        return demand == 0 && recvs.isEmpty() && !stuck && !delivering;
    }

    private Object decodeQuietly() {
        try {
            return decoder.decode(queue);
        } catch (InvalidPacketException e) {
            return null; // the event loop reports it, in order (recv takes the slow path)
        }
    }

    /**
     * Under {@link #lock}, after a user thread took bytes: it is a reader, so the read-ahead applies; if that
     * leaves room under {@link #READ_AHEAD} and no read is under way, the event loop is asked once to read on.
     */
    private void tookOffLoop() {
        readAhead = true;
        if (!readRequested && !readScheduled && endPhase == EndPhase.OPEN && queue.readableBytes() < READ_AHEAD) {
            readScheduled = true;
            ctx.executor().execute(() -> locked(() -> {
                readScheduled = false;
                readIfNeeded();
            }));
        }
    }

    /** Bytes queued now (event loop only); for tests and metrics. */
    public long queuedBytes() {
        lock.lock();
        try {
            return queue.readableBytes();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes every byte still queued, as raw bytes whatever the packet type (event loop only); the caller releases
     * the buffer. For a connection that leaves this handler behind (a TLS downgrade) without losing its data.
     */
    public ByteBuf takeQueued() {
        lock.lock();
        try {
            return queue.takeAll();
        } finally {
            lock.unlock();
        }
    }

    /** How the stream ended, or {@code null} while it is open (event loop only). */
    public StreamEnd streamEnd() {
        lock.lock();
        try {
            return ended() ? end : null;
        } finally {
            lock.unlock();
        }
    }
}
