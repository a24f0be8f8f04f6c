package io.sslkit.bench.neutral;

import io.sslkit.bench.report.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Writes {@code results.json} and {@code RESULTS-neutral.md} of a {@code ssl-bench/neutral.sh} run from its
 * {@code meta.json} and {@code results.jsonl} (one line per cell, from {@code tlsload}, with the server, the key and
 * the load average when the cell started).
 *
 * <pre>NeutralReport RUN_DIR</pre>
 */
public final class NeutralReport {

    /** Servers in the order of the tables. */
    static final List<String> SERVERS = List.of("sslkit-openssl", "raw-openssl", "sslkit-proxy", "haproxy",
            "stunnel", "otp", "s_server", "sslkit-jdk", "raw-jdk");

    /** The ratios of the issue: name, numerator, denominator. */
    static final List<String[]> RATIOS = List.of(
            new String[] {"sslkit/raw", "sslkit-openssl", "raw-openssl"},
            new String[] {"proxy/raw", "sslkit-proxy", "raw-openssl"},
            new String[] {"sslkit/HAProxy", "sslkit-openssl", "haproxy"},
            new String[] {"proxy/HAProxy", "sslkit-proxy", "haproxy"},
            new String[] {"raw/HAProxy", "raw-openssl", "haproxy"},
            new String[] {"sslkit/OTP", "sslkit-openssl", "otp"},
            new String[] {"jdk/openssl (sslkit)", "sslkit-jdk", "sslkit-openssl"},
            new String[] {"jdk/openssl (raw)", "raw-jdk", "raw-openssl"},
            new String[] {"sslkit-jdk/raw-jdk", "sslkit-jdk", "raw-jdk"});

    private final List<Map<String, Object>> rows;
    private final Map<String, Object> meta;

    private NeutralReport(Map<String, Object> meta, List<Map<String, Object>> rows) {
        this.meta = meta;
        this.rows = rows;
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Map<String, Object> meta = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("meta.json")));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("results.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                rows.add((Map<String, Object>) Json.parse(line));
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("meta", meta);
        all.put("rows", rows);
        Files.writeString(dir.resolve("results.json"), Json.write(all) + "\n");
        Files.writeString(dir.resolve("RESULTS-neutral.md"), new NeutralReport(meta, rows).markdown());
    }

    /** The cell a row belongs to, without the server: mode, TLS, resumption kind, key, threads or connections. */
    static String cellOf(Map<String, Object> r) {
        Object n = r.containsKey("threads") ? r.get("threads") : r.get("conns");
        return r.get("mode") + "|" + r.get("tls") + "|" + r.getOrDefault("resume", "-") + "|" + r.get("key") + "|"
                + (n == null ? "?" : String.valueOf(((Number) n).intValue()));
    }

    private List<String> cells(Predicate<String> which) {
        Set<String> out = new LinkedHashSet<>();
        for (Map<String, Object> r : rows) {
            if (r.get("mode") != null && which.test((String) r.get("mode"))) {
                out.add(cellOf(r));
            }
        }
        return new ArrayList<>(out);
    }

    private Map<String, Object> row(String cell, String server) {
        for (Map<String, Object> r : rows) {
            if (server.equals(r.get("server")) && r.get("mode") != null && cell.equals(cellOf(r))) {
                return r;
            }
        }
        return null;
    }

    /** The figure of a server in a cell: handshakes/s, or MB/s for echo; NaN if missing or all failed. */
    private double value(String cell, String server) {
        Map<String, Object> r = row(cell, server);
        if (r == null) {
            return Double.NaN;
        }
        Object v = "echo".equals(r.get("mode")) ? r.get("mb_per_s") : r.get("per_s");
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /**
     * Operations per second of server CPU (the inverse of the server's CPU time per handshake, or per MB echoed): a
     * figure that a busy machine distorts far less than the rate; NaN without a CPU reading.
     */
    private double perCpuSecond(String cell, String server) {
        Map<String, Object> r = row(cell, server);
        if (r == null) {
            return Double.NaN;
        }
        Object v = "echo".equals(r.get("mode")) ? r.get("server_cpu_us_per_mb") : r.get("server_cpu_us_per_handshake");
        double us = v == null ? Double.NaN : ((Number) v).doubleValue();
        return us > 0 ? 1e6 / us : Double.NaN;
    }

    private String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Neutral comparison: one C client (OpenSSL 3) against each server\n\n");
        b.append("`ssl-bench/neutral.sh --").append(meta.get("preset")).append("`, started ")
                .append(meta.get("started")).append(", finished ").append(meta.get("finished")).append(". ")
                .append(meta.get("seconds_per_cell")).append(" s per cell after ").append(meta.get("warmup_per_cell"))
                .append(" s of warm-up; ").append(fmt(meta.get("nproc"))).append(" processors shared by client and server.\n\n");
        b.append("- load at the start: `").append(meta.get("uptime_start")).append("`\n");
        b.append("- load at the end: `").append(meta.get("uptime_end")).append("`\n");
        b.append("- ").append(meta.get("java")).append("; ").append(meta.get("openssl")).append("; ")
                .append(meta.get("haproxy")).append("; ").append(meta.get("stunnel")).append("; Erlang/OTP ")
                .append(meta.get("otp")).append("\n\n");
        b.append("Servers: `sslkit-openssl`/`sslkit-jdk` = `sslkit echo-server --provider …`; `raw-*` = a Netty ")
                .append("`SslHandler` echo, one event loop; `sslkit-proxy` = `sslkit proxy`, `haproxy` (mode tcp, ")
                .append("ssl crt) and `stunnel`, each in front of the same plain echo backend; `otp` = an ")
                .append("Erlang/OTP `ssl` echo escript; `s_server` = `openssl s_server -www`. One full handshake = ")
                .append("connect, handshake, close_notify, read to the server's end, close. `load` = 1-minute ")
                .append("load average when the row's cells started (lowest–highest).\n\n");
        table(b, "Full handshakes per second", cells("full"::equals), false, this::value);
        table(b, "Resumed handshakes per second", cells("resume"::equals), false, this::value);
        table(b, "Echo throughput, MB/s (16 KiB writes, every byte checked)", cells("echo"::equals), true, this::value);
        ratios(b, "Ratios, full handshakes/s", cells("full"::equals), this::value);
        ratios(b, "Ratios, resumed handshakes/s", cells("resume"::equals), this::value);
        ratios(b, "Ratios, echo MB/s", cells("echo"::equals), this::value);
        b.append("## Per second of server CPU\n\nThe same cells counted per second of CPU time the server's processes ")
                .append("used (user + system, from `/proc`; the proxies' backend not included): handshakes, or MB ")
                .append("echoed, per CPU-second. On a busy machine the rates above follow the scheduler; these follow ")
                .append("the work each server does per handshake.\n\n");
        table(b, "Full handshakes per server CPU-second", cells("full"::equals), false, this::perCpuSecond);
        table(b, "Resumed handshakes per server CPU-second", cells("resume"::equals), false, this::perCpuSecond);
        table(b, "Echo MB per server CPU-second", cells("echo"::equals), true, this::perCpuSecond);
        ratios(b, "Ratios, full handshakes per server CPU-second", cells("full"::equals), this::perCpuSecond);
        ratios(b, "Ratios, resumed handshakes per server CPU-second", cells("resume"::equals), this::perCpuSecond);
        ratios(b, "Ratios, echo MB per server CPU-second", cells("echo"::equals), this::perCpuSecond);
        problems(b);
        return b.toString();
    }

    private List<String> presentServers() {
        Set<String> present = new LinkedHashSet<>();
        for (String s : SERVERS) {
            for (Map<String, Object> r : rows) {
                if (s.equals(r.get("server"))) {
                    present.add(s);
                }
            }
        }
        return new ArrayList<>(present);
    }

    private void table(StringBuilder b, String title, List<String> cells, boolean echo, Figure figure) {
        if (cells.isEmpty()) {
            return;
        }
        List<String> servers = presentServers();
        b.append("## ").append(title).append("\n\n| TLS | ").append(echo ? "" : "resume | ").append("key | ")
                .append(echo ? "conns" : "threads");
        servers.forEach(s -> b.append(" | ").append(s));
        b.append(" | load |\n|---|").append(echo ? "" : "---|").append("---|---:");
        servers.forEach(s -> b.append("|---:"));
        b.append("|---:|\n");
        for (String cell : cells) {
            String[] c = cell.split("\\|");
            b.append("| ").append(c[1]).append(" | ").append(echo ? "" : c[2] + " | ").append(key(c[3])).append(" | ")
                    .append(c[4]);
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (String s : servers) {
                Map<String, Object> r = row(cell, s);
                double v = figure.of(cell, s);
                b.append(" | ").append(Double.isNaN(v) ? "—" : fmt(v));
                if (r != null && "resume".equals(r.get("mode")) && r.get("handshakes") != null
                        && ((Number) r.get("resumed")).doubleValue() < 0.9 * ((Number) r.get("handshakes")).doubleValue()) {
                    b.append(" (not resumed: ").append(fmt(r.get("resumed"))).append(")");
                }
                if (r != null && r.get("load1") != null) {
                    double l = ((Number) r.get("load1")).doubleValue();
                    lo = Math.min(lo, l);
                    hi = Math.max(hi, l);
                }
            }
            b.append(" | ").append(hi == 0 ? "—" : String.format(Locale.ROOT, "%.1f–%.1f", lo, hi)).append(" |\n");
        }
        b.append("\n");
    }

    private void ratios(StringBuilder b, String title, List<String> cells, Figure figure) {
        if (cells.isEmpty()) {
            return;
        }
        b.append("## ").append(title).append("\n\n| mode | TLS | resume | key | n");
        RATIOS.forEach(r -> b.append(" | ").append(r[0]));
        b.append(" |\n|---|---|---|---|---:");
        RATIOS.forEach(r -> b.append("|---:"));
        b.append("|\n");
        for (String cell : cells) {
            String[] c = cell.split("\\|");
            b.append("| ").append(c[0]).append(" | ").append(c[1]).append(" | ").append(c[2]).append(" | ")
                    .append(key(c[3])).append(" | ").append(c[4]);
            for (String[] r : RATIOS) {
                double q = figure.of(cell, r[1]) / figure.of(cell, r[2]);
                b.append(" | ").append(Double.isNaN(q) || Double.isInfinite(q) ? "—"
                        : String.format(Locale.ROOT, "%.2f", q));
            }
            b.append(" |\n");
        }
        b.append("\n");
    }

    private void problems(StringBuilder b) {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            boolean failed = Boolean.TRUE.equals(r.get("failed"));
            double errors = r.get("errors") == null ? 0 : ((Number) r.get("errors")).doubleValue();
            if (failed || errors > 0) {
                lines.add("- " + r.get("server") + " " + (r.get("mode") == null ? "" : cellOf(r)) + ": "
                        + (failed ? "failed (" + r.get("args") + ")" : fmt(errors) + " errors, first: "
                        + r.get("first_error")));
            }
        }
        if (!lines.isEmpty()) {
            b.append("## Errors seen by the client\n\n");
            lines.forEach(l -> b.append(l).append("\n"));
            b.append("\n");
        }
    }

    /** A server's figure in a cell. */
    @FunctionalInterface
    private interface Figure {
        double of(String cell, String server);
    }

    private static String key(String k) {
        return switch (k) {
            case "ec" -> "ECDSA P-256";
            case "rsa" -> "RSA-2048";
            default -> k;
        };
    }

    private static String fmt(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d >= 100 || d == Math.rint(d) ? String.format(Locale.ROOT, "%,.0f", d)
                    : String.format(Locale.ROOT, "%.1f", d);
        }
        return String.valueOf(v);
    }
}
