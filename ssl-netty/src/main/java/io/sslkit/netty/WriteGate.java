package io.sslkit.netty;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Where a sending thread waits while the channel is not writable (TCP back-pressure). Signalled from the event loop
 * on every writability change and when the channel closes. A lock and a condition rather than {@code synchronized},
 * so that a waiting virtual thread does not pin its carrier.
 */
final class WriteGate {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Senders blocked in {@link #await} right now; for tests and metrics. */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    /** {@link System#nanoTime()} when the current wait began; meaningful while {@link #waiting} > 0. */
    private volatile long waitingSince;

    /** Wakes every waiting sender (event loop). */
    void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code ready} holds or the deadline passes.
     *
     * @return whether {@code ready} holds
     */
    boolean await(BooleanSupplier ready, long deadlineNanos) throws InterruptedException {
        lock.lock();
        // waiting changes only under the lock; the start is written first, so that blockedMillis (lock-free) never
        // pairs a count > 0 with the start of an earlier wait (or none: a fresh gate read as blocked since boot)
        if (waiting.get() == 0) {
            waitingSince = System.nanoTime();
        }
        waiting.incrementAndGet();
        try {
            while (!ready.getAsBoolean()) {
                long left = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Bounded so that a missed signal (writability flips between check and wait) cannot hang a sender.
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
            return true;
        } finally {
            waiting.decrementAndGet();
            lock.unlock();
        }
    }

    /** How long a sender has been blocked without a break, in ms (0 when none is). */
    long blockedMillis() {
        return waiting.get() == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitingSince);
    }
}
