package io.sslkit.netty.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code CompletableFuture.supplyAsync}/{@code runAsync} for test tasks that block (a {@code recv}, a {@code send}
 * held back by TCP, an {@code accept}): each task gets a thread of its own.
 *
 * <p>Without an executor, {@code CompletableFuture} runs tasks on {@code ForkJoinPool.commonPool()}, whose
 * parallelism is one less than the processors and which adds no thread for a task blocked outside a
 * {@code ManagedBlocker}. JDK 17 made an exception for a parallelism below 2 (a thread per task); JDK 25 no longer
 * does, so on a 2-processor machine every async task of a test shared one thread: a sender blocked by flow control
 * waited forever for a reader that never started (RenegotiationLimitsTest and SoakTest timed out on JDK 25 that way).
 * With more processors the same happens once more tasks block than the pool has threads.
 */
public final class Async {

    /** A new daemon thread per task, named after the test's tasks. */
    public static final Executor THREAD_PER_TASK = task -> {
        Thread t = new Thread(task, "test-async");
        t.setDaemon(true);
        t.start();
    };

    private Async() {
    }

    /** {@code Async.supply(s)} on a thread of its own. */
    public static <T> CompletableFuture<T> supply(Supplier<T> s) {
        return CompletableFuture.supplyAsync(s, THREAD_PER_TASK);
    }

    /** {@code Async.run(r)} on a thread of its own. */
    public static CompletableFuture<Void> run(Runnable r) {
        return CompletableFuture.runAsync(r, THREAD_PER_TASK);
    }
}
