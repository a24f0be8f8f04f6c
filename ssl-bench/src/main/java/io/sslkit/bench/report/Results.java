package io.sslkit.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** JMH's JSON result files ({@code -rf json}), flattened into one row per benchmark and parameter set. */
public final class Results {

    /** One JMH result. */
    public record Row(String benchmark, String mode, int threads, Map<String, String> params, double score,
                      double error, String unit, Map<String, Double> percentiles, Map<String, Double> secondary) {

        /** The method's simple name, e.g. {@code HandshakeBenchmark.handshake}. */
        public String shortName() {
            String[] parts = benchmark.split("\\.");
            return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
        }

        public String param(String name) {
            return params.get(name);
        }

        public double percentile(String p) {
            Double v = percentiles.get(p);
            return v == null ? Double.NaN : v;
        }

        public double secondary(String name) {
            Double v = secondary.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    private final List<Row> rows = new ArrayList<>();

    /** Reads every file; later files override earlier results with the same benchmark and parameters. */
    public static Results load(List<Path> files) throws IOException {
        Results r = new Results();
        for (Path f : files) {
            if (!Files.exists(f) || Files.size(f) == 0) {
                continue;
            }
            for (Object o : (List<?>) Json.parse(Files.readString(f))) {
                r.add(row((Map<?, ?>) o));
            }
        }
        return r;
    }

    private void add(Row row) {
        rows.removeIf(x -> x.benchmark.equals(row.benchmark) && x.params.equals(row.params));
        rows.add(row);
    }

    private static Row row(Map<?, ?> m) {
        Map<String, String> params = new LinkedHashMap<>();
        Object p = m.get("params");
        if (p instanceof Map<?, ?> pm) {
            pm.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        }
        Map<?, ?> primary = (Map<?, ?>) m.get("primaryMetric");
        Map<String, Double> percentiles = new LinkedHashMap<>();
        if (primary.get("scorePercentiles") instanceof Map<?, ?> pc) {
            pc.forEach((k, v) -> percentiles.put(String.valueOf(k), num(v)));
        }
        Map<String, Double> secondary = new LinkedHashMap<>();
        if (m.get("secondaryMetrics") instanceof Map<?, ?> sm) {
            sm.forEach((k, v) -> secondary.put(String.valueOf(k), num(((Map<?, ?>) v).get("score"))));
        }
        return new Row(String.valueOf(m.get("benchmark")), String.valueOf(m.get("mode")),
                (int) num(m.get("threads")), params, num(primary.get("score")), num(primary.get("scoreError")),
                String.valueOf(primary.get("scoreUnit")), percentiles, secondary);
    }

    static double num(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public List<Row> rows() {
        return rows;
    }

    /** Rows of a benchmark class (simple name, e.g. {@code HandshakeBenchmark}) matching a filter. */
    public List<Row> of(String benchmarkClass, Predicate<Row> filter) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.shortName().startsWith(benchmarkClass + ".") && filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The row of a benchmark class whose parameters include all of {@code params} (name, value, name, value...). */
    public Row find(String benchmarkClass, String... params) {
        for (Row r : of(benchmarkClass, x -> true)) {
            boolean all = true;
            for (int i = 0; i < params.length; i += 2) {
                if (!params[i + 1].equals(r.param(params[i]))) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return r;
            }
        }
        return null;
    }
}
