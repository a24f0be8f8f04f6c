package io.sslkit;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A ready-made owner: a thread-safe queue of {@link SslMessage}s with Erlang's {@code receive}, selective receive
 * included, so that Erlang-style code reads naturally:
 *
 * <pre>{@code
 * Mailbox mailbox = new Mailbox();
 * SslOptions opts = SslOptions.builder()...owner(mailbox).active(Active.ONCE).build();
 * SslSocket s = ssl.connect("localhost", port, opts);
 * SslMessage m = mailbox.receive(Timeout.millis(5_000)).orElseThrow();
 * if (m instanceof SslMessage.Data d) { ... s.setopts(Opt.ACTIVE.of(Active.ONCE)); }
 * }</pre>
 *
 * <p>Blocking uses a {@link ReentrantLock}, so waiting virtual threads do not pin their carriers. One mailbox may own
 * any number of sockets; messages carry their socket. Taking a {@link SslMessage.Data} out of the mailbox marks it
 * consumed, which lets a socket that paused reading for a slow owner (see {@code active=true}) read on.
 */
public final class Mailbox implements ControllingProcess {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<SslMessage> queue = new ArrayDeque<>();

    @Override
    public void deliver(SslMessage message) {
        lock.lock();
        try {
            queue.addLast(message);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@code receive M -> M end}: the oldest message, waiting as long as it takes. */
    public SslMessage receive() throws InterruptedException {
        return receive(m -> true, Timeout.INFINITY).orElseThrow();
    }

    /** {@code receive M -> M after T -> timeout end}: the oldest message, or empty after the timeout. */
    public Optional<SslMessage> receive(Timeout timeout) throws InterruptedException {
        return receive(m -> true, timeout);
    }

    /**
     * Selective receive: the oldest message that matches, leaving the others in place (in order); empty after the
     * timeout.
     */
    public Optional<SslMessage> receive(Predicate<? super SslMessage> match, Timeout timeout)
            throws InterruptedException {
        long deadline = timeout.deadlineNanos();
        lock.lockInterruptibly();
        try {
            while (true) {
                SslMessage m = take(match);
                if (m != null) {
                    if (m instanceof SslMessage.Data d) {
                        d.markConsumed();
                    }
                    return Optional.of(m);
                }
                if (deadline == Long.MAX_VALUE) {
                    arrived.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    arrived.awaitNanos(left);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private SslMessage take(Predicate<? super SslMessage> match) {
        for (Iterator<SslMessage> it = queue.iterator(); it.hasNext(); ) {
            SslMessage m = it.next();
            if (match.test(m)) {
                it.remove();
                return m;
            }
        }
        return null;
    }

    /** How many messages wait. */
    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Mailbox[" + size() + " messages]";
    }

}
