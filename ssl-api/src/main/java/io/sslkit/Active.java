package io.sslkit;

/**
 * The {@code active} option: how data reaches the socket's owner.
 *
 * <table>
 *   <caption>values</caption>
 *   <tr><td>{@link #FALSE}</td><td>passive: nothing is delivered, {@code recv} reads; no read is issued to the
 *   kernel while nobody asks, so TCP holds a fast sender back</td></tr>
 *   <tr><td>{@link #TRUE}</td><td>every message is delivered as it arrives</td></tr>
 *   <tr><td>{@link #ONCE}</td><td>one message, then passive</td></tr>
 *   <tr><td>{@link #count(int) count(N)}</td><td>N messages, then a {@code Passive} message and passive; N is
 *   added to a current count (OTP 21.3+); a total {@code <= 0} makes the socket passive at once, with a
 *   {@code Passive} message</td></tr>
 * </table>
 */
public final class Active {

    /** Smallest and largest count, as OTP: a 16-bit signed number. */
    public static final int MIN_COUNT = -32768;
    public static final int MAX_COUNT = 32767;

    /** The kinds of {@code active} value. */
    public enum Kind { FALSE, TRUE, ONCE, COUNT }

    public static final Active FALSE = new Active(Kind.FALSE, 0);
    public static final Active TRUE = new Active(Kind.TRUE, 0);
    public static final Active ONCE = new Active(Kind.ONCE, 0);

    private final Kind kind;
    private final int count;

    private Active(Kind kind, int count) {
        this.kind = kind;
        this.count = count;
    }

    /**
     * {@code {active, N}}. Fails with {@link SslOptionsException} ({@code {options, {socket_options, {active, N}}}})
     * outside {@link #MIN_COUNT}..{@link #MAX_COUNT}.
     */
    public static Active count(int n) {
        if (n < MIN_COUNT || n > MAX_COUNT) {
            throw new SslOptionsException(Reason.Options.of("socket_options", "{active," + n + "}"));
        }
        return new Active(Kind.COUNT, n);
    }

    /** Parses {@code true}, {@code false}, {@code once} or a number. */
    public static Active parse(String text) {
        switch (text.trim()) {
            case "true":
                return TRUE;
            case "false":
                return FALSE;
            case "once":
                return ONCE;
            default:
                try {
                    return count(Integer.parseInt(text.trim()));
                } catch (NumberFormatException e) {
                    throw new SslOptionsException(Reason.Options.of("socket_options", "{active," + text + "}"));
                }
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The count of a {@link Kind#COUNT} value; 0 for the others. */
    public int count() {
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Active a && a.kind == kind && a.count == count;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + count;
    }

    /** As Erlang prints it: {@code true}, {@code false}, {@code once}, or the number. */
    @Override
    public String toString() {
        return kind == Kind.COUNT ? Integer.toString(count) : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
