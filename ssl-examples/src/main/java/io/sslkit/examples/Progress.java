package io.sslkit.examples;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A progress line on stderr for a long transfer: bytes done of the total, the rate so far and the time left.
 *
 * <pre>
 * progress 96.0 MiB / 384.0 MiB (25%), 91.3 MiB/s, eta 3s
 * </pre>
 *
 * <ul>
 *   <li>{@link Style#IN_PLACE} (stderr is a terminal): one line rewritten with {@code \r}, at most four times a
 *   second, ended with a newline by {@link #finish}.</li>
 *   <li>{@link Style#LINES} ({@code --progress} into a file or pipe): a plain line at most once a second.</li>
 *   <li>Either way {@link #finish} prints the final figures, so a run with progress always shows one line.</li>
 * </ul>
 *
 * <p>Threading: {@link #update} is called by the thread that moves the data, {@link #finish} once afterwards by any
 * thread; both are synchronized (the lock is taken at most once per received chunk, far below TLS's cost).
 */
final class Progress {

    /** How progress is shown. */
    enum Style {
        /** Not at all. */
        OFF,
        /** One line rewritten in place (a terminal). */
        IN_PLACE,
        /** Plain lines (a file or a pipe). */
        LINES;

        /** {@code --progress}/{@code --no-progress} ({@code null}: neither given) and whether stderr is a terminal. */
        static Style of(Boolean flag, boolean terminal) {
            if (Boolean.FALSE.equals(flag) || (flag == null && !terminal)) {
                return OFF;
            }
            return terminal ? IN_PLACE : LINES;
        }
    }

    private static final double MIB = 1 << 20;

    private final PrintWriter err;
    private final Style style;
    private final String label;
    private final long total;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final long start;
    /** When the last line was printed; {@code start} before the first. Guarded by {@code this}. */
    private long lastPrint;
    /** Whether {@link #finish} ran: later updates print nothing. Guarded by {@code this}. */
    private boolean finished;

    /**
     * @param label     what moves ({@code ""} for none), printed before the figures
     * @param total     bytes the transfer will move
     * @param nanoClock {@link System#nanoTime} but in tests
     */
    Progress(PrintWriter err, Style style, String label, long total, LongSupplier nanoClock) {
        this.err = err;
        this.style = style;
        this.label = label.isEmpty() ? "" : label + ": ";
        this.total = total;
        this.nanoClock = nanoClock;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(style == Style.IN_PLACE ? 250 : 1000);
        this.start = nanoClock.getAsLong();
        this.lastPrint = start;
    }

    Progress(PrintWriter err, Style style, String label, long total) {
        this(err, style, label, total, System::nanoTime);
    }

    /** {@code done} bytes so far: prints a line if the last one is old enough. */
    synchronized void update(long done) {
        if (style == Style.OFF || finished) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        print(done, now);
    }

    /** The transfer is over ({@code done} bytes): prints the final line. */
    synchronized void finish(long done) {
        if (style == Style.OFF || finished) {
            return;
        }
        finished = true;
        print(done, nanoClock.getAsLong());
        if (style == Style.IN_PLACE) {
            err.print('\n');
        }
        err.flush();
    }

    private void print(long done, long now) {
        String line = label + text(done, now - start);
        if (style == Style.IN_PLACE) {
            err.print("\r" + line + "\u001b[K"); // erase what a longer earlier line left
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** {@code 96.0 MiB / 384.0 MiB (25%), 91.3 MiB/s, eta 3s}. */
    String text(long done, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        // the first second (handshake, warm-up) says little about the rest
        String eta = done >= total ? "0s"
                : rate > 0 && seconds >= 1 ? duration((long) Math.ceil((total - done) / rate)) : "?";
        int percent = total == 0 ? 100 : (int) (done * 100 / total);
        return String.format(Locale.ROOT, "progress %.1f MiB / %.1f MiB (%d%%), %.1f MiB/s, eta %s",
                done / MIB, total / MIB, percent, rate / MIB, eta);
    }

    private static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
