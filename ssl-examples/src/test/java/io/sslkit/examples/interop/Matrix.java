package io.sslkit.examples.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.TestAbortedException;

/**
 * The interop matrix: one row per case run against a real peer, with its outcome, written to
 * {@code target/interop-matrix.txt} and printed when the test run ends ({@link MatrixReport}).
 */
public final class Matrix {

    /** A body that returns the detail to show (the negotiated suite, the alert seen, ...). */
    @FunctionalInterface
    public interface Case {
        String run() throws Exception;
    }

    /** One case. */
    public record Row(String peer, String sslkitSide, String what, String tls, String provider, String result,
                      long millis, String detail) {
    }

    private static final List<Row> ROWS = Collections.synchronizedList(new ArrayList<>());
    private static final long START = System.nanoTime();

    private Matrix() {
    }

    /**
     * Runs a case and records it: PASS with the detail the body returns, SKIP when it was aborted (a peer missing
     * on a developer's machine), FAIL otherwise. The failure is rethrown, so the test fails too.
     *
     * @param peer       e.g. {@code erlang 25 client}, {@code openssl s_client}
     * @param sslkitSide what sslkit was: e.g. {@code echo-server}, {@code echo-client}, {@code proxy}
     */
    public static void run(String peer, String sslkitSide, String what, String tls, String provider, Case body)
            throws Exception {
        long t0 = System.nanoTime();
        String result;
        String detail;
        Exception failure = null;
        Error error = null;
        try {
            detail = body.run();
            result = "PASS";
        } catch (TestAbortedException e) {
            result = "SKIP";
            detail = e.getMessage();
            failure = e;
        } catch (Exception e) {
            result = "FAIL";
            detail = e.toString();
            failure = e;
        } catch (AssertionError e) {
            result = "FAIL";
            detail = e.getMessage();
            error = e;
        }
        ROWS.add(new Row(peer, sslkitSide, what, tls, provider, result, (System.nanoTime() - t0) / 1_000_000,
                firstLine(detail)));
        if (failure != null) {
            throw failure;
        }
        if (error != null) {
            throw error;
        }
    }

    /** The engines ({@code --provider}) every peer is tried with. */
    public static final List<String> PROVIDERS = List.of("openssl", "jdk");
    /** The TLS versions ({@code --versions}) every peer is tried with. */
    public static final List<String> VERSIONS = List.of("tlsv1.3", "tlsv1.2");

    /** {@link #run} as a dynamic test named {@code what [provider tls]}. */
    public static DynamicTest test(String peer, String sslkitSide, String what, String tls, String provider,
                                   Case body) {
        return DynamicTest.dynamicTest(what + " [" + provider + " " + tls + "]",
                () -> run(peer, sslkitSide, what, tls, provider, body));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String l = s.strip().lines().findFirst().orElse("");
        return l.length() > 110 ? l.substring(0, 107) + "..." : l;
    }

    /** Whether any case was recorded in this JVM. */
    static boolean any() {
        return !ROWS.isEmpty();
    }

    /** The table, one row per case in the order run, and a summary line. */
    static String table() {
        List<Row> rows;
        synchronized (ROWS) {
            rows = new ArrayList<>(ROWS);
        }
        String[] head = {"peer", "sslkit", "case", "tls", "provider", "result", "s", "detail"};
        List<String[]> cells = new ArrayList<>();
        cells.add(head);
        for (Row r : rows) {
            cells.add(new String[] {r.peer(), r.sslkitSide(), r.what(), r.tls(), r.provider(), r.result(),
                String.format(Locale.ROOT, "%.1f", r.millis() / 1000.0), r.detail()});
        }
        int[] w = new int[head.length];
        for (String[] c : cells) {
            for (int i = 0; i < c.length - 1; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < cells.size(); k++) {
            String[] c = cells.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                line.append(i < c.length - 1 ? String.format("%-" + w[i] + "s | ", c[i]) : c[i]);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (k == 0) {
                sb.append("-".repeat(Math.min(160, line.length()))).append('\n');
            }
        }
        long pass = rows.stream().filter(r -> r.result().equals("PASS")).count();
        long fail = rows.stream().filter(r -> r.result().equals("FAIL")).count();
        long skip = rows.stream().filter(r -> r.result().equals("SKIP")).count();
        sb.append(String.format(Locale.ROOT, "interop matrix: %d of %d cases passed (%d failed, %d skipped); "
                + "%.0f s since the first interop test class started%n", pass, rows.size(), fail, skip,
                (System.nanoTime() - START) / 1e9));
        return sb.toString();
    }

    /** Writes the table to {@code target/interop-matrix.txt} (relative to the module) and returns its path. */
    static Path write(String table) {
        Path out = Paths.get("target", "interop-matrix.txt");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toAbsolutePath();
    }
}
