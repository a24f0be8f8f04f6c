package io.sslkit.examples.otpdiff;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.examples.interop.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one oracle escript of {@code ci/interop} over a whole group of cases: one Erlang VM per group, not per case.
 * The cases go in as a file of lines, the answers come back as lines {@code "Id Answer"}.
 */
final class OtpOracle {

    static final Duration TIMEOUT = Duration.ofMinutes(2);

    private OtpOracle() {
    }

    /** Runs {@code ci/interop/<script> <argument>} and returns its output lines. */
    static List<String> askAll(String script, String argument) throws IOException, InterruptedException {
        String escript = Peers.require("escript");
        Path out = Files.createTempFile("otpdiff-out", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(escript, Peers.repo().resolve("ci/interop/" + script).toString(),
                    argument).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("ERL_FLAGS");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " did not finish in " + TIMEOUT);
            }
            assertThat(p.exitValue()).as(script + " failed").isZero();
            return Files.readAllLines(out, StandardCharsets.ISO_8859_1);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs {@code ci/interop/<script>} on {@code cases} (one line each) and returns the answers by case id. */
    static Map<String, String> ask(String script, List<String> cases) throws IOException, InterruptedException {
        String escript = Peers.require("escript");
        Path in = Files.createTempFile("otpdiff-in", ".txt");
        Path out = Files.createTempFile("otpdiff-out", ".txt");
        Path err = Files.createTempFile("otpdiff-err", ".txt");
        try {
            Files.write(in, cases, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(escript, Peers.repo().resolve("ci/interop/" + script).toString(),
                    in.toString()).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("ERL_FLAGS");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(script + " did not finish in " + TIMEOUT);
            }
            assertThat(p.exitValue()).as(script + " failed: " + Files.readString(err, StandardCharsets.ISO_8859_1)).isZero();
            Map<String, String> answers = new LinkedHashMap<>();
            for (String line : Files.readAllLines(out, StandardCharsets.ISO_8859_1)) {
                int sp = line.indexOf(' ');
                answers.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1));
            }
            return answers;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Lowercase hex of {@code b}. */
    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    /** A tally of one group: how many cases ran, agreed, and differed by a named deviation or not at all. */
    static final class Tally {
        private final String group;
        private final long seed;
        private int ran;
        private int agreed;
        private final Map<String, Integer> deviations = new LinkedHashMap<>();
        private final List<String> differences = new ArrayList<>();

        Tally(String group, long seed) {
            this.group = group;
            this.seed = seed;
        }

        /** Records one case; {@code deviation} names the documented deviation that explains a difference, or null. */
        void add(String id, String input, String otp, String sslkit, String deviation) {
            ran++;
            if (otp.equals(sslkit)) {
                agreed++;
            } else if (deviation != null) {
                deviations.merge(deviation, 1, Integer::sum);
            } else {
                differences.add(id + " " + input + "\n    otp:    " + otp + "\n    sslkit: " + sslkit);
            }
        }

        /** Prints the counts and fails on any difference that is not a named deviation. */
        void report() {
            StringBuilder line = new StringBuilder("otp-diff " + group + ": " + agreed + " of " + ran
                    + " cases agree (seed " + seed + ")");
            deviations.forEach((name, n) -> line.append("; ").append(n).append(" differ by documented deviation ")
                    .append(name));
            if (!differences.isEmpty()) {
                line.append("; ").append(differences.size()).append(" UNDOCUMENTED differences");
            }
            System.out.println(line);
            differences.stream().limit(40).forEach(d -> System.out.println("  " + d));
            assertThat(differences).as(line.toString()).isEmpty();
            assertThat(ran).isPositive();
        }
    }
}
