package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.concat;
import static io.sslkit.netty.handler.packet.PacketTesting.expectInvalid;
import static io.sslkit.netty.handler.packet.PacketTesting.feedByteByByte;
import static io.sslkit.netty.handler.packet.PacketTesting.feedCut;
import static io.sslkit.netty.handler.packet.PacketTesting.feedWhole;
import static io.sslkit.netty.handler.packet.PacketTesting.lengthBytes;
import static io.sslkit.netty.handler.packet.PacketTesting.randomBytes;
import static io.sslkit.netty.handler.packet.PacketTesting.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.PacketType;
import io.sslkit.netty.handler.packet.PacketTesting.Arrival;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code {packet, 1 | 2 | 4}}: big-endian length header, body returned without it. */
class LengthPrefixedDecoderTest {

    private static byte[] framed(PacketType type, byte[] body) {
        return concat(lengthBytes(body.length, type.headerSize()), body);
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ONE", "TWO", "FOUR"})
    void decodesWholePacketsWithoutTheHeader(PacketType type) throws Exception {
        byte[] body = PacketTesting.bytes("Hello world");
        assertThat(feedWhole(PacketDecoders.forType(type, 0), framed(type, body))).containsExactly("Hello world");
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ONE", "TWO", "FOUR"})
    void severalPacketsInOneBufferIncludingAnEmptyOne(PacketType type) throws Exception {
        byte[] in = concat(framed(type, PacketTesting.bytes("one")), framed(type, new byte[0]),
                framed(type, PacketTesting.bytes("three")));
        assertThat(feedWhole(PacketDecoders.forType(type, 0), in)).containsExactly("one", "", "three");
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ONE", "TWO", "FOUR"})
    void oneBytePerAddArrivesExactlyWhenComplete(PacketType type) throws Exception {
        byte[] first = framed(type, PacketTesting.bytes("abc"));
        byte[] second = framed(type, PacketTesting.bytes("de"));
        List<Arrival> got = feedByteByByte(PacketDecoders.forType(type, 0), concat(first, second));
        assertThat(got).containsExactly(new Arrival("abc", first.length),
                new Arrival("de", first.length + second.length));
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ONE", "TWO", "FOUR"})
    void everyTwoPieceSplitGivesTheSamePackets(PacketType type) throws Exception {
        byte[] in = concat(framed(type, PacketTesting.bytes("abc")), framed(type, PacketTesting.bytes("defg")));
        for (int cut = 1; cut < in.length; cut++) {
            assertThat(feedCut(PacketDecoders.forType(type, 0), in, cut)).as("cut at %d", cut)
                    .containsExactly("abc", "defg");
        }
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"TWO", "FOUR"})
    void packetsLargerThan16KiB(PacketType type) throws Exception {
        Random rnd = new Random(1);
        byte[] big = randomBytes(rnd, type == PacketType.TWO ? 65535 : 100_000);
        byte[] in = concat(framed(type, big), framed(type, PacketTesting.bytes("x")));
        assertThat(PacketTesting.feedRandomly(PacketDecoders.forType(type, 0), in, rnd))
                .containsExactly(str(big), "x");
    }

    @Test
    void oneByteHeaderCarriesUpTo255() throws Exception {
        byte[] body = randomBytes(new Random(2), 255);
        assertThat(feedWhole(PacketDecoders.forType(PacketType.ONE, 0), framed(PacketType.ONE, body)))
                .containsExactly(str(body));
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ONE", "TWO", "FOUR"})
    void packetSizeLimitsTheBodyAndIsCheckedOnTheHeaderAlone(PacketType type) throws Exception {
        byte[] ten = framed(type, PacketTesting.bytes("0123456789"));
        assertThat(feedWhole(PacketDecoders.forType(type, 10), ten)).containsExactly("0123456789");
        // Scenario 28: over packet_size → invalid_packet as soon as the header is in, before the body.
        byte[] headerOnly = lengthBytes(11, type.headerSize());
        InvalidPacketException e = expectInvalid(PacketDecoders.forType(type, 10), headerOnly);
        assertThat(e.reason().data()).isEqualTo(headerOnly);
        expectInvalid(PacketDecoders.forType(type, 10), concat(ten, framed(type, new byte[11])), "0123456789");
    }

    @Test
    void fourByteLengthsThatWouldBeNegativeAreInvalid() {
        // OTP-8102 in decode_packet_SUITE: 4-byte sizes -10..-1 → {error, invalid}.
        for (int size = -10; size <= -1; size++) {
            expectInvalid(PacketDecoders.forType(PacketType.FOUR, 0), concat(lengthBytes(size, 4), new byte[5]));
        }
        expectInvalid(PacketDecoders.forType(PacketType.FOUR, 0), lengthBytes(Integer.MAX_VALUE - 3, 4));
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ONE", "TWO", "FOUR"})
    void aShortHeaderOrBodyIsNotYetAPacket(PacketType type) throws Exception {
        byte[] in = framed(type, PacketTesting.bytes("abc"));
        for (int len = 0; len < in.length; len++) {
            assertThat(feedWhole(PacketDecoders.forType(type, 0), java.util.Arrays.copyOf(in, len))).isEmpty();
        }
    }
}
