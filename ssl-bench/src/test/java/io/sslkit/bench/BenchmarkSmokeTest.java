package io.sslkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI smoke: every benchmark, every implementation (sslkit and raw Netty, every sslkit receive mode), both providers,
 * runs one tiny measurement iteration in this JVM (no fork, no warmup) and produces a result. Benchmarks are not
 * tests; this only proves that they still build, connect and move bytes.
 */
class BenchmarkSmokeTest {

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyBenchmarkFinishesOneTinyIteration() throws Exception {
        Options options = new OptionsBuilder()
                .include("io\\.sslkit\\.bench\\..*Benchmark\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .timeout(TimeValue.seconds(30)) // JMH interrupts an iteration that hangs
                .param("provider", "OPENSSL", "JDK")
                .param("version", "TLS_V1_3")
                .param("key", "EC_P256")
                .param("writeSize", "16384")
                .param("connections", "1")
                .param("count", "10")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();

        Map<String, Result<?>> byRun = new TreeMap<>();
        for (RunResult r : results) {
            String key = r.getParams().getBenchmark().replace("io.sslkit.bench.", "") + " "
                    + new TreeMap<>(paramsOf(r));
            byRun.put(key, r.getPrimaryResult());
        }
        List<String> expected = new ArrayList<>();
        for (String p : new String[] {"OPENSSL", "JDK"}) {
            for (String impl : new String[] {"sslkit", "raw"}) {
                expected.add("HandshakeBenchmark.handshake impl=" + impl + " provider=" + p);
                expected.add("IdleMemoryBenchmark.openIdleConnections impl=" + impl + " provider=" + p);
            }
            for (String rc : new String[] {"raw", "recv0", "once", "true", "callback"}) {
                expected.add("BulkThroughputBenchmark.transfer receiver=" + rc + " provider=" + p);
            }
            for (String impl : new String[] {"raw", "recv", "once"}) {
                expected.add("PingPongLatencyBenchmark.roundTrip impl=" + impl + " provider=" + p);
            }
            for (String end : new String[] {"send", "recv0", "true"}) {
                expected.add("BulkSplitBenchmark.transfer sslkitEnd=" + end + " provider=" + p);
            }
        }
        for (String e : expected) {
            String[] words = e.split(" ");
            boolean found = byRun.entrySet().stream().anyMatch(en -> {
                for (String w : words) {
                    if (!en.getKey().startsWith(words[0]) || (w.contains("=") && !en.getKey().contains(w))) {
                        return false;
                    }
                }
                double score = en.getValue().getScore();
                return Double.isFinite(score) && score > 0;
            });
            assertTrue(found, "no positive result for " + e + " in " + byRun.keySet());
        }
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().endsWith("openIdleConnections")) {
                Result<?> open = r.getSecondaryResults().get("openConnections");
                assertEquals(10.0, open.getScore(), "connections opened by " + paramsOf(r));
                assertFalse(Double.isNaN(r.getSecondaryResults().get("heapBytesPerConnection").getScore()));
            }
        }
    }

    private static Map<String, String> paramsOf(RunResult r) {
        Map<String, String> m = new TreeMap<>();
        for (String k : r.getParams().getParamsKeys()) {
            m.put(k, r.getParams().getParam(k));
        }
        return m;
    }
}
