package io.sslkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Background threads of a benchmark: started together, stopped together, failures go to a {@link Progress}. */
final class Workers {

    /** A loop body; returns normally to be called again. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final Progress progress;
    private volatile boolean running = true;

    Workers(Progress progress) {
        this.progress = progress;
    }

    boolean running() {
        return running;
    }

    /** Starts a daemon thread that calls {@code body} until {@link #stop()}. */
    void loop(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                while (running) {
                    body.run();
                }
            } catch (Throwable e) {
                if (running && progress != null) {
                    progress.fail(e);
                }
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Asks every loop to end; the caller then closes what they block on, and {@link #join()}s. */
    void stop() {
        running = false;
    }

    /**
     * The usual teardown: {@link #stop()}, then {@code blockedOn} in order (closing what the loops block on, so that
     * they return), then {@link #join()}.
     */
    void shutdown(Runnable... blockedOn) {
        stop();
        for (Runnable close : blockedOn) {
            close.run();
        }
        join();
    }

    void join() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : threads) {
            t.interrupt();
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
