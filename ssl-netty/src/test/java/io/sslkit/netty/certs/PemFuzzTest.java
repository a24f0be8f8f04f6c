package io.sslkit.netty.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sslkit.Active;
import io.sslkit.PacketType;
import io.sslkit.Protocol;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslOptionsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input to every parser of text we own: PEM certificates and keys (plain and encrypted), and the
 * option parsers that take strings. Bounded in the suite ({@code sslkit.fuzz.seconds}, default 3 per parser family);
 * for a long run: {@code mvn -pl ssl-api,ssl-netty test -Dtest=PemFuzzTest -Dsslkit.fuzz.seconds=600}. Every input
 * must give a value or the documented error — never another exception, never a hang.
 */
class PemFuzzTest {

    private static final long SECONDS = Long.getLong("sslkit.fuzz.seconds", 3);

    private static final List<String> SEEDS;

    static {
        HeldCertificate ec = HeldCertificate.builder().ecdsa256().build();
        HeldCertificate rsa = HeldCertificate.builder().rsa2048().build();
        char[] pw = "pw".toCharArray();
        SEEDS = List.of(ec.certificatePem(), ec.privateKeyPkcs8Pem(), ec.privateKeySec1Pem(),
                ec.privateKeyPkcs8Pem(pw), ec.privateKeyLegacyEncryptedPem(pw), rsa.privateKeyPkcs1Pem(),
                rsa.certificatePem() + rsa.privateKeyPkcs8Pem());
    }

    private static String mutate(String seed, Random r) {
        byte[] b = seed.getBytes(StandardCharsets.ISO_8859_1);
        int edits = 1 + r.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] = (byte) "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/=\n-".charAt(r.nextInt(47));
                case 2 -> b = java.util.Arrays.copyOf(b, Math.max(1, at)); // truncate
                default -> {
                    byte[] longer = new byte[b.length + 16];
                    System.arraycopy(b, 0, longer, 0, at);
                    r.nextBytes(java.util.Arrays.copyOfRange(longer, at, at + 16));
                    System.arraycopy(b, at, longer, at + 16, b.length - at);
                    b = longer;
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void mutatedPemNeverThrowsAnythingButAnOptionsError() {
        assertTimeoutPreemptively(Duration.ofSeconds(SECONDS + 30), () -> {
            Random r = new Random(42);
            long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
            int runs = 0;
            while (System.nanoTime() < end) {
                String input = r.nextInt(10) == 0 ? randomText(r) : mutate(SEEDS.get(r.nextInt(SEEDS.size())), r);
                char[] password = r.nextBoolean() ? "pw".toCharArray() : null;
                tryParse(() -> PemFiles.parseCertificates(input, "certfile", "fuzz"));
                tryParse(() -> PemFiles.parsePrivateKey(input, password, "keyfile", "fuzz"));
                runs++;
            }
            System.out.println("PEM fuzz: " + runs + " inputs");
            assertThat(runs).isPositive();
        });
    }

    @Test
    void optionStringsParseOrFailWithAnOptionsError() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String s = r.nextInt(3) == 0 ? randomText(r) : List.of("true", "false", "once", "12", "-32768",
                    "32768", "tlsv1.2", "TLSv1.3", "raw", "0", "4", "http_bin", "line").get(r.nextInt(13))
                    + (r.nextBoolean() ? "" : Character.toString((char) r.nextInt(256)));
            try {
                Active.parse(s);
            } catch (SslOptionsException e) {
                assertThat(e.reason()).isInstanceOf(Reason.Options.class);
            }
            assertThat(PacketType.fromName(s)).isNotNull();
            assertThat(Protocol.fromName(s)).isNotNull();
            try {
                io.sslkit.SslOptions.builder().versionNames(List.of(s)).build();
            } catch (SslOptionsException e) {
                assertThat(e.reason().option()).isNotBlank();
            }
        }
    }

    private static String randomText(Random r) {
        byte[] b = new byte[r.nextInt(200)];
        r.nextBytes(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    interface Parse {
        Object run() throws SslException;
    }

    private static void tryParse(Parse p) {
        try {
            assertThat(p.run()).isNotNull();
        } catch (SslException e) {
            assertThat(e.reason()).isInstanceOf(Reason.Options.class);
        }
    }
}
