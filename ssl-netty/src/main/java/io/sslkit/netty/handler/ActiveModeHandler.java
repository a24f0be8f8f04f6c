package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.sslkit.Active;
import io.sslkit.Reason;
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
 *         .addLast(yourHandler);                         // gets ByteBufs per demand, then a StreamEnd event
 * activeModeHandler.setActive(Active.ONCE);              // on the event loop
 * }</pre>
 *
 * <h3>Demand</h3>
 * {@code active} is a demand counter (as Vert.x's fetch): {@code false} = none, {@code true} = unbounded,
 * {@code once} = 1, {@code N} = N (additive). While there is demand, each queued chunk is fired downstream as
 * {@code channelRead(ByteBuf)} (the receiver releases it); when a count runs out a {@link PassiveEvent} follows the
 * last message. Passive readers call {@link #recv(int, long)} instead ({@code ssl:recv/3} semantics).
 *
 * <h3>Flow control</h3>
 * {@code SslHandler} reads on its own (handshake, partial records), so bytes may arrive unasked: they are queued,
 * never dropped and never delivered early. This handler calls {@code read()} only while the queue cannot meet the
 * demand, so with no demand the kernel buffer fills and TCP holds the sender back.
 *
 * <h3>End of stream</h3>
 * An exception, a close_notify or the channel going inactive ends the stream; the first one wins and becomes a
 * {@link StreamEnd}. It is reported after every queued byte: to an active reader as a user event, to passive
 * readers as the failure of {@code recv}. Exceptions are not propagated further (they are reported in order instead).
 * Bytes still queued when the channel closes stay readable with {@link #recv} (copied to the heap on removal).
 *
 * <h3>Threading and release</h3>
 * All state is touched only on the channel's event loop; {@link #recv} and {@link #setActive} may be called from
 * any thread and hop onto it. Queued bytes are released on {@code handlerRemoved}.
 */
public final class ActiveModeHandler extends ChannelInboundHandlerAdapter {

    private final Function<Throwable, Reason> errorMapper;

    private ChannelHandlerContext ctx;
    /** Decrypted bytes not yet delivered. Owned here; released on removal. */
    private ByteQueue queue;
    /** How the stream ended; set once, never cleared. */
    private StreamEnd end;
    /** The first end event seen, until {@link #end} takes it over ({@link #applyEnd}). */
    private StreamEnd pendingEnd;
    /** Whether {@link #end} was fired downstream (at most once). */
    private boolean endFired;
    /** The current mode; for {@link Active.Kind#COUNT} the remaining count is in {@link #count} (always > 0). */
    private Active.Kind mode = Active.Kind.FALSE;
    private int count;
    /** Passive reads waiting for data, oldest first. */
    private final ArrayDeque<RecvRequest> recvs = new ArrayDeque<>();
    /** A read() was issued and no channelReadComplete has come since. Cleared by channelReadComplete. */
    private boolean readRequested;
    /** Re-entrancy guard: a downstream handler may change demand from inside channelRead. */
    private boolean delivering;
    private boolean deliverAgain;
    /** Set when a COUNT demand reached zero with the message just fired, so PASSIVE follows that message. */
    private boolean lastWasCount;

    /**
     * @param errorMapper turns the exception that ended the stream into the reason readers see
     */
    public ActiveModeHandler(Function<Throwable, Reason> errorMapper) {
        this.errorMapper = errorMapper;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.queue = new ByteQueue(ctx.alloc());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Netty removes every handler when the channel closes, but bytes that arrived before the close must stay
        // readable (recv after the peer closed returns them, then closed). They move to an untracked heap copy,
        // freed by the garbage collector with this handler, and are served as before.
        endStream(StreamEnd.CLOSED);
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

    // ---- inbound ------------------------------------------------------------------------------------------

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
        endStream(new StreamEnd(errorMapper.apply(cause), cause));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslCloseCompletionEvent close && close.isSuccess()) {
            endStream(StreamEnd.CLOSED); // close_notify received: nothing more will come
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endStream(StreamEnd.CLOSED);
        applyEnd();
        ctx.fireChannelInactive();
    }

    /**
     * Records the first end event; it takes effect ({@link #applyEnd}) after the current read, at
     * {@code channelInactive} or on removal, whichever comes first — never before data that SslHandler fires after
     * the event in the same read (see {@link #channelRead}).
     */
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
            deliver();
        }
    }

    // ---- demand -------------------------------------------------------------------------------------------

    /**
     * Sets {@code active} (any thread). {@code N} adds to a current count; a total {@code <= 0} makes the handler
     * passive and fires {@link PassiveEvent}.
     *
     * @return a future that fails with {@link IllegalArgumentException} if the sum leaves -32768..32767 (the
     *         mode is then unchanged)
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
        switch (active.kind()) {
            case FALSE, TRUE, ONCE -> {
                mode = active.kind();
                count = 0;
            }
            case COUNT -> {
                long sum = (mode == Active.Kind.COUNT ? count : 0L) + active.count();
                if (sum < Active.MIN_COUNT || sum > Active.MAX_COUNT) {
                    return false;
                }
                if (sum <= 0) {
                    mode = Active.Kind.FALSE;
                    count = 0;
                    ctx.fireUserEventTriggered(PassiveEvent.INSTANCE); // OTP: {ssl_passive, S} at once
                } else {
                    mode = Active.Kind.COUNT;
                    count = (int) sum;
                }
            }
        }
        deliver();
        return true;
    }

    /** The current {@code active} value; call on the event loop. {@code false} after {@code once} fired. */
    public Active active() {
        return switch (mode) {
            case FALSE -> Active.FALSE;
            case TRUE -> Active.TRUE;
            case ONCE -> Active.ONCE;
            case COUNT -> Active.count(count);
        };
    }

    /**
     * {@code ssl:recv/3} on a passive stream (any thread). {@code length 0} returns everything queued (at least a
     * byte); {@code N > 0} exactly N bytes. The future gets a buffer the caller must release, or fails with
     * {@link RecvException}: {@code timeout} (nothing consumed), {@code einval} (active), or how the stream ended.
     *
     * @param timeoutMillis negative = no limit; 0 = only what is queued now
     */
    public Future<ByteBuf> recv(int length, long timeoutMillis) {
        Promise<ByteBuf> p = ctx.executor().newPromise();
        runOnLoop(() -> addRecv(new RecvRequest(length, p), timeoutMillis));
        return p;
    }

    private void addRecv(RecvRequest r, long timeoutMillis) {
        if (mode != Active.Kind.FALSE) {
            r.promise.setFailure(new RecvException(Reason.EINVAL)); // OTP: recv on an active socket
            return;
        }
        recvs.addLast(r);
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
     * Cancels a pending {@link #recv} (any thread) without losing data: if the request was already served, the
     * future holds the buffer and the caller must still take it.
     */
    public void cancelRecv(Future<ByteBuf> future) {
        runOnLoop(() -> {
            for (RecvRequest r : recvs) {
                if (r.promise == future) {
                    recvs.remove(r);
                    cancelTimer(r);
                    r.promise.tryFailure(new RecvException(Reason.TIMEOUT));
                    break;
                }
            }
        });
    }

    // ---- delivery -----------------------------------------------------------------------------------------

    private void deliver() {
        if (delivering) {
            deliverAgain = true;
            return;
        }
        delivering = true;
        try {
            do {
                deliverAgain = false;
                deliverOnce();
            } while (deliverAgain);
        } finally {
            delivering = false;
        }
        readIfNeeded();
    }

    private void deliverOnce() {
        while (!recvs.isEmpty()) {
            RecvRequest r = recvs.peekFirst();
            if (r.promise.isDone()) { // cancelled by the caller
                recvs.pollFirst();
                continue;
            }
            if (canServe(r.length)) {
                recvs.pollFirst();
                cancelTimer(r);
                ByteBuf data = r.length == 0 ? queue.takeAll() : queue.take(r.length);
                if (!r.promise.trySuccess(data)) {
                    data.release();
                }
            } else if (end != null) {
                failRecvs(end);
            } else {
                return;
            }
        }
        while (mode != Active.Kind.FALSE && !queue.isEmpty()) {
            ByteBuf data = queue.takeAll();
            consumeDemand();
            ctx.fireChannelRead(data);
            if (mode == Active.Kind.FALSE && count == 0 && lastWasCount) {
                lastWasCount = false;
                ctx.fireUserEventTriggered(PassiveEvent.INSTANCE);
            }
        }
        if (end != null && !endFired && mode != Active.Kind.FALSE && queue.isEmpty()) {
            endFired = true;
            ctx.fireUserEventTriggered(end);
        }
    }

    private void consumeDemand() {
        if (mode == Active.Kind.ONCE) {
            mode = Active.Kind.FALSE;
        } else if (mode == Active.Kind.COUNT && --count == 0) {
            mode = Active.Kind.FALSE;
            lastWasCount = true;
        }
    }

    private boolean canServe(int length) {
        return length == 0 ? !queue.isEmpty() : queue.readableBytes() >= length;
    }

    private void failRecvs(StreamEnd e) {
        RecvRequest r;
        while ((r = recvs.pollFirst()) != null) {
            cancelTimer(r);
            r.promise.tryFailure(new RecvException(e.reason(), e.cause()));
        }
    }

    private void readIfNeeded() {
        if (readRequested || end != null || pendingEnd != null || ctx == null || !ctx.channel().isActive()) {
            return;
        }
        boolean want = mode != Active.Kind.FALSE ? queue.isEmpty()
                : !recvs.isEmpty() && !canServe(recvs.peekFirst().length);
        if (want) {
            readRequested = true;
            ctx.read();
        }
    }

    private static void cancelTimer(RecvRequest r) {
        if (r.timer != null) {
            r.timer.cancel(false);
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

    /** How the stream ended, or {@code null} while it is open (event loop only). */
    public StreamEnd streamEnd() {
        return end;
    }

    private static final class RecvRequest {
        final int length;
        final Promise<ByteBuf> promise;
        ScheduledFuture<?> timer;

        RecvRequest(int length, Promise<ByteBuf> promise) {
            this.length = length;
            this.promise = promise;
        }
    }

    /** Why a {@link #recv} failed: a {@link Reason}, with the exception behind it if any. */
    public static final class RecvException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Reason reason;

        public RecvException(Reason reason) {
            this(reason, null);
        }

        public RecvException(Reason reason, Throwable cause) {
            super(reason.toString(), cause, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }
}
