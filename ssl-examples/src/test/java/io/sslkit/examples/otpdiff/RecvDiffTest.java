package io.sslkit.examples.otpdiff;

import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.Verify;
import io.sslkit.examples.interop.PeerProcess;
import io.sslkit.examples.interop.Peers;
import io.sslkit.netty.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passive {@code recv} against OTP's: scripted OTP servers ({@code ci/interop/otpdiff_recv.escript}: send, pause,
 * close) each read by an OTP client and by sslkit clients on both engines, the sequence of {@code recv} results
 * compared.
 *
 * <p>Among the cases: the peer closes while a {@code recv(N)} waits for more than has arrived; both return
 * {@code closed} and drop the bytes that had arrived (sslkit kept them for the next {@code recv(0)} before).
 * <p>Not covered yet: active-mode message sequences.
 */
class RecvDiffTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Id → {server script, client script}. */
    static Map<String, String[]> cases() {
        Map<String, String[]> c = new LinkedHashMap<>();
        c.put("whole-then-close", new String[] {"s:hello,c", "r:5,r:0"});
        c.put("partial-then-close", new String[] {"s:abc,p:300,c", "r:10,r:0"});
        c.put("split-reads", new String[] {"s:hello_world,p:200,c", "r:5,r:0,r:0"});
        c.put("two-sends", new String[] {"s:ab,p:200,s:cd,p:200,c", "r:4,r:0"});
        c.put("exact-then-more", new String[] {"s:abcdef,p:200,s:gh,p:200,c", "r:6,r:2,r:0"});
        c.put("zero-after-close", new String[] {"s:x,p:200,c", "r:0,r:0,r:0"});
        c.put("silence-timeout", new String[] {"p:3000,c", "r:1"});
        return c;
    }

    @TempDir
    Path dir;

    @Test
    void recvAgreesWithOtp() throws Exception {
        String escript = Peers.require("escript");
        TestPki pki = TestPki.ec();
        Map<String, String[]> cases = cases();
        List<String> lines = new ArrayList<>();
        cases.forEach((id, s) -> lines.add(id + " " + s[0] + " " + s[1]));
        Path in = Files.write(dir.resolve("cases.txt"), lines, StandardCharsets.UTF_8);
        List<String> cmd = List.of(escript, Peers.repo().resolve("ci/interop/otpdiff_recv.escript").toString(),
                in.toString(), pki.file("server.pem").toString(), pki.file("server.key").toString());
        try (PeerProcess peer = PeerProcess.start(cmd); Ssl ssl = Ssl.start()) {
            peer.out().awaitPrefix("done", TIMEOUT).orElseThrow(() -> new AssertionError(
                    "no 'done' from the recv oracle\nstdout: " + peer.out().text() + "\nstderr: " + peer.err().text()));
            Map<String, Integer> ports = new LinkedHashMap<>();
            Map<String, String> otp = new LinkedHashMap<>();
            for (String line : peer.out().lines()) {
                String[] f = line.split(" ");
                if (f[0].equals("listening")) {
                    ports.put(f[1], Integer.parseInt(f[2]));
                } else if (f.length == 2) {
                    otp.put(f[0], f[1]);
                }
            }
            OtpOracle.Tally tally = new OtpOracle.Tally("recv", 0);
            for (Map.Entry<String, String[]> e : cases.entrySet()) {
                for (Provider p : new Provider[] {Provider.JDK, Provider.OPENSSL}) {
                    String mine = sslkit(ssl, p, pki.file("ca.pem"), ports.get(e.getKey()), e.getValue()[1]);
                    String theirs = otp.getOrDefault(e.getKey(), "<no answer>");
                    tally.add(e.getKey() + " " + p, String.join(" ", e.getValue()), theirs, mine, null);
                }
            }
            tally.report();
        }
    }

    private static String sslkit(Ssl ssl, Provider p, Path ca, int port, String script) throws Exception {
        SslOptions o = SslOptions.builder().provider(p).verify(Verify.VERIFY_PEER).cacertfile(ca).build();
        List<String> results = new ArrayList<>();
        try (SslSocket s = ssl.connect("localhost", port, o, Timeout.millis(10_000))) {
            for (String step : script.split(",")) {
                int n = Integer.parseInt(step.substring(2));
                try {
                    results.add("ok:" + new String(s.recv(n, Timeout.millis(2000)), StandardCharsets.ISO_8859_1));
                } catch (SslException e) {
                    Reason r = e.reason();
                    results.add(r == Reason.CLOSED ? "closed" : r == Reason.TIMEOUT ? "timeout" : "error:" + r);
                }
            }
        }
        return String.join(";", results);
    }
}
