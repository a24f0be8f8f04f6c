package io.sslkit.netty.internal;

import io.netty.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a Netty {@link Future} from a caller's thread. Goes through a {@link CompletableFuture} because
 * Netty's own {@code await} uses {@code synchronized}, which pins a virtual thread to its carrier (JDK 21–23).
 */
public final class Await {

    private Await() {
    }

    /** A {@link CompletableFuture} that completes with the Netty future. */
    public static <T> CompletableFuture<T> toCompletable(Future<T> f) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        f.addListener(x -> {
            if (f.isSuccess()) {
                cf.complete(f.getNow());
            } else {
                cf.completeExceptionally(f.cause());
            }
        });
        return cf;
    }

    /**
     * The result of {@code f}, waiting until {@code deadlineNanos} ({@link Long#MAX_VALUE}: no limit).
     *
     * @throws ExecutionException   the future failed (its cause inside)
     * @throws TimeoutException     the deadline passed first (the future goes on)
     * @throws InterruptedException the caller was interrupted (the future goes on)
     */
    public static <T> T get(Future<T> f, long deadlineNanos)
            throws ExecutionException, TimeoutException, InterruptedException {
        CompletableFuture<T> cf = toCompletable(f);
        if (deadlineNanos == Long.MAX_VALUE) {
            return cf.get();
        }
        return cf.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Waits for {@code f} up to {@code millis} ms, ignoring its outcome and interrupts (interrupt status kept). */
    public static void quietly(Future<?> f, long millis) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        CompletableFuture<?> cf = toCompletable(f);
        while (true) {
            try {
                cf.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Refuses a blocking call on {@code channel}'s event loop: it would wait for work that only that thread can do.
     *
     * @throws IllegalStateException on the event loop
     */
    public static void offLoop(io.netty.channel.Channel channel) {
        if (channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("blocking sslkit call on an event-loop thread: it would deadlock");
        }
    }
}
