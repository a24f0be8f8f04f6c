package io.sslkit.netty.handler;

import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.sslkit.Reason;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The passive reads of an {@link ActiveModeHandler} that wait for data, oldest first ({@code ssl:recv/3} callers,
 * and {@code readable} waits that take nothing). Served strictly in order: a request is answered only when it is at
 * the head. Not thread-safe: touched only under the handler's lock, on its event loop.
 */
final class RecvRequests {

    /** The length of a request that waits for bytes and takes none ({@link ActiveModeHandler#readable}). */
    static final int PEEK = -1;

    /** One waiting read. */
    static final class Request {
        final int length;
        final Promise<Object> promise;
        /** The timeout's task; null without a time limit. */
        ScheduledFuture<?> timer;

        Request(int length, Promise<Object> promise) {
            this.length = length;
            this.promise = promise;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /** Waiting requests, oldest first; each is either here or done, never both. */
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    void add(Request r) {
        waiting.addLast(r);
    }

    /** Fails {@code r} with {@code timeout} if it still waits; returns whether it did (nothing was taken). */
    boolean timeOut(Request r) {
        if (!waiting.remove(r)) {
            return false;
        }
        r.promise.tryFailure(new RecvException(Reason.TIMEOUT));
        return true;
    }

    /** Cancels the request of {@code future} if it still waits (a served one keeps its data for the caller). */
    void cancel(Future<Object> future) {
        waiting.removeIf(r -> {
            if (r.promise != future) {
                return false;
            }
            r.cancelTimer();
            r.promise.tryFailure(new RecvException(Reason.TIMEOUT));
            return true;
        });
    }

    /**
     * Serves the head while it can be: {@code next} cuts a message of a length (null: not enough queued);
     * {@code hasBytes} answers PEEK requests. Once nothing can be served and the stream has ended ({@code ended}
     * gives not null), {@code dropQueued} discards what the head was waiting on and every waiting request fails with
     * how it ended.
     */
    void serve(IntFunction<Object> next, BooleanSupplier hasBytes, Supplier<StreamEnd> ended, Runnable dropQueued) {
        while (!waiting.isEmpty()) {
            Request r = waiting.peekFirst();
            Object packet = r.length != PEEK ? next.apply(r.length) : hasBytes.getAsBoolean() ? Boolean.TRUE : null;
            StreamEnd end;
            if (packet != null) {
                waiting.pollFirst();
                r.cancelTimer();
                if (!r.promise.trySuccess(packet)) {
                    ReferenceCountUtil.release(packet);
                }
            } else if ((end = ended.get()) != null) { // (cutting a packet may just have ended it: re-read)
                dropQueued.run();
                failAll(end);
            } else {
                return;
            }
        }
    }

    /** Fails every waiting request with how the stream ended. */
    void failAll(StreamEnd e) {
        Request r;
        while ((r = waiting.pollFirst()) != null) {
            r.cancelTimer();
            r.promise.tryFailure(new RecvException(e.reason(), e.cause()));
        }
    }
}
