package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Active;
import io.sslkit.Alert;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.FaultProxy;
import io.sslkit.netty.testing.FaultProxy.Fault;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.TestPki;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults between client and server (delay, split, truncate, corrupt, reset, stall; in the handshake and in the middle
 * of records), for each receiving mode and provider: the client gets the right reason within its timeout, its
 * socket is released, and a healthy connection on the same runtime carries on. Prints the table at the end.
 */
class FaultTest {

    private static final TestPki PKI = TestPki.ec();
    private static final int TOTAL = 256 * 1024;
    /** Server-to-client bytes before a mid-stream fault: well past the handshake. */
    private static final long MID = 60_000;
    /** Server-to-client bytes before a handshake fault: inside the ServerHello/Certificate flight. */
    private static final long HANDSHAKE = 100;
    private static final Map<String, String> TABLE = new TreeMap<>();
    private static Ssl ssl;
    private static SslListenSocket listen;
    private static Loopback.Pair healthy;

    /** How the client reads: recv(0) on each receive path (fast, event-loop hop, zero-copy), or an active mode. */
    enum Mode { PASSIVE, PASSIVE_HOP, PASSIVE_ZERO_COPY, ACTIVE_TRUE, ONCE }

    @BeforeAll
    static void start() throws Exception {
        ssl = Ssl.start();
        healthy = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(),
                PKI.clientOptions(Provider.AUTO).build());
    }

    @AfterAll
    static void stop() throws Exception {
        // the healthy connection on the same runtime was never disturbed
        healthy.client().send("still fine");
        assertThat(healthy.server().recv(10, Timeout.millis(10_000))).hasSize(10);
        healthy.close();
        ssl.stop();
        StringBuilder sb = new StringBuilder("\nfault x where x mode x provider -> what the client saw\n");
        TABLE.forEach((k, v) -> sb.append(String.format("  %-40s %s%n", k, v)));
        System.out.println(sb);
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Provider p : new Provider[] {Provider.OPENSSL, Provider.JDK}) {
            for (Fault f : Fault.values()) {
                b.add(Arguments.of(f, "handshake", Mode.PASSIVE, p));
                for (Mode m : Mode.values()) {
                    b.add(Arguments.of(f, "mid-record", m, p));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void aFaultGivesTheRightReasonInTimeAndReleasesTheSocket(Fault fault, String where, Mode mode, Provider p)
            throws Exception {
        Pattern pattern = new Pattern(fault.ordinal());
        try (SslListenSocket server = ssl.listen(0, PKI.serverOptions(p).build());
             FaultProxy proxy = new FaultProxy(new InetSocketAddress("127.0.0.1", server.port()), fault,
                     where.equals("handshake") ? HANDSHAKE : MID)) {
            CompletableFuture<Void> serverSide = Async.run(() -> serve(server, pattern));
            Mailbox mailbox = new Mailbox();
            SslOptions client = PKI.clientOptions(p).owner(mailbox)
                    .active(mode == Mode.ACTIVE_TRUE ? Active.TRUE : Active.FALSE).build();
            long t0 = System.nanoTime();
            String outcome;
            SslSocket s = null;
            try {
                s = ssl.connect("localhost", proxy.port(), client, Timeout.millis(3_000));
                ((NettySslSocket) s).dataPath(switch (mode) {
                    case PASSIVE_HOP -> PassiveReader.DataPath.HOP;
                    case PASSIVE_ZERO_COPY -> PassiveReader.DataPath.ZERO_COPY;
                    default -> PassiveReader.DataPath.FAST;
                });
                outcome = receive(s, mode, mailbox, pattern);
            } catch (SslException e) {
                outcome = "connect: " + describe(e.reason());
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            TABLE.put(fault + " " + where + " " + mode + " " + p, outcome);
            assertThat(ms).as("within the timeouts asked for").isLessThan(10_000);
            assertThat(outcome).matches(expected(fault, where));
            if (s != null) {
                s.close();
                NettySslSocket n = (NettySslSocket) s;
                assertThat(n.channel().closeFuture().await(5, TimeUnit.SECONDS)).as("channel released").isTrue();
            }
            proxy.close();
            serverSide.handle((x, t) -> null).get(10, TimeUnit.SECONDS);
        }
    }

    /** What the client must see, by fault and place. */
    private static String expected(Fault fault, String where) {
        boolean hs = where.equals("handshake");
        return switch (fault) {
            case NONE, DELAY, SPLIT -> "all \\d+ bytes";
            case TRUNCATE, RESET -> hs ? "connect: (closed|econnreset)" : "\\d+ bytes, then closed";
            case CORRUPT -> hs ? "connect: tls_alert .*" : "\\d+ bytes, then tls_alert bad_record_mac local";
            case STALL -> hs ? "connect: timeout" : "\\d+ bytes, then timeout";
        };
    }

    private static String describe(Reason r) {
        if (r instanceof Reason.TlsAlert a) {
            return "tls_alert " + a.alert().erlangName() + " " + a.origin().name().toLowerCase();
        }
        return r.toString();
    }

    /** Reads the pattern in the given mode until all of it, an error, or a 1 s silence (stall). */
    private static String receive(SslSocket s, Mode mode, Mailbox mailbox, Pattern pattern) throws Exception {
        long got = 0;
        Timeout silence = Timeout.millis(1_000);
        try {
            while (got < TOTAL) {
                byte[] b;
                if (mode == Mode.PASSIVE || mode == Mode.PASSIVE_HOP || mode == Mode.PASSIVE_ZERO_COPY) {
                    b = s.recv(0, silence);
                } else {
                    if (mode == Mode.ONCE) {
                        s.setopts(Opt.ACTIVE.of(Active.ONCE));
                    }
                    SslMessage m = mailbox.receive(silence).orElse(null);
                    if (m == null) {
                        return got + " bytes, then timeout";
                    }
                    if (m instanceof SslMessage.Closed) {
                        return got + " bytes, then closed";
                    }
                    if (m instanceof SslMessage.Error e) {
                        return got + " bytes, then " + describe(e.reason());
                    }
                    b = ((SslMessage.Data) m).bytes();
                }
                assertThat(pattern.firstMismatch(b, got)).as("no corrupted byte is ever delivered").isEqualTo(-1);
                got += b.length;
            }
            return "all " + got + " bytes";
        } catch (SslException e) {
            return got + " bytes, then " + describe(e.reason());
        }
    }

    private static void serve(SslListenSocket server, Pattern pattern) {
        try (SslSocket s = server.transportAccept(Timeout.millis(5_000))) {
            s.handshake(Timeout.millis(5_000));
            byte[] data = new byte[TOTAL];
            pattern.fill(data, 0, TOTAL, 0);
            s.send(data);
            s.recv(0, Timeout.millis(5_000)); // hold the connection until the client is done
        } catch (SslException e) {
            // the fault reached the server too: fine
        }
    }
}
