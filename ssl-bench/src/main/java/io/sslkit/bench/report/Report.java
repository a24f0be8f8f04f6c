package io.sslkit.bench.report;

import io.sslkit.bench.report.Results.Row;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code RESULTS.md} and the ratio chart from one run's raw outputs (see {@code ssl-bench/run.sh}):
 *
 * <pre>java -cp benchmarks.jar io.sslkit.bench.report.Report RUN_DIR RESULTS.md CHART.png</pre>
 *
 * RUN_DIR holds {@code jmh-*.json} (JMH {@code -rf json}: the source of every sslkit and raw Netty figure),
 * {@code otp.jsonl} (the Erlang/OTP escript's lines), {@code openssl-*.txt} ({@code openssl speed -mr}),
 * {@code env.json} ({@code tools.Env}) and {@code meta.txt} ({@code key=value} lines from the script).
 */
public final class Report {

    static final String[] VERSIONS = {"TLS_V1_3", "TLS_V1_2"};
    static final String[] PROVIDERS = {"OPENSSL", "JDK"};
    static final String[] KEYS = {"EC_P256", "RSA_2048"};
    static final String[] RECEIVERS = {"recv0", "once", "true", "callback"};

    static final double TARGET_BULK = 0.95;
    static final double TARGET_HANDSHAKE = 0.90;
    static final double TARGET_OTP = 10;

    private final Results jmh;
    private final List<Map<String, Object>> otp;
    private final Map<String, Object> env;
    private final Map<String, String> meta;
    private final Map<String, Double> speed;
    private final StringBuilder md = new StringBuilder();
    private final List<Chart.Bar> handshakeBars = new ArrayList<>();
    private final List<Chart.Bar> rawBars = new ArrayList<>();
    private final List<Chart.Bar> otpBars = new ArrayList<>();
    /** Target name → (worst ratio, where). */
    private final Map<String, Object[]> worst = new LinkedHashMap<>();

    private Report(Results jmh, List<Map<String, Object>> otp, Map<String, Object> env, Map<String, String> meta,
                   Map<String, Double> speed) {
        this.jmh = jmh;
        this.otp = otp;
        this.env = env;
        this.meta = meta;
        this.speed = speed;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: Report RUN_DIR RESULTS.md CHART.png");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<Path> jmhFiles = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "jmh-*.json")) {
            ds.forEach(jmhFiles::add);
        }
        jmhFiles.sort(null);
        Report r = new Report(Results.load(jmhFiles), otpLines(dir.resolve("otp.jsonl")), env(dir.resolve("env.json")),
                meta(dir.resolve("meta.txt")), OpensslSpeed.read(dir));
        Path out = Path.of(args[1]);
        Path chart = Path.of(args[2]);
        String text = r.render(out.toAbsolutePath().getParent().relativize(chart.toAbsolutePath()).toString());
        Files.writeString(out, text);
        Chart.write(chart, "sslkit ratios — " + r.meta.getOrDefault("started", "") + " (" + r.meta.getOrDefault(
                "preset", "?") + " preset)", List.of(
                new Chart.Panel("Full handshakes/s, sslkit / raw Netty (same provider, allocator, transport)",
                        r.handshakeBars, TARGET_HANDSHAKE, false, 1.1),
                new Chart.Panel("Bulk MB/s, sslkit / raw Netty SslHandler (provider, TLS, write size, connections, "
                        + "sslkit receiver)", r.rawBars, TARGET_BULK, false, 1.1),
                new Chart.Panel("sslkit (BoringSSL) / Erlang/OTP ssl, same machine, same run; target 10×", r.otpBars,
                        TARGET_OTP, true, 30)));
        System.out.println("wrote " + out + " and " + chart);
    }

    private static List<Map<String, Object>> otpLines(Path f) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f)) {
                line = line.trim();
                if (line.startsWith("{")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) Json.parse(line);
                    out.add(m);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Path f) throws IOException {
        if (!Files.exists(f)) {
            return Map.of();
        }
        String s = Files.readString(f).trim();
        int i = s.indexOf('{');
        return i < 0 ? Map.of() : (Map<String, Object>) Json.parse(s.substring(i));
    }

    private static Map<String, String> meta(Path f) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f)) {
                int i = line.indexOf('=');
                if (i > 0) {
                    m.put(line.substring(0, i).trim(), line.substring(i + 1).trim());
                }
            }
        }
        return m;
    }

    // ---- rendering --------------------------------------------------------------------------------------------

    private String render(String chartPath) {
        md.append("# sslkit benchmark results\n\n");
        md.append("Generated by `ssl-bench/run.sh").append(meta.containsKey("preset") ? " --" + meta.get("preset") : "")
                .append("` on ").append(meta.getOrDefault("started", "?")).append(" (finished ")
                .append(meta.getOrDefault("finished", "?")).append("). Every sslkit and raw-Netty figure comes from "
                        + "JMH's JSON output (`").append(meta.getOrDefault("rundir", "run dir")).append("/jmh-*.json`); "
                        + "the Erlang/OTP figures from `ssl-bench/erlang/otp_bench.escript`, run in the same "
                        + "invocation; the physical reference from `openssl speed`. Do not edit: rerun the script.\n\n");
        machine();
        StringBuilder body = new StringBuilder();
        StringBuilder saved = new StringBuilder(md);
        md.setLength(0);
        handshakes();
        bulk();
        split();
        otpComparison();
        latency();
        memory();
        physical();
        method();
        body.append(md);
        md.setLength(0);
        md.append(saved);
        targets();
        md.append("![ratios](").append(chartPath).append(")\n\n");
        md.append(body);
        return md.toString();
    }

    private void machine() {
        md.append("## Machine\n\n| | |\n|---|---|\n");
        row("Processors (`nproc`)", meta.getOrDefault("nproc", str(env.get("processors"))));
        row("CPU", str(env.get("cpu")));
        row("OS", str(env.get("os")));
        row("JDK", str(env.get("jdk")));
        if (env.get("netty") instanceof Map<?, ?> n) {
            row("Netty", str(n.get("netty-handler")) + " (transport " + str(env.get("transport")) + ", allocator "
                    + str(env.get("allocator")) + ")");
            row("netty-tcnative-boringssl-static / BoringSSL", str(n.get("netty-tcnative-boringssl-static"))
                    + " / " + str(env.get("openssl_provider")));
            row("JMH", str(n.get("jmh-core")));
        }
        Map<String, Object> info = otpInfo();
        if (info != null) {
            row("Erlang/OTP", "OTP " + str(info.get("otp_release")) + ", erts " + str(info.get("erts")) + ", ssl "
                    + str(info.get("ssl_vsn")) + ", " + str(info.get("schedulers")) + " schedulers, crypto on "
                    + str(info.get("crypto")));
        }
        row("openssl (speed)", meta.getOrDefault("openssl", "?"));
        row("Load average before / after", meta.getOrDefault("load_start", "?") + " / "
                + meta.getOrDefault("load_end", "?"));
        row("File descriptors (soft/hard)", meta.getOrDefault("ulimit_n", "?") + " / "
                + meta.getOrDefault("ulimit_hn", "?"));
        if (env.get("ciphers") instanceof Map<?, ?> c) {
            StringBuilder s = new StringBuilder();
            c.forEach((k, v) -> s.append(s.length() == 0 ? "" : "; ").append(k).append(": ").append(v));
            row("Negotiated suites (sslkit)", s.toString());
        }
        row("JMH settings", meta.getOrDefault("jmh", "?"));
        md.append('\n');
    }

    private Map<String, Object> otpInfo() {
        for (Map<String, Object> m : otp) {
            if ("info".equals(m.get("bench"))) {
                return m;
            }
        }
        return null;
    }

    private void row(String k, String v) {
        md.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private void targets() {
        md.append("## Targets\n\n| Target | Figure (worst case, where) | Met? |\n|---|---|---|\n");
        target("bulk", "sslkit/raw ≥ " + TARGET_BULK + " throughput (every receiver, size, connection count)",
                TARGET_BULK, false);
        target("handshake", "sslkit/raw ≥ " + TARGET_HANDSHAKE + " full handshakes/s", TARGET_HANDSHAKE, false);
        target("otp-bulk", "sslkit ≥ 10× OTP bulk throughput (16 KiB sends)", TARGET_OTP, true);
        target("otp-handshake", "sslkit ≥ 10× OTP full handshakes/s", TARGET_OTP, true);
        md.append('\n');
    }

    private void target(String key, String label, double goal, boolean times) {
        Object[] w = worst.get(key);
        if (w == null) {
            md.append("| ").append(label).append(" | not measured in this run | — |\n");
            return;
        }
        double v = (Double) w[0];
        md.append("| ").append(label).append(" | ").append(times ? fmt(v, 1) + "×" : fmt(v, 2)).append(" (")
                .append(w[1]).append(") | ").append(v >= goal ? "**met**" : "**missed**").append(" |\n");
    }

    private void noteWorst(String key, double ratio, String where) {
        if (!Double.isFinite(ratio)) {
            return;
        }
        Object[] w = worst.get(key);
        if (w == null || ratio < (Double) w[0]) {
            worst.put(key, new Object[] {ratio, where});
        }
    }

    // ---- handshakes -------------------------------------------------------------------------------------------

    private void handshakes() {
        List<Row> all = jmh.of("HandshakeBenchmark", r -> true);
        if (all.isEmpty()) {
            return;
        }
        int threads = all.get(0).threads();
        md.append("## Full handshakes per second\n\n");
        md.append("Client and server in one JVM over loopback, ").append(threads).append(" client threads (and as many "
                + "sslkit acceptor threads). One operation = TCP connect + handshake + close. Clients verify the "
                + "server's chain (one signature) with `{server_name_indication, disable}` so that no session is "
                + "cached (see notes). OTP: the same shape with ").append(otpClients()).append(" client processes.\n\n");
        md.append("| Key | TLS | Provider | sslkit hs/s | raw Netty hs/s | sslkit/raw | OTP hs/s | sslkit/OTP |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|\n");
        for (String resume : new String[] {"false", "true"}) {
            for (String key : KEYS) {
                for (String v : VERSIONS) {
                    for (String p : PROVIDERS) {
                        Row s = jmh.find("HandshakeBenchmark", "impl", "sslkit", "key", key, "version", v, "provider", p,
                                "resume", resume);
                        Row r = jmh.find("HandshakeBenchmark", "impl", "raw", "key", key, "version", v, "provider", p,
                                "resume", resume);
                        if (s == null && r == null) {
                            continue;
                        }
                        double sv = s == null ? Double.NaN : s.score();
                        double rv = r == null ? Double.NaN : r.score();
                        double ratio = sv / rv;
                        Double o = resume.equals("false") ? otpHandshake(key, v) : null;
                        double otpRatio = o == null || !p.equals("OPENSSL") ? Double.NaN : sv / o;
                        String label = keyName(key) + " " + ver(v) + " " + prov(p) + (resume.equals("true")
                                ? " (resumable)" : "");
                        md.append("| ").append(keyName(key)).append(resume.equals("true") ? " (resumable)" : "")
                                .append(" | ").append(ver(v)).append(" | ").append(prov(p)).append(" | ")
                                .append(scoreErr(s, 0)).append(" | ").append(scoreErr(r, 0)).append(" | ")
                                .append(fmt(ratio, 2)).append(" | ").append(o == null ? "—" : fmt(o, 0))
                                .append(" | ").append(Double.isNaN(otpRatio) ? "—" : fmt(otpRatio, 1) + "×")
                                .append(" |\n");
                        if (resume.equals("false")) {
                            handshakeBars.add(new Chart.Bar(label, ratio));
                            noteWorst("handshake", ratio, label);
                            if (!Double.isNaN(otpRatio)) {
                                otpBars.add(new Chart.Bar("handshakes " + keyName(key) + " " + ver(v), otpRatio));
                                noteWorst("otp-handshake", otpRatio, keyName(key) + " " + ver(v));
                            }
                        }
                    }
                }
            }
        }
        md.append("\n");
    }

    private String otpClients() {
        for (Map<String, Object> m : otp) {
            if ("handshake".equals(m.get("bench"))) {
                return fmt(Results.num(m.get("clients")), 0);
            }
        }
        return "?";
    }

    private Double otpHandshake(String key, String version) {
        for (Map<String, Object> m : otp) {
            if ("handshake".equals(m.get("bench")) && key.equals(m.get("key")) && version.equals(m.get("version"))) {
                return Results.num(m.get("rate"));
            }
        }
        return null;
    }

    private Double otpBulk(String version, String receiver) {
        for (Map<String, Object> m : otp) {
            if ("bulk".equals(m.get("bench")) && version.equals(m.get("version"))
                    && receiver.equals(m.get("receiver"))) {
                return Results.num(m.get("mbps"));
            }
        }
        return null;
    }

    // ---- bulk -------------------------------------------------------------------------------------------------

    private void bulk() {
        List<Row> all = jmh.of("BulkThroughputBenchmark", r -> true);
        if (all.isEmpty()) {
            return;
        }
        md.append("## Bulk throughput, MB/s (10^6 bytes/s)\n\n");
        md.append("One-way streams over loopback, steady state (the score is the receivers' rate). raw = "
                + "`SslHandler` + counting sink, event-loop writer flushing once per writable batch; sslkit = "
                + "`send(ByteBuffer)` loop on one thread per connection, server reading with: `recv(0)` loop "
                + "(recv0), `{active, once}` + Mailbox + `setopts` (once), `{active, true}` + Mailbox (true), "
                + "`{active, true}` + callback owner (callback). Ratio to raw in brackets. Last column: the best "
                + "sslkit receiver as a fraction of one core's `openssl speed` for the negotiated AEAD at 16 KiB.\n\n");
        md.append("| Provider | TLS | Write | Conns | raw | recv0 | once | true | callback | vs openssl speed |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Set<List<String>> combos = new LinkedHashSet<>();
        for (String p : PROVIDERS) {
            for (String v : VERSIONS) {
                for (String size : new String[] {"1024", "16384", "262144"}) {
                    for (String c : new String[] {"1", "4"}) {
                        if (!jmh.of("BulkThroughputBenchmark", r -> p.equals(r.param("provider"))
                                && v.equals(r.param("version")) && size.equals(r.param("writeSize"))
                                && c.equals(r.param("connections"))).isEmpty()) {
                            combos.add(List.of(p, v, size, c));
                        }
                    }
                }
            }
        }
        for (List<String> k : combos) {
            String p = k.get(0);
            String v = k.get(1);
            String size = k.get(2);
            String c = k.get(3);
            Row raw = jmh.find("BulkThroughputBenchmark", "receiver", "raw", "provider", p, "version", v,
                    "writeSize", size, "connections", c);
            md.append("| ").append(prov(p)).append(" | ").append(ver(v)).append(" | ").append(sizeName(size))
                    .append(" | ").append(c).append(" | ").append(scoreErr(raw, 0));
            double best = Double.NaN;
            for (String rc : RECEIVERS) {
                Row s = jmh.find("BulkThroughputBenchmark", "receiver", rc, "provider", p, "version", v,
                        "writeSize", size, "connections", c);
                md.append(" | ");
                if (s == null) {
                    md.append("—");
                    continue;
                }
                double ratio = raw == null ? Double.NaN : s.score() / raw.score();
                md.append(fmt(s.score(), 0)).append(Double.isNaN(ratio) ? "" : " (" + fmt(ratio, 2) + ")");
                String label = prov(p) + " " + ver(v) + " " + sizeName(size) + " ×" + c + " " + rc;
                rawBars.add(new Chart.Bar(label, ratio));
                noteWorst("bulk", ratio, prov(p) + " " + ver(v) + " " + sizeName(size) + " ×" + c + " " + rc);
                best = Double.isNaN(best) ? s.score() : Math.max(best, s.score());
            }
            Double ref = aeadReference(p, v);
            md.append(" | ").append(ref == null || Double.isNaN(best) ? "—" : fmt(best / ref, 2)).append(" |\n");
        }
        md.append("\n");
    }

    /** sslkit on one end only (BulkSplitBenchmark): which path the bulk gap is in. */
    private void split() {
        List<Row> all = jmh.of("BulkSplitBenchmark", r -> true);
        if (all.isEmpty()) {
            return;
        }
        md.append("### Where the bulk gap is: sslkit on one end, raw Netty on the other\n\n");
        md.append("Same streams, one connection. MB/s (ratio to raw → raw of the table above).\n\n");
        md.append("| TLS | Write | raw → raw | sslkit `send` → raw | raw → sslkit `recv(0)` | raw → sslkit "
                + "active true | sslkit → sslkit `recv(0)` | sslkit → sslkit active true |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Set<List<String>> combos = new LinkedHashSet<>();
        for (Row r : all) {
            combos.add(List.of(r.param("provider"), r.param("version"), r.param("writeSize")));
        }
        for (List<String> k : combos) {
            String p = k.get(0);
            String v = k.get(1);
            String size = k.get(2);
            Row raw = jmh.find("BulkThroughputBenchmark", "receiver", "raw", "provider", p, "version", v,
                    "writeSize", size, "connections", "1");
            md.append("| ").append(prov(p)).append(" ").append(ver(v)).append(" | ").append(sizeName(size))
                    .append(" | ").append(scoreErr(raw, 0));
            for (String end : new String[] {"send", "recv0", "true"}) {
                Row s = jmh.find("BulkSplitBenchmark", "sslkitEnd", end, "provider", p, "version", v,
                        "writeSize", size);
                md.append(" | ").append(withRatio(s, raw));
            }
            for (String rc : new String[] {"recv0", "true"}) {
                Row s = jmh.find("BulkThroughputBenchmark", "receiver", rc, "provider", p, "version", v,
                        "writeSize", size, "connections", "1");
                md.append(" | ").append(withRatio(s, raw));
            }
            md.append(" |\n");
        }
        md.append("\n");
    }

    private static String withRatio(Row s, Row raw) {
        if (s == null) {
            return "—";
        }
        return fmt(s.score(), 0) + (raw == null ? "" : " (" + fmt(s.score() / raw.score(), 2) + ")");
    }

    /** One core's openssl speed (MB/s) at 16 KiB for the AEAD this provider/version negotiates. */
    private Double aeadReference(String provider, String version) {
        String suite = "";
        if (env.get("ciphers") instanceof Map<?, ?> c) {
            suite = str(c.get(provider + "/" + version));
        }
        if (suite.contains("AES_256_GCM")) {
            return speed.get("aes-256-gcm");
        }
        if (suite.contains("AES_128_GCM")) {
            return speed.get("aes-128-gcm");
        }
        return null;
    }

    private void otpComparison() {
        List<Map<String, Object>> bulks = new ArrayList<>();
        for (Map<String, Object> m : otp) {
            if ("bulk".equals(m.get("bench"))) {
                bulks.add(m);
            }
        }
        if (bulks.isEmpty()) {
            return;
        }
        md.append("## sslkit vs Erlang/OTP, bulk with 16 KiB sends, one connection\n\n");
        md.append("| TLS | Receiver | OTP MB/s (suite) | sslkit BoringSSL MB/s | sslkit/OTP | sslkit JDK MB/s | "
                + "sslkit JDK/OTP |\n|---|---|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> m : bulks) {
            String v = str(m.get("version"));
            String rc = str(m.get("receiver"));
            double o = Results.num(m.get("mbps"));
            Row s = jmh.find("BulkThroughputBenchmark", "receiver", rc, "provider", "OPENSSL", "version", v,
                    "writeSize", "16384", "connections", "1");
            Row j = jmh.find("BulkThroughputBenchmark", "receiver", rc, "provider", "JDK", "version", v,
                    "writeSize", "16384", "connections", "1");
            double ratio = s == null ? Double.NaN : s.score() / o;
            double jratio = j == null ? Double.NaN : j.score() / o;
            md.append("| ").append(ver(v)).append(" | ").append(rc).append(" | ").append(fmt(o, 0)).append(" (")
                    .append(str(m.get("cipher"))).append(") | ").append(s == null ? "—" : fmt(s.score(), 0))
                    .append(" | ").append(Double.isNaN(ratio) ? "—" : fmt(ratio, 1) + "×").append(" | ")
                    .append(j == null ? "—" : fmt(j.score(), 0)).append(" | ")
                    .append(Double.isNaN(jratio) ? "—" : fmt(jratio, 1) + "×").append(" |\n");
            if (!Double.isNaN(ratio)) {
                otpBars.add(new Chart.Bar("bulk 16 KiB " + ver(v) + " " + rc, ratio));
                noteWorst("otp-bulk", ratio, ver(v) + " " + rc + ": " + fmt(s.score(), 0) + " vs " + fmt(o, 0)
                        + " MB/s");
            }
        }
        md.append("\n");
    }

    // ---- latency ----------------------------------------------------------------------------------------------

    private void latency() {
        List<Row> all = jmh.of("PingPongLatencyBenchmark", r -> true);
        if (all.isEmpty()) {
            return;
        }
        md.append("## Ping-pong round trip, 64 bytes (µs, JMH SampleTime)\n\n");
        md.append("raw: write+flush from the benchmark thread, echo from the server's event loop. recv: sslkit "
                + "`send` + `recv(64)`, server thread `recv(0)`/`send`. once: client `{active, once}` + Mailbox + "
                + "`setopts`. ×raw = sslkit percentile / raw percentile (lower is better).\n\n");
        md.append("| Provider | TLS | Impl | median | p99 | p99.9 | mean | median ×raw | p99 ×raw |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String p : PROVIDERS) {
            for (String v : VERSIONS) {
                Row raw = jmh.find("PingPongLatencyBenchmark", "impl", "raw", "provider", p, "version", v);
                for (String impl : new String[] {"raw", "recv", "once"}) {
                    Row r = jmh.find("PingPongLatencyBenchmark", "impl", impl, "provider", p, "version", v);
                    if (r == null) {
                        continue;
                    }
                    double x = raw == null || impl.equals("raw") ? Double.NaN
                            : r.percentile("50.0") / raw.percentile("50.0");
                    double x99 = raw == null || impl.equals("raw") ? Double.NaN
                            : r.percentile("99.0") / raw.percentile("99.0");
                    md.append("| ").append(prov(p)).append(" | ").append(ver(v)).append(" | ")
                            .append(impl.equals("raw") ? "raw Netty" : "sslkit " + impl).append(" | ")
                            .append(fmt(r.percentile("50.0"), 1)).append(" | ").append(fmt(r.percentile("99.0"), 1))
                            .append(" | ").append(fmt(r.percentile("99.9"), 1)).append(" | ")
                            .append(fmt(r.score(), 1)).append(" | ")
                            .append(Double.isNaN(x) ? "—" : fmt(x, 2)).append(" | ")
                            .append(Double.isNaN(x99) ? "—" : fmt(x99, 2)).append(" |\n");
                }
            }
        }
        md.append("\n");
    }

    // ---- memory -----------------------------------------------------------------------------------------------

    private void memory() {
        List<Row> all = jmh.of("IdleMemoryBenchmark", r -> true);
        if (all.isEmpty()) {
            return;
        }
        md.append("## Memory per idle connection\n\n");
        md.append("Both ends in one JVM, so one connection = a client socket + a server socket (2 descriptors). "
                + "Heap: used heap after full GCs; direct: the JDK's direct buffer pool (plus Netty's counter if it "
                + "bypasses it); RSS: growth of the process's resident set (includes BoringSSL's native state and "
                + "new heap pages). Per connection = growth / connections. The last column extrapolates heap + "
                + "direct linearly to 10,000 connections.\n\n");
        md.append("| Provider | TLS | Impl | connections | heap B/conn | direct B/conn | RSS B/conn | heap+direct "
                + "for 10,000 | sslkit/raw heap+direct |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String p : PROVIDERS) {
            for (String v : VERSIONS) {
                Row raw = jmh.find("IdleMemoryBenchmark", "impl", "raw", "provider", p, "version", v);
                for (String impl : new String[] {"raw", "sslkit"}) {
                    Row r = jmh.find("IdleMemoryBenchmark", "impl", impl, "provider", p, "version", v);
                    if (r == null) {
                        continue;
                    }
                    double heap = r.secondary("heapBytesPerConnection");
                    double direct = r.secondary("directBytesPerConnection");
                    double rss = r.secondary("rssBytesPerConnection");
                    double ratio = impl.equals("raw") || raw == null ? Double.NaN : (heap + direct)
                            / (raw.secondary("heapBytesPerConnection") + raw.secondary("directBytesPerConnection"));
                    md.append("| ").append(prov(p)).append(" | ").append(ver(v)).append(" | ")
                            .append(impl.equals("raw") ? "raw Netty" : "sslkit").append(" | ")
                            .append(fmt(r.secondary("openConnections"), 0)).append(" | ").append(fmt(heap, 0))
                            .append(" | ").append(fmt(direct, 0)).append(" | ").append(fmt(rss, 0)).append(" | ")
                            .append(fmt((heap + direct) * 10_000 / 1e6, 1)).append(" MB | ")
                            .append(Double.isNaN(ratio) ? "—" : fmt(ratio, 2)).append(" |\n");
                }
            }
        }
        md.append("\n");
    }

    // ---- physical reference -----------------------------------------------------------------------------------

    private void physical() {
        if (speed.isEmpty()) {
            return;
        }
        md.append("## Physical reference: `openssl speed -elapsed` (one core)\n\n| Operation | Rate |\n|---|---:|\n");
        speed.forEach((k, v) -> md.append("| ").append(OpensslSpeed.label(k)).append(" | ")
                .append(k.startsWith("aes") ? fmt(v, 0) + " MB/s" : fmt(v, 0) + " /s").append(" |\n"));
        md.append("\n");
    }

    private void method() {
        md.append("## Notes\n\n");
        md.append("- The machine is shared (2 cores; other builds and tests may run at the same time): the load "
                + "averages above say how busy it was. Short-preset figures come from 1 fork and one 2-second "
                + "measurement per configuration (after 4 s of warmup, 8 s for the JDK provider, which compiles "
                + "slowly), so single rows can be off by tens of percent: look at the pattern across rows, and use "
                + "`--long` for figures to quote.\n");
        md.append("- raw Netty uses the same provider, the same `SslContextBuilder` settings, "
                + "`ByteBufAllocator.DEFAULT` and the same transport and event-loop count as an sslkit runtime. "
                + "It is what a Netty programmer would write: autoRead on, writes from the event loop with one "
                + "flush per writable batch, echo from the event loop. The ratio sslkit/raw is therefore the whole "
                + "cost of the Erlang-style blocking API (thread hops, copies into `byte[]`, per-`send` flushes), "
                + "not only of our handlers.\n");
        md.append("- Full handshakes: client contexts resume by host:port by default, sslkit's and raw Netty's alike "
                + "(JDK: TLS 1.2 and 1.3, BoringSSL: TLS 1.2), so the full-handshake benchmark connects with "
                + "`{server_name_indication, disable}`, which gives both the same footing (no SNI, no host-name check, the "
                + "chain is still verified; no session key) and the raw baseline the same way; each trial first "
                + "checks on three probe connections that none resumed (`connection_information` for sslkit, the "
                + "engine's flag for raw). Resumed handshakes are not measured by the short preset.\n");
        md.append("- OTP: `{reuse_sessions, false}` on TLS 1.2 (TLS 1.3 tickets are off by default), verify_peer "
                + "against the same CA, `{server_name_indication, disable}`. OTP negotiates its own preferred "
                + "suite; the suites sslkit negotiates are listed under Machine.\n");
        md.append("- Profiling findings (JFR, record sizes, allocation) are in `ssl-bench/PROFILE.md`.\n");
    }

    // ---- formatting -------------------------------------------------------------------------------------------

    private static String scoreErr(Row r, int decimals) {
        if (r == null) {
            return "—";
        }
        String s = fmt(r.score(), decimals);
        if (Double.isFinite(r.error()) && r.error() > 0) {
            s += " ± " + fmt(r.error(), decimals);
        }
        return s;
    }

    static String fmt(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String str(Object o) {
        if (o instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return o == null ? "?" : o.toString();
    }

    private static String ver(String v) {
        return v.equals("TLS_V1_3") ? "1.3" : v.equals("TLS_V1_2") ? "1.2" : v;
    }

    private static String prov(String p) {
        return p.equals("OPENSSL") ? "BoringSSL" : p;
    }

    private static String keyName(String k) {
        return k.equals("EC_P256") ? "ECDSA P-256" : k.equals("RSA_2048") ? "RSA-2048" : k;
    }

    private static String sizeName(String s) {
        int n = Integer.parseInt(s);
        return n % 1024 == 0 ? n / 1024 + " KiB" : n + " B";
    }
}
