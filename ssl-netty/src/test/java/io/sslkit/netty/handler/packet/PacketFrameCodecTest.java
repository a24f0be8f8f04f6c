package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.buf;
import static io.sslkit.netty.handler.packet.PacketTesting.bytes;
import static io.sslkit.netty.handler.packet.PacketTesting.concat;
import static io.sslkit.netty.handler.packet.PacketTesting.hex;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.sslkit.HttpPacket;
import io.sslkit.PacketType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link PacketFrameDecoder} and {@link PacketFrameEncoder} in an {@link EmbeddedChannel}. */
class PacketFrameCodecTest {

    /** Every buffer a test wrote, checked for refCnt 0 after finishAndReleaseAll. */
    private final List<ByteBuf> written = new ArrayList<>();
    private final List<Object> received = new ArrayList<>();
    private final List<Throwable> caught = new ArrayList<>();
    private EmbeddedChannel ch;

    /** Records what reaches the end of the pipeline; releases byte packets after copying them to text. */
    private final class Sink extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received.add(PacketTesting.settle(msg));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught.add(cause);
        }
    }

    private ByteBuf in(byte[] b) {
        ByteBuf buf = buf(b);
        written.add(buf);
        return buf;
    }

    @AfterEach
    void finish() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        assertThat(written).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void firesOnePacketPerMessageWhateverTheReads() {
        ch = new EmbeddedChannel(new PacketFrameDecoder(PacketType.FOUR, 0), new Sink());
        byte[] wire = concat(hex("00000003"), bytes("abc"), hex("00000000 00000002"), bytes("de"));
        ch.writeInbound(in(java.util.Arrays.copyOfRange(wire, 0, 2)));
        ch.writeInbound(in(java.util.Arrays.copyOfRange(wire, 2, 9)));
        ch.writeInbound(in(java.util.Arrays.copyOfRange(wire, 9, wire.length)));
        assertThat(received).containsExactly("abc", "", "de");
    }

    @Test
    void oneByteAtATime() {
        ch = new EmbeddedChannel(new PacketFrameDecoder(PacketType.LINE, 0), new Sink());
        for (byte b : bytes("l1\nl2\npart\n")) {
            ch.writeInbound(in(new byte[] {b}));
        }
        assertThat(received).containsExactly("l1\n", "l2\n", "part\n");
    }

    @Test
    void invalidPacketGoesToExceptionCaughtAndClosesTheChannel() {
        // Scenario 28: {packet,4},{packet_size,30} and a 1000-byte frame → invalid_packet, then closed.
        ch = new EmbeddedChannel(new PacketFrameDecoder(PacketType.FOUR, 30), new Sink());
        ch.writeInbound(in(concat(hex("00000001"), bytes("k"), hex("000003e8"), new byte[10])));
        assertThat(received).containsExactly("k");
        assertThat(caught).singleElement().isInstanceOfSatisfying(InvalidPacketException.class,
                e -> assertThat(e.reason().data()).isEqualTo(concat(hex("000003e8"), new byte[10])));
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void afterAnInvalidPacketLaterBytesAreReleasedUnread() {
        List<String> closes = new ArrayList<>();
        ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
                closes.add("close"); // keep the channel open to see what the decoder does next
                promise.setSuccess();
            }
        }, new PacketFrameDecoder(PacketType.CDR, 0), new Sink());
        ch.writeInbound(in(bytes("not GIOP, not a cdr message")));
        assertThat(closes).containsExactly("close");
        assertThat(caught).singleElement().isInstanceOf(InvalidPacketException.class);
        ch.writeInbound(in(concat(bytes("GIOP"), hex("01 02 00 00 00 00 00 00"))));
        assertThat(received).isEmpty();
        assertThat(caught).hasSize(1);
    }

    @Test
    void removingTheDecoderPassesUndecodedBytesOn() {
        // An HTTP server reads headers with {packet, http}, then the body raw: the handler that sees http_eoh
        // removes the decoder, and the bytes behind the empty line arrive as one ByteBuf.
        ch = new EmbeddedChannel(new PacketFrameDecoder(PacketType.HTTP_BIN, 0), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.fireChannelRead(msg);
                if (msg instanceof HttpPacket.EndOfHeaders) {
                    ctx.pipeline().remove(PacketFrameDecoder.class);
                }
            }
        }, new Sink());
        ch.writeInbound(in(bytes("POST /x HTTP/1.1\r\nContent-Length: 9\r\n\r\nbody ")));
        ch.writeInbound(in(bytes("more")));
        assertThat(received).containsExactly(new HttpPacket.Request("POST", new HttpPacket.AbsPath("/x"), 1, 1),
                new HttpPacket.Header(38, "Content-Length", "Content-Length", "9"), HttpPacket.EOH, "body ", "more");
    }

    @Test
    void aPartialPacketIsReleasedWhenTheChannelCloses() {
        ch = new EmbeddedChannel(new PacketFrameDecoder(PacketType.TWO, 0), new Sink());
        ch.writeInbound(in(concat(hex("0010"), bytes("only part"))));
        ch.close();
        assertThat(received).isEmpty();
        assertThat(written.get(0).refCnt()).isZero();
    }

    @Test
    void otherMessagesPassThrough() {
        ch = new EmbeddedChannel(new PacketFrameDecoder(PacketType.LINE, 0), new Sink());
        ch.writeInbound("not a buffer");
        assertThat(received).containsExactly("not a buffer");
    }

    @Test
    void encoderAddsHeadersAndPassesOtherTypesThrough() {
        ch = new EmbeddedChannel(new PacketFrameEncoder(PacketType.TWO));
        ch.writeOutbound(in(bytes("abc")));
        ByteBuf out = ch.readOutbound();
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0003616263");
        out.release();

        EmbeddedChannel raw = new EmbeddedChannel(new PacketFrameEncoder(PacketType.LINE));
        raw.writeOutbound(in(bytes("line\n")));
        ByteBuf same = raw.readOutbound();
        assertThat(same.toString(ISO_8859_1)).isEqualTo("line\n");
        same.release();
        raw.finishAndReleaseAll();
    }

    @Test
    void encoderRefusesTooLargePayloadsFailingTheWrite() {
        ch = new EmbeddedChannel(new PacketFrameEncoder(PacketType.ONE));
        ChannelFuture f = ch.writeAndFlush(in(new byte[300]));
        assertThat(f.isSuccess()).isFalse();
        assertThat(f.cause()).isInstanceOf(EncoderException.class);
        assertThat(f.cause().getCause()).isInstanceOfSatisfying(PacketTooLargeException.class,
                e -> assertThat(e.reason().toString()).isEqualTo("{badarg,{packet_to_large,300,255}}"));
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void decoderAndEncoderTalkToEachOther() {
        EmbeddedChannel sender = new EmbeddedChannel(new PacketFrameEncoder(PacketType.FOUR));
        ch = new EmbeddedChannel(new PacketFrameDecoder(PacketType.FOUR, 0), new Sink());
        sender.writeOutbound(in(bytes("one")), in(bytes("two")));
        ByteBuf wire;
        while ((wire = sender.readOutbound()) != null) {
            ch.writeInbound(wire);
        }
        assertThat(received).containsExactly("one", "two");
        sender.finishAndReleaseAll();
    }
}
