package io.sslkit.netty.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.sslkit.Alert;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RecordGuard} on its own in an {@link EmbeddedChannel}: what passes, what is refused with which alert. */
class RecordGuardTest {

    private EmbeddedChannel ch;
    private final ByteArrayOutputStream passed = new ByteArrayOutputStream();
    private final List<Throwable> failures = new ArrayList<>();

    @BeforeEach
    void setUp() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        failures.clear();
        ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new RecordGuard(Duration.ofSeconds(5)));
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
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failures.add(cause);
            }
        });
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    /** A ClientHello-like handshake record: type 1, legacy_version, then {@code rest} filler body bytes. */
    private static byte[] hello(int major, int minor, int rest) {
        int body = 2 + rest;
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(new byte[] {22, 3, 1}).writeShort(4 + body);
        b.writeByte(1).writeMedium(body).writeByte(major).writeByte(minor).writeZero(rest);
        return bytes(b);
    }

    private static byte[] record(int type, int major, int minor, int length) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(type).writeByte(major).writeByte(minor).writeShort(length).writeZero(length);
        return bytes(b);
    }

    private static byte[] bytes(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The alert record the guard wrote, or null; the channel must be closed when there is one. */
    private Alert writtenAlert() {
        ByteBuf out = ch.readOutbound();
        if (out == null) {
            return null;
        }
        try {
            assertThat(out.readableBytes()).isEqualTo(7);
            assertThat(out.getByte(0)).as("an alert record").isEqualTo((byte) 21);
            assertThat(out.getByte(5)).as("fatal").isEqualTo((byte) 2);
            return Alert.fromCode(out.getUnsignedByte(6)).orElseThrow();
        } finally {
            out.release();
        }
    }

    private Alert refusedWith(byte[] stream) {
        ch.writeInbound(Unpooled.wrappedBuffer(stream));
        Alert a = writtenAlert();
        assertThat(ch.isOpen()).as("closed").isFalse();
        assertThat(failures).hasSize(1).first().isInstanceOfSatisfying(MalformedRecordException.class,
                e -> assertThat(e.alert()).isEqualTo(a));
        return a;
    }

    @Test
    void wellFormedRecordsPassUnchangedHoweverTheyAreSplit() {
        byte[] s = concat(hello(3, 3, 400), record(20, 3, 3, 1), record(23, 3, 3, 300), record(21, 3, 3, 2));
        for (int split = 0; split <= s.length; split += 7) {
            setUp();
            passed.reset();
            ch.writeInbound(Unpooled.wrappedBuffer(s, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(s, split, s.length - split));
            assertThat(passed.toByteArray()).as("split at %d", split).isEqualTo(s);
            assertThat(failures).isEmpty();
            assertThat(ch.isOpen()).isTrue();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void anUnknownContentTypeIsUnexpectedMessage() {
        assertThat(refusedWith(record(24, 3, 3, 3))).isEqualTo(Alert.UNEXPECTED_MESSAGE); // heartbeat
        setUp();
        assertThat(refusedWith("GET / HTTP/1.1\r\n".getBytes())).isEqualTo(Alert.UNEXPECTED_MESSAGE);
    }

    @Test
    void aWrongRecordVersionIsProtocolVersion() {
        assertThat(refusedWith(record(22, 2, 0, 10))).isEqualTo(Alert.PROTOCOL_VERSION);
        setUp();
        assertThat(refusedWith(record(23, 3, 9, 10))).isEqualTo(Alert.PROTOCOL_VERSION);
    }

    @Test
    void aHelloWithLegacyVersionSsl3OrLessIsProtocolVersion() {
        assertThat(refusedWith(hello(3, 0, 400))).isEqualTo(Alert.PROTOCOL_VERSION); // a length over 255
        setUp();
        assertThat(refusedWith(hello(2, 2, 40))).isEqualTo(Alert.PROTOCOL_VERSION);
        setUp();
        ch.writeInbound(Unpooled.wrappedBuffer(hello(3, 4, 40))); // a future version: negotiated down, not refused
        assertThat(failures).isEmpty();
    }

    @Test
    void oversizedRecordsAreRecordOverflow() {
        assertThat(refusedWith(record(22, 3, 1, (1 << 14) + 1))).isEqualTo(Alert.RECORD_OVERFLOW);
        setUp();
        assertThat(refusedWith(concat(hello(3, 3, 10), record(23, 3, 3, (1 << 14) + 2049))))
                .isEqualTo(Alert.RECORD_OVERFLOW);
    }

    @Test
    void anEmptyHandshakeRecordIsDecodeError() {
        assertThat(refusedWith(record(22, 3, 3, 0))).isEqualTo(Alert.DECODE_ERROR);
    }

    @Test
    void anotherRecordInsideAHandshakeMessageIsUnexpectedMessage() {
        byte[] h = hello(3, 3, 100);
        byte[] cut = new byte[60];
        System.arraycopy(h, 0, cut, 0, cut.length);
        cut[3] = 0;
        cut[4] = (byte) (cut.length - 5); // the record ends in the middle of the ClientHello message
        assertThat(refusedWith(concat(cut, record(23, 3, 3, 20)))).isEqualTo(Alert.UNEXPECTED_MESSAGE);
    }

    @Test
    void afterThisSideWroteTheGuardClosesWithoutAPlaintextAlert() {
        ch.writeOutbound(Unpooled.wrappedBuffer(new byte[] {22, 3, 3, 0, 1, 2}));
        ByteBuf ours = ch.readOutbound();
        ours.release();
        ch.writeInbound(Unpooled.wrappedBuffer(record(24, 3, 3, 1)));
        assertThat(writtenAlert()).isNull();
        assertThat(ch.isOpen()).isFalse();
        assertThat(failures).singleElement().isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void aRecordLeftIncompleteClosesTheConnectionAfterTheLimit() {
        byte[] r = record(23, 3, 3, 100);
        ch.writeInbound(Unpooled.wrappedBuffer(r, 0, 50));
        ch.advanceTimeBy(4, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(failures).singleElement().isInstanceOf(TimeoutException.class);
    }

    @Test
    void completeRecordsKeepTheConnectionOpenHoweverLongItIsIdle() {
        ch.writeInbound(Unpooled.wrappedBuffer(record(23, 3, 3, 100)));
        ch.advanceTimeBy(60, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        assertThat(failures).isEmpty();
    }

    @Test
    void inABufferWithGoodRecordsThenABadOneTheGoodOnesPassAndTheRestIsReleased() {
        byte[] good = hello(3, 3, 10);
        ByteBuf both = Unpooled.wrappedBuffer(concat(good, record(24, 3, 3, 1)));
        ch.writeInbound(both);
        assertThat(both.refCnt()).isZero();
        assertThat(passed.toByteArray()).isEqualTo(good);
        assertThat(writtenAlert()).isEqualTo(Alert.UNEXPECTED_MESSAGE);
    }
}
