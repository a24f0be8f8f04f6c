package io.sslkit;

import java.util.List;
import java.util.Objects;

/**
 * An option or its value is wrong: thrown by {@link SslOptions.Builder#build()}, carrying the same
 * {@code {options, …}} {@link Reason} that {@code connect}/{@code listen} would return. Unchecked, because it
 * reports a mistake in the program (or in configuration it passed through), not a condition of the network.
 */
public class SslOptionsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Reason.Options reason;
    private final transient List<Reason.Options> problems;

    public SslOptionsException(Reason.Options reason) {
        this(List.of(Objects.requireNonNull(reason, "reason")));
    }

    /**
     * Every problem {@code build()} found; the first is {@link #reason()}, the others are named in the message and
     * added as suppressed exceptions.
     */
    public SslOptionsException(List<Reason.Options> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
        this.reason = this.problems.get(0);
        for (Reason.Options more : this.problems.subList(1, this.problems.size())) {
            addSuppressed(new SslOptionsException(more));
        }
    }

    private static String message(List<Reason.Options> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problem to report");
        }
        String first = Ssl.formatError(problems.get(0));
        if (problems.size() == 1) {
            return first;
        }
        StringBuilder s = new StringBuilder(first).append(" (and ").append(problems.size() - 1).append(" more:");
        for (Reason.Options more : problems.subList(1, problems.size())) {
            s.append(' ').append(more);
        }
        return s.append(')').toString();
    }

    /** Every problem found, the first one ({@link #reason()}) first. */
    public List<Reason.Options> problems() {
        return problems;
    }

    /** The {@code {options, …}} reason. */
    public Reason.Options reason() {
        return reason;
    }
}
