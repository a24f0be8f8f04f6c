package io.sslkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A timeout as Erlang gives it: a number of milliseconds, or {@link #INFINITY}.
 *
 * <p>Every blocking call has an overload without a timeout that means {@code infinity}, as in
 * {@code ssl.erl} where {@code recv/2} calls {@code recv/3} with {@code infinity}. Zero is allowed and means "only
 * what can be done now" ({@code recv(S, N, 0)} returns at once).
 */
public final class Timeout {

    /** No limit: {@code infinity}. */
    public static final Timeout INFINITY = new Timeout(-1);

    private final long millis;

    private Timeout(long millis) {
        this.millis = millis;
    }

    /** A timeout of {@code millis} milliseconds; must be {@code >= 0} (Erlang: {@code function_clause} otherwise). */
    public static Timeout millis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout must be >= 0 ms or INFINITY: " + millis);
        }
        return new Timeout(millis);
    }

    /** A timeout of the given duration, rounded down to milliseconds. */
    public static Timeout of(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return millis(duration.toMillis());
    }

    /** Whether this is {@link #INFINITY}. */
    public boolean isInfinite() {
        return millis < 0;
    }

    /** The milliseconds of a finite timeout; {@link Long#MAX_VALUE} for {@link #INFINITY}. */
    public long toMillis() {
        return millis < 0 ? Long.MAX_VALUE : millis;
    }

    /** The absolute deadline in {@link System#nanoTime()} terms, or {@link Long#MAX_VALUE} for infinity. */
    public long deadlineNanos() {
        if (millis < 0) {
            return Long.MAX_VALUE;
        }
        return System.nanoTime() + Duration.ofMillis(millis).toNanos();
    }

    /** What is left of a deadline made by {@link #deadlineNanos()}, as a timeout (zero once it has passed). */
    public static Timeout remaining(long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            return INFINITY;
        }
        long left = deadlineNanos - System.nanoTime();
        return millis(Math.max(0, Duration.ofNanos(left).toMillis()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timeout t && t.millis == millis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(millis);
    }

    @Override
    public String toString() {
        return millis < 0 ? "infinity" : Long.toString(millis);
    }
}
