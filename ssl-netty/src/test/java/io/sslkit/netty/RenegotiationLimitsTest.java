package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslOptionsException;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.handler.RenegotiateAtHandler;
import io.sslkit.netty.handler.RenegotiationLimiter;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The limits on renegotiation (issue 6): the rate limit on client-initiated renegotiation (scenario 43, a delay here
 * instead of OTP's {@code renegotiation_rejected}) and {@code renegotiate_at} (scenario 45), over loopback.
 */
class RenegotiationLimitsTest extends RuntimeTest {

    private static final TestPki PKI = TestPki.ec();
    private static final Timeout WAIT = Timeout.millis(20_000);
    /** The limiter's window in the rate-limit tests (OTP's 12 s would make them slow). */
    private static final Duration WINDOW = Duration.ofMillis(2_000);

    private static NettySsl runtime() {
        return (NettySsl) ssl;
    }

    private static Pair jdkPair(Protocol v, SslOptions.Builder server, SslOptions.Builder client) throws Exception {
        return Loopback.connect(ssl, server.versions(v).build(), client.versions(v).build());
    }

    private static Pair jdkPair(Protocol v) throws Exception {
        return jdkPair(v, PKI.serverOptions(Provider.JDK), PKI.clientOptions(Provider.JDK));
    }

    private static <T> T onLoop(SslSocket s, Callable<T> task) throws Exception {
        return ((NettySslSocket) s).channel().eventLoop().submit(task).get(10, TimeUnit.SECONDS);
    }

    private static RenegotiationLimiter limiter(SslSocket server) {
        return ((NettySslSocket) server).channel().pipeline().get(RenegotiationLimiter.class);
    }

    // ---- rate limit on client-initiated renegotiation ------------------------------------------------------

    @Test
    void aSecondClientRenegotiationWithinTheWindowWaitsForItAndLosesNothing() throws Exception {
        runtime().renegotiationWindow(WINDOW);
        try (Pair pair = jdkPair(Protocol.TLS_V1_2)) {
            // Scenario 42's 200 KB each way in 1,000-byte sends: enough to flow all along, little enough that the
            // second ClientHello is not stuck behind data for the whole window
            Traffic traffic = Traffic.start(pair, 200_000, 1_000);
            long start = System.nanoTime();
            pair.client().renegotiate();
            pair.client().renegotiate(); // OTP: renegotiation_rejected; here it waits for the window
            long elapsed = System.nanoTime() - start;
            traffic.check();
            assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(WINDOW);
            RenegotiationLimiter limiter = limiter(pair.server());
            assertThat(onLoop(pair.server(), limiter::clientRenegotiations)).isEqualTo(2);
            assertThat(onLoop(pair.server(), limiter::delayedRenegotiations)).isEqualTo(1);
            assertThat(onLoop(pair.server(), limiter::holding)).isFalse();
            pair.client().send("after");
            assertThat(text(pair.server().recv(5, WAIT))).isEqualTo("after");
        }
    }

    @Test
    void serverInitiatedRenegotiationsAreNotDelayed() throws Exception {
        Duration window = Duration.ofSeconds(20); // a delay would be plain to see
        runtime().renegotiationWindow(window);
        try (Pair pair = jdkPair(Protocol.TLS_V1_2)) {
            Traffic traffic = Traffic.start(pair, 300_000, 1_000);
            long start = System.nanoTime();
            pair.client().renegotiate(); // the first client renegotiation: at once
            pair.server().renegotiate();
            pair.server().renegotiate();
            long elapsed = System.nanoTime() - start;
            traffic.check();
            RenegotiationLimiter limiter = limiter(pair.server());
            assertThat(onLoop(pair.server(), limiter::clientRenegotiations)).isEqualTo(1);
            assertThat(onLoop(pair.server(), limiter::delayedRenegotiations)).isZero();
            assertThat(Duration.ofNanos(elapsed)).isLessThan(window);
        }
    }

    @Test
    void theLimiterIsOnlyOnJdkServersAndLeavesOnTls13() throws Exception {
        runtime().renegotiationWindow(WINDOW);
        try (Pair pair = jdkPair(Protocol.TLS_V1_3)) {
            pair.client().send("x");
            assertThat(text(pair.server().recv(1, WAIT))).isEqualTo("x");
            assertThat(limiter(pair.server())).as("removed once TLS 1.3 showed").isNull();
        }
        try (Pair pair = jdkPair(Protocol.TLS_V1_2)) {
            assertThat(limiter(pair.server())).isNotNull();
            assertThat(limiter(pair.client())).as("clients have none").isNull();
        }
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.OPENSSL).build(),
                PKI.clientOptions(Provider.OPENSSL).build())) {
            assertThat(limiter(pair.server())).as("BoringSSL refuses client renegotiation itself").isNull();
        }
    }

    // ---- renegotiate_at ------------------------------------------------------------------------------------

    enum Side { CLIENT, SERVER }

    @ParameterizedTest(name = "{0} has renegotiate_at 5")
    @EnumSource(Side.class)
    void renegotiateAtRenegotiatesAgainAndAgainAndEveryByteArrives(Side side) throws Exception {
        // The client's automatic renegotiations are client-initiated: a short window keeps the limiter out of this.
        runtime().renegotiationWindow(Duration.ofMillis(1));
        SslOptions.Builder server = PKI.serverOptions(Provider.JDK);
        SslOptions.Builder client = PKI.clientOptions(Provider.JDK);
        (side == Side.CLIENT ? client : server).renegotiateAt(5);
        try (Pair pair = jdkPair(Protocol.TLS_V1_2, server, client)) {
            SslSocket initiator = side == Side.CLIENT ? pair.client() : pair.server();
            AtomicInteger handshakes = countHandshakes(initiator);
            Traffic.start(pair, 1 << 20, 64 * 1024).check();
            assertThat(handshakes.get()).as("renegotiations completed").isGreaterThanOrEqualTo(3);
            RenegotiateAtHandler at = ((NettySslSocket) initiator).channel().pipeline()
                    .get(RenegotiateAtHandler.class);
            assertThat(onLoop(initiator, at::renegotiations)).isGreaterThanOrEqualTo(handshakes.get());
            pair.client().send("after");
            assertThat(text(pair.server().recv(5, WAIT))).isEqualTo("after");
        }
    }

    @Test
    void onTls13RenegotiateAtUpdatesKeys() throws Exception {
        try (Pair pair = jdkPair(Protocol.TLS_V1_3, PKI.serverOptions(Provider.JDK),
                PKI.clientOptions(Provider.JDK).renegotiateAt(5))) {
            AtomicInteger updates = countHandshakes(pair.client());
            Traffic.start(pair, 1 << 20, 64 * 1024).check();
            assertThat(updates.get()).as("key updates completed").isGreaterThanOrEqualTo(3);
            pair.server().send("back");
            assertThat(text(pair.client().recv(4, WAIT))).isEqualTo("back");
        }
    }

    @Test
    void renegotiateAtIsValidatedClampedAndNeedsTheJdkEngine() throws Exception {
        assertThatThrownBy(() -> SslOptions.builder().renegotiateAt(0).build())
                .isInstanceOfSatisfying(SslOptionsException.class, e ->
                        assertThat(e.reason()).isEqualTo(Reason.Options.of("renegotiate_at", 0)));
        SslOptions huge = SslOptions.builder().renegotiateAt(1L << 40).build();
        assertThat(huge.renegotiateAt()).hasValue(SslOptions.DEFAULT_RENEGOTIATE_AT);
        assertThat(SslOptions.defaults().renegotiateAt()).isEmpty();
        assertThat(SslOptions.builder().renegotiateAt(5).build().toString()).contains("{renegotiate_at,5}");
        assertThat(SslOptions.defaults().toString()).doesNotContain("renegotiate_at");

        SslException e = org.junit.jupiter.api.Assertions.assertThrows(SslException.class, () ->
                ssl.connect("localhost", 1, PKI.clientOptions(Provider.OPENSSL).renegotiateAt(5).build()));
        assertThat(e.reason()).isEqualTo(new Reason.Options("renegotiate_at", "5", "needs_jdk_engine"));
        // auto picks the engine that can
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).renegotiateAt(100).build(),
                PKI.clientOptions(Provider.AUTO).renegotiateAt(100).build())) {
            assertThat(pair.client().connectionInfo().provider()).isEqualTo(Provider.JDK);
            assertThat(pair.server().connectionInfo().provider()).isEqualTo(Provider.JDK);
        }
    }

    @Test
    void aPeerThatRefusesEndsThePassiveSendersConnection() throws Exception {
        SslOptions server = PKI.serverOptions(Provider.AUTO).clientRenegotiation(false).build(); // BoringSSL
        SslOptions client = PKI.clientOptions(Provider.AUTO).versions(Protocol.TLS_V1_2).renegotiateAt(5).build();
        try (Pair pair = Loopback.connect(ssl, server, client)) {
            assertThat(pair.server().connectionInfo().provider()).isEqualTo(Provider.OPENSSL);
            CompletableFuture<Long> drained = drainUntilEnd(pair.server());
            byte[] chunk = new byte[16_384];
            SslException e = org.junit.jupiter.api.Assertions.assertThrows(SslException.class, () -> {
                for (int i = 0; i < 1_000; i++) { // 5 records reach the limit; the refusal ends it long before
                    pair.client().send(chunk);
                }
            });
            assertThat(e.reason()).isEqualTo(Reason.CLOSED);
            drained.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPeerThatRefusesSendsAnActiveOwnerAnError() throws Exception {
        Mailbox owner = new Mailbox();
        SslOptions server = PKI.serverOptions(Provider.AUTO).clientRenegotiation(false).build(); // BoringSSL
        SslOptions client = PKI.clientOptions(Provider.AUTO).versions(Protocol.TLS_V1_2).renegotiateAt(5)
                .owner(owner).active(Active.TRUE).build();
        try (Pair pair = Loopback.connect(ssl, server, client)) {
            CompletableFuture<Long> drained = drainUntilEnd(pair.server());
            byte[] chunk = new byte[16_384];
            try {
                for (int i = 0; i < 1_000; i++) {
                    pair.client().send(chunk);
                }
            } catch (SslException e) {
                assertThat(e.reason()).isEqualTo(Reason.CLOSED);
            }
            SslMessage m = owner.receive(m2 -> !(m2 instanceof SslMessage.Data), WAIT)
                    .orElseThrow(() -> new AssertionError("no end message"));
            // OTP: {ssl_error, S, _}. Usually BoringSSL's TCP reset fails our writes before its alert is read:
            // renegotiation_rejected; if the alert is read first, that alert.
            assertThat(m).isInstanceOfSatisfying(SslMessage.Error.class, error -> assertThat(error.reason())
                    .satisfiesAnyOf(r -> assertThat(r).isEqualTo(Reason.Atom.RENEGOTIATION_REJECTED),
                            r -> assertThat(r).isInstanceOf(Reason.TlsAlert.class)));
            drained.get(20, TimeUnit.SECONDS);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Counts the successful handshakes the socket's SslHandler reports from now on (renegotiations, key updates). */
    private static AtomicInteger countHandshakes(SslSocket s) {
        AtomicInteger n = new AtomicInteger();
        ((NettySslSocket) s).channel().pipeline().addAfter("ssl", "count-handshakes",
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof SslHandshakeCompletionEvent h && h.isSuccess()) {
                            n.incrementAndGet();
                        }
                        ctx.fireUserEventTriggered(evt);
                    }
                });
        return n;
    }

    /** Reads until the stream ends; the number of bytes read. */
    private static CompletableFuture<Long> drainUntilEnd(SslSocket s) {
        return Async.supply(() -> {
            long got = 0;
            try {
                while (true) {
                    got += s.recv(0, WAIT).length;
                }
            } catch (SslException e) {
                return got; // closed, or (BoringSSL) the alert it sent when it refused
            }
        });
    }

    /**
     * A patterned stream each way, read and checked byte for byte at the other end. Each reader then goes on reading
     * until the other side says "done" ({@link #check()}), after the renegotiations: a TLS 1.2 peer that stops
     * reading never sees a renegotiation, which then stalls (in OTP too).
     */
    private record Traffic(Pair pair, CompletableFuture<Void> c2s, CompletableFuture<Void> s2c,
                           CompletableFuture<Long> atServer, CompletableFuture<Long> atClient, int total) {

        static Traffic start(Pair pair, int total, int sendSize) {
            return new Traffic(pair, stream(pair.client(), 21, total, sendSize),
                    stream(pair.server(), 22, total, sendSize), drain(pair.server(), 21, total),
                    drain(pair.client(), 22, total), total);
        }

        /** Waits for both streams, says "done" both ways; every byte arrived, in order, then "done". */
        void check() throws Exception {
            c2s.get(60, TimeUnit.SECONDS);
            s2c.get(60, TimeUnit.SECONDS);
            pair.client().send("done");
            pair.server().send("done");
            assertThat(atServer.get(60, TimeUnit.SECONDS)).isEqualTo(total);
            assertThat(atClient.get(60, TimeUnit.SECONDS)).isEqualTo(total);
        }

        private static CompletableFuture<Void> stream(SslSocket s, long seed, int total, int sendSize) {
            return Async.run(() -> {
                byte[] buf = new byte[sendSize];
                Pattern pattern = new Pattern(seed);
                try {
                    for (int sent = 0; sent < total; sent += sendSize) {
                        int n = Math.min(sendSize, total - sent);
                        pattern.fill(buf, 0, n, sent);
                        s.send(java.nio.ByteBuffer.wrap(buf, 0, n));
                    }
                } catch (SslException e) {
                    throw new RuntimeException(e);
                }
            });
        }

        private static CompletableFuture<Long> drain(SslSocket s, long seed, int total) {
            return Async.supply(() -> {
                Pattern pattern = new Pattern(seed);
                long got = 0;
                try {
                    while (got < total) {
                        // exactly what is left of the stream: "done" must not be read with it
                        byte[] b = s.recv((int) Math.min(total - got, 16_384), WAIT);
                        assertThat(pattern.firstMismatch(b, got)).isEqualTo(-1);
                        got += b.length;
                    }
                    assertThat(text(s.recv(4, Timeout.millis(60_000)))).isEqualTo("done");
                } catch (SslException e) {
                    throw new RuntimeException(e);
                }
                return got;
            });
        }
    }
}
