package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.ALLOC;
import static io.sslkit.netty.handler.packet.PacketTesting.buf;
import static io.sslkit.netty.handler.packet.PacketTesting.bytes;
import static io.sslkit.netty.handler.packet.PacketTesting.feedWhole;
import static io.sslkit.netty.handler.packet.PacketTesting.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.sslkit.PacketType;
import io.sslkit.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link PacketEncoder}: length headers for 1/2/4, {@code packet_to_large}, everything else as given. */
class PacketEncoderTest {

    @ParameterizedTest
    @CsvSource({"ONE, 03616263", "TWO, 0003616263", "FOUR, 00000003616263"})
    void prependsABigEndianHeaderWithoutCopyingThePayload(PacketType type, String wire) throws Exception {
        ByteBuf payload = buf(bytes("abc"));
        ByteBuf framed = PacketEncoder.encode(type, payload, ALLOC);
        try {
            assertThat(ByteBufUtil.hexDump(framed)).isEqualTo(wire);
            assertThat(framed).isInstanceOf(CompositeByteBuf.class);
            assertThat(((CompositeByteBuf) framed).numComponents()).isEqualTo(2);
            assertThat(payload.refCnt()).as("now owned by the composite").isEqualTo(1);
            // Round trip through the decoder of the same type.
            assertThat(feedWhole(PacketDecoders.forType(type, 0), ByteBufUtil.getBytes(framed)))
                    .containsExactly("abc");
        } finally {
            framed.release();
        }
        assertThat(payload.refCnt()).isZero();
    }

    @Test
    void headersAtTheLimits() throws Exception {
        ByteBuf one = PacketEncoder.encode(PacketType.ONE, buf(new byte[255]), ALLOC);
        ByteBuf two = PacketEncoder.encode(PacketType.TWO, buf(new byte[65535]), ALLOC);
        ByteBuf empty = PacketEncoder.encode(PacketType.FOUR, ALLOC.buffer(0), ALLOC);
        assertThat(one.getUnsignedByte(0)).isEqualTo((short) 255);
        assertThat(two.getUnsignedShort(0)).isEqualTo(65535);
        assertThat(ByteBufUtil.hexDump(empty)).isEqualTo("00000000");
        one.release();
        two.release();
        empty.release();
    }

    @ParameterizedTest
    @CsvSource({"ONE, 300, 255", "ONE, 256, 255", "TWO, 65536, 65535"})
    void payloadsTooLongForTheHeaderAreRefusedAndReleased(PacketType type, int length, long max) {
        // Scenario 27: {packet,1} and 300 bytes → {badarg,{packet_to_large,300,255}}.
        ByteBuf payload = buf(new byte[length]);
        assertThatThrownBy(() -> PacketEncoder.encode(type, payload, ALLOC))
                .isInstanceOfSatisfying(PacketTooLargeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(new Reason.PacketTooLarge(length, max));
                    assertThat(e.reason().toString()).isEqualTo("{badarg,{packet_to_large," + length + "," + max + "}}");
                });
        assertThat(payload.refCnt()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ONE", "TWO", "FOUR"}, mode = EnumSource.Mode.EXCLUDE)
    void otherTypesAreSentAsGiven(PacketType type) throws Exception {
        ByteBuf payload = buf(hex("0102030405"));
        ByteBuf out = PacketEncoder.encode(type, payload, ALLOC);
        assertThat(out).isSameAs(payload);
        out.release();
    }
}
