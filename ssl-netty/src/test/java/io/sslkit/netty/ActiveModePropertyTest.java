package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.TestPki;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random sequences of mode switches ({@code true}/{@code false}/{@code once}/{@code N}), {@code recv} sizes,
 * timeouts and owner changes against a peer streaming a known pseudo-random byte sequence. The received stream must
 * be the sent one, byte for byte and in order; every {@code Passive} must come exactly once per spent count, and
 * {@code Closed} exactly once at the end.
 */
class ActiveModePropertyTest {

    private static final TestPki PKI = TestPki.ec();
    /** Bytes per run; four runs (providers × versions) make ~200 MB. */
    private static final long TOTAL = 48L << 20;
    private static Ssl ssl;

    @BeforeAll
    static void start() {
        ssl = Ssl.start();
    }

    @AfterAll
    static void stop() {
        ssl.stop();
    }

    /** Every engine on the fast receive path; TLS 1.3 also through the event-loop hop and the zero-copy read. */
    static Stream<Arguments> runs() {
        return Stream.of(Provider.OPENSSL, Provider.JDK).flatMap(p -> Stream.of(
                Arguments.of(p, Protocol.TLS_V1_2, PassiveReader.DataPath.FAST),
                Arguments.of(p, Protocol.TLS_V1_3, PassiveReader.DataPath.FAST),
                Arguments.of(p, Protocol.TLS_V1_3, PassiveReader.DataPath.HOP),
                Arguments.of(p, Protocol.TLS_V1_3, PassiveReader.DataPath.ZERO_COPY)));
    }

    /** The receiving side's bookkeeping. */
    private static final class Receiver {
        final SslSocket socket;
        final Pattern pattern;
        Mailbox owner;
        long received;
        boolean closedSeen;
        int passives;
        int expectedPassives;

        Receiver(SslSocket socket, Pattern pattern, Mailbox owner) {
            this.socket = socket;
            this.pattern = pattern;
            this.owner = owner;
        }

        void accept(byte[] chunk) {
            int bad = pattern.firstMismatch(chunk, received);
            assertThat(bad).as("first wrong byte at stream offset %d", received + bad).isEqualTo(-1);
            received += chunk.length;
        }

        /** Handles one message; returns false for a terminal one. */
        boolean handle(SslMessage m) {
            assertThat(m.socket()).isSameAs(socket);
            if (m instanceof SslMessage.Data d) {
                accept(d.bytes());
                return true;
            }
            if (m instanceof SslMessage.Passive) {
                passives++;
                return true;
            }
            assertThat(m).isInstanceOf(SslMessage.Closed.class);
            assertThat(closedSeen).as("Closed twice").isFalse();
            closedSeen = true;
            return false;
        }

        /** Takes every message already in the mailbox. */
        void drain() throws InterruptedException {
            Optional<SslMessage> m;
            while ((m = owner.receive(Timeout.millis(0))).isPresent()) {
                handle(m.get());
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("runs")
    void theStreamSurvivesAnySequenceOfModesReadsTimeoutsAndOwners(Provider p, Protocol v,
                                                                   PassiveReader.DataPath path) throws Exception {
        long seed = 7919L * (p.ordinal() + 1) + v.ordinal() + 31L * path.ordinal();
        Random random = new Random(seed);
        Pattern pattern = new Pattern(seed);
        Mailbox first = new Mailbox();
        SslOptions client = PKI.clientOptions(p).versions(v).owner(first).build();
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(), client)) {
            CompletableFuture<Void> sender = Async.run(() -> stream(pair.server(), pattern, seed));
            ((NettySslSocket) pair.client()).dataPath(path);
            Receiver r = new Receiver(pair.client(), pattern, first);
            Mailbox other = new Mailbox();
            int steps = 0;
            while (!r.closedSeen) {
                steps++;
                switch (random.nextInt(6)) {
                    case 0 -> passiveRecv(r, random);
                    case 1 -> once(r);
                    case 2 -> activeN(r, 1 + random.nextInt(5));
                    case 3 -> activeTrueForAWhile(r, 1 + random.nextInt(20));
                    case 4 -> {
                        Mailbox next = r.owner == first ? other : first;
                        r.socket.controllingProcess(r.owner, next);
                        r.drain(); // messages the old owner got before the move come first
                        r.owner = next;
                    }
                    default -> recvWithTimeout(r, random);
                }
            }
            sender.get(30, TimeUnit.SECONDS);
            System.out.printf("%s %s: %d steps, %d passives%n", p, v, steps, r.passives);
            assertThat(steps).as("a real random walk, not a few big reads").isGreaterThan(100);
            assertThat(r.received).isEqualTo(TOTAL);
            assertThat(r.passives).isEqualTo(r.expectedPassives);
            r.drain();
            assertThat(other.size() + first.size()).isZero();
        }
    }

    /** Sends TOTAL bytes in writes of random sizes, then closes. */
    private static void stream(SslSocket s, Pattern pattern, long seed) {
        Random random = new Random(~seed);
        byte[] buf = new byte[200_000];
        long sent = 0;
        try {
            while (sent < TOTAL) {
                int n = (int) Math.min(1 + random.nextInt(buf.length), TOTAL - sent);
                pattern.fill(buf, 0, n, sent);
                s.send(ByteBuffer.wrap(buf, 0, n));
                sent += n;
            }
            s.close();
        } catch (SslException e) {
            throw new RuntimeException(e);
        }
    }

    private static void passiveRecv(Receiver r, Random random) throws Exception {
        int len = random.nextBoolean() ? 0 : 1 + random.nextInt(100_000);
        try {
            r.accept(r.socket.recv(len, Timeout.millis(30_000)));
        } catch (SslException e) {
            assertThat(e.reason()).isEqualTo(Reason.CLOSED);
            // recv(N) after the end: take what is left with recv(0), then the close counts as seen
            try {
                while (true) {
                    r.accept(r.socket.recv(0, Timeout.millis(1_000)));
                }
            } catch (SslException end) {
                assertThat(end.reason()).isEqualTo(Reason.CLOSED);
                r.closedSeen = true;
            }
        }
    }

    private static void recvWithTimeout(Receiver r, Random random) throws Exception {
        try {
            r.accept(r.socket.recv(1 + random.nextInt(300_000), Timeout.millis(random.nextInt(20))));
        } catch (SslException e) {
            assertThat(e.reason()).isIn(Reason.TIMEOUT, Reason.CLOSED);
            if (e.reason() == Reason.CLOSED) {
                passiveRecv(r, random);
            }
        }
    }

    private static void once(Receiver r) throws Exception {
        r.socket.setopts(Opt.ACTIVE.of(Active.ONCE));
        r.handle(r.owner.receive(Timeout.millis(30_000)).orElseThrow());
    }

    private static void activeN(Receiver r, int n) throws Exception {
        r.socket.setopts(Opt.ACTIVE.of(Active.count(n)));
        int before = r.passives;
        while (r.passives == before) {
            if (!r.handle(r.owner.receive(Timeout.millis(30_000)).orElseThrow())) {
                // closed before the count ran out: the socket stays active with what is left of N
                r.socket.setopts(Opt.ACTIVE.of(Active.FALSE));
                return;
            }
        }
        r.expectedPassives++;
    }

    private static void activeTrueForAWhile(Receiver r, int messages) throws Exception {
        r.socket.setopts(Opt.ACTIVE.of(Active.TRUE));
        for (int i = 0; i < messages; i++) {
            if (!r.handle(r.owner.receive(Timeout.millis(30_000)).orElseThrow())) {
                return;
            }
        }
        r.socket.setopts(Opt.ACTIVE.of(Active.FALSE));
        r.drain(); // delivered before the switch took effect
    }
}
