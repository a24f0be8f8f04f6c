package io.sslkit.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Bytes received by a running stream, and a way for the benchmark thread to wait for the next slice of them.
 *
 * <p>Senders and receivers run on their own, all the time; a benchmark operation is "the next {@code n} bytes have
 * arrived". Targets are chained ({@code next += n}) so that no byte is left out between operations, and
 * {@link #resync()} (at each iteration's start) drops whatever arrived while JMH was between iterations. The
 * benchmark thread parks while it waits, so it takes no CPU from the stream.
 */
public final class Progress {

    /** A stream that moved nothing for this long is reported as stalled (fails the benchmark, never hangs it). */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final AtomicLong received = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private volatile Thread waiter;
    private volatile Throwable failure;
    /** The waiter's next target (benchmark thread only). */
    private long next;

    /** Counts received bytes (any thread). */
    public void add(long bytes) {
        long now = received.addAndGet(bytes);
        if (now >= target) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /** Records the first failure of a sender or receiver; the waiting operation throws it. */
    public void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    public long received() {
        return received.get();
    }

    /** Starts counting afresh from what has arrived so far. */
    public void resync() {
        next = received.get();
    }

    /** Waits until {@code bytes} more bytes than at the previous target have arrived. */
    public void awaitNext(long bytes) throws Exception {
        next += bytes;
        if (received.get() >= next) {
            return;
        }
        waiter = Thread.currentThread();
        target = next;
        long seen = received.get();
        long since = System.nanoTime();
        try {
            while (true) {
                long now = received.get();
                if (now >= next) {
                    return;
                }
                Throwable f = failure;
                if (f != null) {
                    throw new IllegalStateException("stream failed", f);
                }
                if (now != seen) {
                    seen = now;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > STALL_NANOS) {
                    throw new IllegalStateException("stream stalled at " + now + " bytes");
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(20));
            }
        } finally {
            target = Long.MAX_VALUE;
        }
    }
}
