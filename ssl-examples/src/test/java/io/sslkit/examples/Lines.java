package io.sslkit.examples;

import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** Text written by a program (in-process command or child process), kept as lines that a test can wait for. */
public final class Lines extends Writer {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final StringBuilder partial = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private boolean closed;

    @Override
    public void write(char[] cbuf, int off, int len) {
        lock.lock();
        try {
            for (int i = off; i < off + len; i++) {
                char c = cbuf[i];
                if (c == '\n') {
                    lines.add(partial.toString());
                    partial.setLength(0);
                } else if (c != '\r') {
                    partial.append(c);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
    }

    /** Marks the end of the text (the stream closed); a partial last line becomes a line. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (partial.length() > 0) {
                lines.add(partial.toString());
                partial.setLength(0);
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The complete lines so far. */
    public List<String> lines() {
        lock.lock();
        try {
            return List.copyOf(lines);
        } finally {
            lock.unlock();
        }
    }

    /** Everything so far, complete lines joined by newlines. */
    public String text() {
        return String.join("\n", lines());
    }

    /** The first line that matches, waiting up to {@code timeout}; empty if none came (or the stream ended). */
    public Optional<String> await(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (String l : lines) {
                    if (match.test(l)) {
                        return Optional.of(l);
                    }
                }
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    return Optional.empty();
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The first line starting with {@code prefix}, waiting up to {@code timeout}. */
    public Optional<String> awaitPrefix(String prefix, Duration timeout) throws InterruptedException {
        return await(l -> l.startsWith(prefix), timeout);
    }
}
