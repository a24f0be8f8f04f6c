package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Protocol;
import io.sslkit.Provider;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Back-pressure: a receiver that does not read does not buffer; the sender is held back by TCP; nothing is lost
 * when reading resumes. Passive and {@code active=true} with an owner that does not take its messages.
 */
class FlowControlTest {

    private static final TestPki PKI = TestPki.ec();
    /** What the sender tries to push: far more than any socket buffer. */
    private static final long TOTAL = 48L << 20;
    /** What the receiving socket may hold while nobody reads: a few TLS reads, not megabytes. */
    private static final long PASSIVE_BOUND = 512 << 10;
    /** A sender blocked this long without a break is held back by TCP, not by a passing full buffer. */
    private static final long HELD = 500;
    private static Ssl ssl;

    @BeforeAll
    static void start() {
        ssl = Ssl.start();
    }

    @AfterAll
    static void stop() {
        ssl.stop();
    }

    /** Sends TOTAL bytes of the pattern in 64 KiB writes, counting what went out. */
    private static CompletableFuture<Void> sender(SslSocket s, Pattern pattern, AtomicLong sent) {
        return Async.run(() -> {
            byte[] buf = new byte[64 << 10];
            try {
                while (sent.get() < TOTAL) {
                    int n = (int) Math.min(buf.length, TOTAL - sent.get());
                    pattern.fill(buf, 0, n, sent.get());
                    s.send(java.nio.ByteBuffer.wrap(buf, 0, n));
                    sent.addAndGet(n);
                }
            } catch (SslException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Both engines, each on every receive path (fast, event-loop hop, zero-copy). */
    static Stream<Arguments> passivePaths() {
        return Stream.of(Provider.OPENSSL, Provider.JDK).flatMap(p -> Stream.of(PassiveReader.DataPath.values())
                .map(path -> Arguments.of(p, path)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("passivePaths")
    void aPassiveReceiverBuffersLittleAndTheSenderBlocksUntilItReads(Provider p, PassiveReader.DataPath path)
            throws Exception {
        Pattern pattern = new Pattern(p.ordinal());
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(p).build(), PKI.clientOptions(p).build())) {
            NettySslSocket receiver = (NettySslSocket) pair.server();
            receiver.dataPath(path);
            NettySslSocket sendSide = (NettySslSocket) pair.client();
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> done = sender(sendSide, pattern, sent);
            await(() -> sendSide.sendBlockedMillis() >= HELD, "the sender is held back");
            assertThat(sent.get()).isLessThan(TOTAL);
            assertThat(receiver.queuedBytes()).isLessThan(PASSIVE_BOUND);
            long received = 0;
            while (received < TOTAL) {
                byte[] chunk = receiver.recv(0, Timeout.millis(20_000));
                assertThat(pattern.firstMismatch(chunk, received)).isEqualTo(-1);
                received += chunk.length;
                assertThat(receiver.queuedBytes()).isLessThan(PASSIVE_BOUND);
            }
            done.get(20, TimeUnit.SECONDS);
            assertThat(received).isEqualTo(TOTAL);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aSlowActiveOwnerPausesReadingAtTheHighWaterMark(Provider p) throws Exception {
        Pattern pattern = new Pattern(100 + p.ordinal());
        Mailbox mailbox = new Mailbox();
        int highWater = 256 << 10;
        SslOptions server = PKI.serverOptions(p).versions(Protocol.TLS_V1_3).owner(mailbox).active(Active.TRUE)
                .ownerHighWatermark(highWater).build();
        try (Pair pair = Loopback.connect(ssl, server, PKI.clientOptions(p).build())) {
            NettySslSocket sendSide = (NettySslSocket) pair.client();
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> done = sender(sendSide, pattern, sent);
            await(() -> sendSide.sendBlockedMillis() >= HELD, "the sender is held back");
            long undelivered = ((NettySslSocket) pair.server()).queuedBytes();
            long inMailbox = 0;
            int messages = mailbox.size();
            assertThat(messages).isPositive();
            // take the messages to see what they hold (this also consumes them, which resumes reading)
            long received = 0;
            while (received < TOTAL) {
                SslMessage m = mailbox.receive(Timeout.millis(20_000)).orElseThrow();
                byte[] chunk = ((SslMessage.Data) m).bytes();
                if (inMailbox == 0 && messages > 0) {
                    messages--;
                    if (messages == 0) {
                        inMailbox = received + chunk.length;
                    }
                }
                assertThat(pattern.firstMismatch(chunk, received)).isEqualTo(-1);
                received += chunk.length;
            }
            done.get(20, TimeUnit.SECONDS);
            assertThat(received).isEqualTo(TOTAL);
            assertThat(sent.get()).isEqualTo(TOTAL);
            // while paused: the owner held about the high-water mark (plus the read that crossed it)
            assertThat(inMailbox).isLessThan(highWater + PASSIVE_BOUND);
            assertThat(undelivered).isLessThan(PASSIVE_BOUND);
        }
    }
}
