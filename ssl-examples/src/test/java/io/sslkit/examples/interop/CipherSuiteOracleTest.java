package io.sslkit.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.CipherSuite;
import io.sslkit.CipherSuite.Field;
import io.sslkit.CipherSuite.Filter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sslkit's cipher-suite helpers against Erlang/OTP 25's, case by case ({@code ci/interop/erl_cipher_oracle.escript}):
 * {@code str_to_suite/1}, {@code suite_to_str/1} and {@code suite_to_openssl_str/1} for every suite sslkit knows and
 * for names OTP does not recognise, and {@code filter_cipher_suites/2}, {@code prepend_cipher_suites/2} and
 * {@code append_cipher_suites/2} on generated suite lists and filters (fixed seed, printed). Every answer must be
 * equal, text for text.
 */
class CipherSuiteOracleTest {

    private static final long SEED = Long.getLong("sslkit.oracle.seed", 20261208L);
    private static final int GENERATED = Integer.getInteger("sslkit.oracle.cases", 400);

    @Test
    void cipherSuiteHelpersAnswerAsOtpDoes(@TempDir Path dir) throws Exception {
        String escript = Peers.require("escript");
        List<String> cases = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        names(cases, ours);
        lists(new Random(SEED), cases, ours);

        List<String> otp = askOtp(escript, dir, cases);

        List<String> differences = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            if (!ours.get(i).equals(otp.get(i))) {
                differences.add(cases.get(i) + "\n    sslkit: " + ours.get(i) + "\n    otp:    " + otp.get(i));
            }
        }
        System.out.printf("otp-diff cipher suites (seed %d): %d of %d cases agree%n", SEED,
                cases.size() - differences.size(), cases.size());
        assertThat(differences).as("cases where sslkit and OTP 25 differ").isEmpty();
    }

    /** Every known suite by both of its names, plus names OTP does not recognise (case, spaces, unknown). */
    private static void names(List<String> cases, List<String> ours) {
        List<String> names = new ArrayList<>();
        for (CipherSuite s : CipherSuite.known()) {
            names.add(s.ianaName());
            names.add(s.opensslName());
            names.add(s.opensslName().toLowerCase(Locale.ROOT));
        }
        names.addAll(List.of("HIGH", "TLS_FOO", "AES128-SHA!", "{rsa,aes_128_cbc,sha}"));
        for (String name : names) {
            cases.add("name " + name);
            ours.add(CipherSuite.strToSuite(name).map(s -> String.join(" ", s.keyExchange(), s.cipher(), s.mac(),
                    s.prf(), CipherSuite.suiteToStr(s), CipherSuite.suiteToOpensslStr(s))).orElse("not_recognized"));
        }
    }

    /** Random sub-lists of the known suites in random order, with random filters (repeated fields included). */
    private static void lists(Random random, List<String> cases, List<String> ours) {
        List<CipherSuite> known = CipherSuite.known();
        for (int i = 0; i < GENERATED; i++) {
            List<CipherSuite> suites = sample(random, known);
            List<CipherSuite> other = sample(random, random.nextBoolean() ? suites : known);
            List<String> spec = new ArrayList<>();
            Filter[] filters = filters(random, known, spec);
            String f = spec.isEmpty() ? "-" : String.join(";", spec);
            switch (i % 5) {
                case 0 -> add(cases, ours, "filter " + rfc(suites) + " " + f,
                        CipherSuite.filterCipherSuites(suites, filters));
                case 1 -> add(cases, ours, "prepend " + rfc(suites) + " " + f,
                        CipherSuite.prependMatching(suites, filters));
                case 2 -> add(cases, ours, "append " + rfc(suites) + " " + f,
                        CipherSuite.appendMatching(suites, filters));
                case 3 -> add(cases, ours, "prepend_list " + rfc(suites) + " " + rfc(other),
                        CipherSuite.prependCipherSuites(other, suites));
                default -> add(cases, ours, "append_list " + rfc(suites) + " " + rfc(other),
                        CipherSuite.appendCipherSuites(other, suites));
            }
        }
    }

    private static List<CipherSuite> sample(Random random, List<CipherSuite> from) {
        List<CipherSuite> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return copy.subList(0, random.nextInt(copy.size() + 1));
    }

    private static Filter[] filters(Random random, List<CipherSuite> known, List<String> spec) {
        int n = random.nextInt(4);
        Filter[] filters = new Filter[n];
        for (int j = 0; j < n; j++) {
            Field field = Field.values()[random.nextInt(Field.values().length)];
            Set<String> values = new TreeSet<>();
            for (CipherSuite s : known) {
                if (random.nextInt(3) == 0) {
                    values.add(value(field, s));
                }
            }
            values.add("none"); // never a field's value: keeps the spec non-empty
            filters[j] = new Filter(field, values::contains);
            spec.add(field.name().toLowerCase(Locale.ROOT) + "=" + String.join("/", values));
        }
        return filters;
    }

    private static String value(Field field, CipherSuite s) {
        return switch (field) {
            case KEY_EXCHANGE -> s.keyExchange();
            case CIPHER -> s.cipher();
            case MAC -> s.mac();
            case PRF -> s.prf();
        };
    }

    private static void add(List<String> cases, List<String> ours, String line, List<CipherSuite> result) {
        cases.add(line);
        ours.add(rfc(result));
    }

    private static String rfc(List<CipherSuite> suites) {
        return suites.isEmpty() ? "-" : suites.stream().map(CipherSuite::suiteToStr).collect(Collectors.joining(","));
    }

    private static List<String> askOtp(String escript, Path dir, List<String> cases) throws Exception {
        Path in = Files.write(dir.resolve("cases.txt"), cases, StandardCharsets.UTF_8);
        Path out = dir.resolve("answers.txt");
        Process p = new ProcessBuilder(escript, Peers.repo().resolve("ci/interop/erl_cipher_oracle.escript").toString())
                .redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the OTP oracle did not finish in 120 s");
        }
        assertThat(p.exitValue()).as("oracle exit code").isZero();
        List<String> answers = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(answers).as("one OTP answer per case").hasSize(cases.size());
        return answers;
    }
}
