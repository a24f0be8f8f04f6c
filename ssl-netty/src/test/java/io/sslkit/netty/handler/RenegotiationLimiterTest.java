package io.sslkit.netty.handler;

import static io.sslkit.netty.handler.TlsRecordScanner.ALERT;
import static io.sslkit.netty.handler.TlsRecordScanner.APPLICATION_DATA;
import static io.sslkit.netty.handler.TlsRecordScanner.CHANGE_CIPHER_SPEC;
import static io.sslkit.netty.handler.TlsRecordScanner.HANDSHAKE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RenegotiationLimiter} on its own, fed TLS record headers in an {@link EmbeddedChannel} with a mock clock. */
class RenegotiationLimiterTest {

    private static final Duration WINDOW = Duration.ofSeconds(12);

    private EmbeddedChannel ch;
    private RenegotiationLimiter limiter;
    /** Every inbound byte that got past the limiter, in order. */
    private final ByteArrayOutputStream passed = new ByteArrayOutputStream();
    private int readsAtTheChannel;
    private int readCompletes;
    private final List<ByteBuf> fed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        limiter = new RenegotiationLimiter(WINDOW);
        ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
                readsAtTheChannel++;
                ctx.read();
            }
        });
        ch.pipeline().addLast(limiter);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                try {
                    passed.writeBytes(ByteBufUtil.getBytes(b));
                } finally {
                    b.release();
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                readCompletes++;
            }
        });
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
        for (ByteBuf b : fed) {
            assertThat(b.refCnt()).as("every buffer fed in was released").isZero();
        }
    }

    /** A record: header with a small body of {@code fill} bytes. */
    private static byte[] record(int type, int fill) {
        byte[] r = new byte[5 + 3];
        r[0] = (byte) type;
        r[1] = 3;
        r[2] = 3;
        r[4] = 3;
        java.util.Arrays.fill(r, 5, 8, (byte) fill);
        return r;
    }

    private static byte[] records(int... types) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < types.length; i++) {
            out.writeBytes(record(types[i], i));
        }
        return out.toByteArray();
    }

    private void in(byte[] bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length).writeBytes(bytes);
        fed.add(b);
        ch.writeInbound(b);
    }

    private void out(int... types) {
        ByteBuf b = Unpooled.wrappedBuffer(records(types));
        fed.add(b);
        ch.writeOutbound(b);
        ByteBuf written;
        while ((written = ch.readOutbound()) != null) {
            written.release();
        }
    }

    /** A full TLS 1.2 first handshake: ClientHello; server flight; client's CKE, CCS, Finished; server's CCS, Finished. */
    private void firstHandshake() {
        in(records(HANDSHAKE));
        out(HANDSHAKE, HANDSHAKE, HANDSHAKE);
        in(records(HANDSHAKE, CHANGE_CIPHER_SPEC, HANDSHAKE));
        out(CHANGE_CIPHER_SPEC, HANDSHAKE);
    }

    /** The rest of an abbreviated renegotiation after the client's ClientHello went through. */
    private void restOfRenegotiation() {
        out(HANDSHAKE, CHANGE_CIPHER_SPEC, HANDSHAKE);
        in(records(CHANGE_CIPHER_SPEC, HANDSHAKE));
    }

    @Test
    void theFirstClientRenegotiationGoesOnAndASecondWithinTheWindowWaitsForIt() {
        firstHandshake();
        in(records(APPLICATION_DATA, HANDSHAKE)); // data, then a ClientHello: at once
        restOfRenegotiation();
        assertThat(limiter.clientRenegotiations()).isEqualTo(1);
        int before = passed.size();

        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        byte[] dataThenHello = records(APPLICATION_DATA, HANDSHAKE, APPLICATION_DATA);
        in(dataThenHello);
        assertThat(passed.size() - before).as("only the data before the ClientHello").isEqualTo(8);
        assertThat(limiter.holding()).isTrue();
        byte[] later = records(APPLICATION_DATA);
        in(later); // what the ongoing read brings is held behind it
        int reads = readsAtTheChannel;
        ch.read();
        ch.read();
        assertThat(readsAtTheChannel).as("no reads while holding").isEqualTo(reads);
        assertThat(passed.size() - before).isEqualTo(8);

        ch.advanceTimeBy(6_999, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(limiter.holding()).as("12 s after the first, not yet").isTrue();
        int completes = readCompletes;
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(limiter.holding()).isFalse();
        assertThat(readsAtTheChannel).as("one swallowed read issued again").isEqualTo(reads + 1);
        assertThat(readCompletes).isEqualTo(completes + 1);
        byte[] all = passed.toByteArray();
        byte[] expected = new byte[dataThenHello.length + later.length];
        System.arraycopy(dataThenHello, 0, expected, 0, dataThenHello.length);
        System.arraycopy(later, 0, expected, dataThenHello.length, later.length);
        assertThat(java.util.Arrays.copyOfRange(all, before, all.length)).as("in order, byte for byte")
                .isEqualTo(expected);
        assertThat(limiter.clientRenegotiations()).isEqualTo(2);
        assertThat(limiter.delayedRenegotiations()).isEqualTo(1);
    }

    @Test
    void aRenegotiationAfterTheWindowIsNotDelayed() {
        firstHandshake();
        in(records(HANDSHAKE));
        restOfRenegotiation();
        ch.advanceTimeBy(12, TimeUnit.SECONDS);
        in(records(HANDSHAKE));
        assertThat(limiter.holding()).isFalse();
        assertThat(limiter.delayedRenegotiations()).isZero();
        assertThat(limiter.clientRenegotiations()).isEqualTo(2);
    }

    @Test
    void theHandshakeRecordsOfOneRenegotiationAreNotNewOnes() {
        firstHandshake();
        in(records(HANDSHAKE)); // ClientHello
        out(HANDSHAKE, HANDSHAKE, HANDSHAKE); // full handshake: ServerHello .. ServerHelloDone
        in(records(HANDSHAKE, CHANGE_CIPHER_SPEC, HANDSHAKE)); // ClientKeyExchange, CCS, Finished
        assertThat(limiter.holding()).isFalse();
        out(CHANGE_CIPHER_SPEC, HANDSHAKE);
        assertThat(limiter.clientRenegotiations()).isEqualTo(1);
    }

    @Test
    void theAnswerToAServerHelloRequestIsNeverDelayed() {
        firstHandshake();
        in(records(HANDSHAKE));
        restOfRenegotiation(); // a client renegotiation: the window starts
        for (int i = 0; i < 3; i++) {
            out(HANDSHAKE); // HelloRequest
            in(records(APPLICATION_DATA, HANDSHAKE)); // the client's answer
            restOfRenegotiation();
            assertThat(limiter.holding()).isFalse();
        }
        out(HANDSHAKE); // a HelloRequest the client refuses with a warning alert
        in(records(ALERT));
        in(records(HANDSHAKE)); // now a client renegotiation again, within the window
        assertThat(limiter.holding()).isTrue();
        assertThat(limiter.clientRenegotiations()).isEqualTo(1);
    }

    @Test
    void recordsSplitAnywhereAreFollowed() {
        firstHandshake();
        byte[] stream = records(APPLICATION_DATA, HANDSHAKE, APPLICATION_DATA);
        for (byte b : stream) {
            in(new byte[] {b});
        }
        restOfRenegotiation();
        int before = passed.size();
        byte[] second = records(APPLICATION_DATA, HANDSHAKE);
        for (byte b : second) {
            in(new byte[] {b});
        }
        assertThat(passed.size() - before).isEqualTo(8);
        assertThat(limiter.holding()).isTrue();
    }

    @Test
    void heldBytesAreReleasedWhenTheChannelCloses() {
        firstHandshake();
        in(records(HANDSHAKE));
        restOfRenegotiation();
        in(records(HANDSHAKE, APPLICATION_DATA));
        in(records(APPLICATION_DATA));
        assertThat(limiter.holding()).isTrue();
        ch.close();
        // tearDown checks every buffer fed in was released
        assertThat(limiter.holding()).isFalse();
    }

    @Test
    void heldBytesGoOnAtOnceWhenTheLimiterIsRemoved() {
        firstHandshake();
        in(records(HANDSHAKE));
        restOfRenegotiation();
        int before = passed.size();
        in(records(HANDSHAKE, APPLICATION_DATA));
        ch.read();
        int reads = readsAtTheChannel;
        ch.pipeline().remove(limiter);
        assertThat(passed.size() - before).isEqualTo(16);
        assertThat(readsAtTheChannel).isEqualTo(reads + 1);
    }

    @Test
    void tls13RemovesTheLimiter() {
        in(records(HANDSHAKE)); // ClientHello
        out(HANDSHAKE, CHANGE_CIPHER_SPEC, APPLICATION_DATA); // ServerHello, compatibility CCS, encrypted flight
        assertThat(ch.pipeline().get(RenegotiationLimiter.class)).isNull();
    }
}
