package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.buf;
import static io.sslkit.netty.handler.packet.PacketTesting.bytes;
import static io.sslkit.netty.handler.packet.PacketTesting.contents;
import static io.sslkit.netty.handler.packet.PacketTesting.concat;
import static io.sslkit.netty.handler.packet.PacketTesting.expectInvalid;
import static io.sslkit.netty.handler.packet.PacketTesting.feedByteByByte;
import static io.sslkit.netty.handler.packet.PacketTesting.feedWhole;
import static io.sslkit.netty.handler.packet.PacketTesting.hex;
import static io.sslkit.netty.handler.packet.PacketTesting.pack;
import static io.sslkit.netty.handler.packet.PacketTesting.queue;
import static io.sslkit.netty.handler.packet.PacketTesting.randomBytes;
import static io.sslkit.netty.handler.packet.PacketTesting.settle;
import static io.sslkit.netty.handler.packet.PacketTesting.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;
import io.sslkit.netty.handler.packet.PacketTesting.Arrival;
import io.sslkit.netty.handler.packet.PacketTesting.Packed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code asn1}, {@code tpkt}, {@code cdr}, {@code sunrm}, {@code fcgi}: returned with their header (fcgi without
 * padding). Packets are built as OTP's {@code decode_packet_SUITE:pack/2} builds them, with random free fields.
 */
class BinaryTypesDecoderTest {

    private static final byte[] BODY = {101, 22, (byte) 203, 54, (byte) 175};

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ASN1", "TPKT", "CDR", "SUNRM", "FCGI"})
    void decodesWholePacketsAsOtpReturnsThem(PacketType type) throws Exception {
        Random rnd = new Random(type.ordinal());
        for (int i = 0; i < 50; i++) {
            Packed p = pack(type, BODY, rnd);
            byte[] rest = {123, 34, 0, (byte) 250};
            ByteQueue q = queue();
            q.add(buf(concat(p.wire(), rest)));
            assertThat(settle(PacketDecoders.forType(type, 0).decode(q))).isEqualTo(str(p.decoded()));
            assertThat(contents(q)).as("the rest stays queued").isEqualTo(rest);
            q.release();
        }
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ASN1", "TPKT", "CDR", "SUNRM", "FCGI"})
    void oneBytePerAddArrivesExactlyWhenComplete(PacketType type) throws Exception {
        Random rnd = new Random(7 + type.ordinal());
        for (int i = 0; i < 6; i++) { // few rounds: each byte is a leak-tracked buffer, slow under paranoid
            Packed a = pack(type, BODY, rnd);
            Packed b = pack(type, new byte[0], rnd);
            Packed c = pack(type, randomBytes(rnd, 150), rnd);
            List<Arrival> got = feedByteByByte(PacketDecoders.forType(type, 0), concat(a.wire(), b.wire(), c.wire()));
            int ab = a.wire().length + b.wire().length;
            assertThat(got).containsExactly(new Arrival(str(a.decoded()), a.wire().length),
                    new Arrival(str(b.decoded()), ab), new Arrival(str(c.decoded()), ab + c.wire().length));
        }
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ASN1", "TPKT", "CDR", "SUNRM", "FCGI"})
    void severalPacketsInOneBufferAndLargerThan16KiB(PacketType type) throws Exception {
        Random rnd = new Random(11 + type.ordinal());
        int bigSize = type == PacketType.TPKT ? 65531 : type == PacketType.FCGI ? 65535 : 70_000;
        List<Packed> packets = new ArrayList<>();
        List<byte[]> wire = new ArrayList<>();
        for (int size : new int[] {3, bigSize, 0, 17_000, 1}) {
            Packed p = pack(type, randomBytes(rnd, size), rnd);
            packets.add(p);
            wire.add(p.wire());
        }
        byte[] in = concat(wire.toArray(byte[][]::new));
        Object[] expected = packets.stream().map(p -> str(p.decoded())).toArray();
        assertThat(feedWhole(PacketDecoders.forType(type, 0), in)).containsExactly(expected);
        assertThat(PacketTesting.feedRandomly(PacketDecoders.forType(type, 0), in, rnd)).containsExactly(expected);
    }

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"ASN1", "TPKT", "CDR", "SUNRM", "FCGI"})
    void packetSizeLimitsTheBodyAsInOtpsPacketSizeTest(PacketType type) throws Exception {
        Random rnd = new Random(13 + type.ordinal());
        for (int max = 0; max <= BODY.length * 2; max++) {
            Packed p = pack(type, BODY, rnd);
            // fcgi counts its padding against packet_size, so a padded record may be refused at any max.
            int limitedBody = type == PacketType.FCGI ? BODY.length + (p.wire().length - p.decoded().length)
                    : BODY.length;
            if (max == 0 || max >= limitedBody) {
                assertThat(feedWhole(PacketDecoders.forType(type, max), p.wire())).containsExactly(str(p.decoded()));
            } else {
                expectInvalid(PacketDecoders.forType(type, max), p.wire());
            }
        }
    }

    @Test
    void asn1LengthForms() throws Exception {
        PacketDecoder d = PacketDecoders.forType(PacketType.ASN1, 0);
        assertThat(feedWhole(d, hex("30 03 020105 ff"))).containsExactly(str(hex("30 03 020105")));
        assertThat(feedWhole(d, hex("30 81 02 0505"))).containsExactly(str(hex("30 81 02 0505")));
        assertThat(feedWhole(d, hex("1f 8f 7f 01 aa"))).containsExactly(str(hex("1f 8f 7f 01 aa")));
        // As OTP: 0x80 (BER indefinite length) is read as length 0, so the packet is the two header bytes.
        assertThat(feedWhole(d, hex("30 80 0500 0000"))).containsExactly(str(hex("30 80")), str(hex("05 00")),
                str(hex("00 00")));
    }

    @Test
    void asn1LongTagNeedsItsLastByteAndTheLengthByte() throws Exception {
        PacketDecoder d = PacketDecoders.forType(PacketType.ASN1, 0);
        assertThat(feedWhole(d, hex("1f 81 80 80"))).isEmpty();
        assertThat(feedWhole(d, hex("1f 81 80 11"))).isEmpty();
        assertThat(feedWhole(d, hex("1f 81 80 11 00"))).containsExactly(str(hex("1f 81 80 11 00")));
    }

    @Test
    void asn1LengthOfMoreThanFourBytesIsInvalidOnceTheyArrived() throws Exception {
        PacketDecoder d = PacketDecoders.forType(PacketType.ASN1, 0);
        assertThat(feedWhole(d, hex("30 85 00 00 00 00"))).isEmpty(); // OTP waits for the 5 length bytes first
        expectInvalid(d, hex("30 85 00 00 00 00 01"));
        expectInvalid(d, hex("02 01 07 30 85 00 00 00 00 01 aa"), str(hex("02 01 07")));
        expectInvalid(PacketDecoders.forType(PacketType.ASN1, 0), hex("30 84 80 00 00 00"));
    }

    @Test
    void tpktGarbage() {
        expectInvalid(PacketDecoders.forType(PacketType.TPKT, 0), hex("02 00 00 07 616263"));
        expectInvalid(PacketDecoders.forType(PacketType.TPKT, 0), hex("03 00 00 03"));
    }

    @Test
    void tpktOfJustAHeader() throws Exception {
        assertThat(feedWhole(PacketDecoders.forType(PacketType.TPKT, 0), hex("03 00 00 04")))
                .containsExactly(str(hex("03 00 00 04")));
    }

    @Test
    void cdrGarbageAndByteOrder() throws Exception {
        // Scenario 28 (packet_baddata): cdr with garbage → invalid_packet.
        expectInvalid(PacketDecoders.forType(PacketType.CDR, 0), bytes("this is not GIOP at all"));
        byte[] little = concat(bytes("GIOP"), hex("01 02 01 00 03 00 00 00"), bytes("abc"));
        byte[] big = concat(bytes("GIOP"), hex("01 02 00 00 00 00 00 03"), bytes("abc"));
        assertThat(feedWhole(PacketDecoders.forType(PacketType.CDR, 0), concat(little, big)))
                .containsExactly(str(little), str(big));
    }

    @Test
    void sunrmIgnoresTheLastFragmentBit() throws Exception {
        byte[] more = concat(hex("00 00 00 02"), bytes("ab"));
        byte[] last = concat(hex("80 00 00 01"), bytes("c"));
        assertThat(feedWhole(PacketDecoders.forType(PacketType.SUNRM, 0), concat(more, last)))
                .containsExactly(str(more), str(last));
    }

    @Test
    void fcgiDropsPaddingAndChecksTheVersion() throws Exception {
        byte[] record = concat(hex("01 06 00 01 00 03 02 00"), bytes("abc"));
        byte[] next = hex("01 06 00 01 00 00 00 00");
        assertThat(feedWhole(PacketDecoders.forType(PacketType.FCGI, 0), concat(record, hex("ee ee"), next)))
                .containsExactly(str(record), str(next));
        expectInvalid(PacketDecoders.forType(PacketType.FCGI, 0), hex("02 06 00 01 00 00 00 00"));
    }
}
