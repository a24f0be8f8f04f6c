package io.sslkit.netty.handler.packet;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Shared test helpers: leak-tracked buffers, packets built per type (as OTP's {@code decode_packet_SUITE:pack/2}),
 * and feeding a decoder whole, in pieces or one byte per {@link ByteQueue#add}. Byte packets taken from a decoder are
 * released at once and turned into ISO-8859-1 strings, so assertions compare text and nothing leaks.
 */
final class PacketTesting {

    /** Leak-aware under the paranoid detector. */
    static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private PacketTesting() {
    }

    static ByteQueue queue() {
        return new ByteQueue(ALLOC);
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(ISO_8859_1);
    }

    static String str(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    static ByteBuf buf(byte[] b, int from, int to) {
        return ALLOC.buffer(Math.max(1, to - from)).writeBytes(b, from, to - from);
    }

    static ByteBuf buf(byte[] b) {
        return buf(b, 0, b.length);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** A decoded item made comparable: a byte packet (released) becomes its text, an HttpPacket stays. */
    static Object settle(Object decoded) {
        if (decoded instanceof ByteBuf b) {
            try {
                return b.toString(ISO_8859_1);
            } finally {
                b.release();
            }
        }
        return decoded;
    }

    /** One decode call's result that was not null, and how many input bytes had been added when it came. */
    record Arrival(Object packet, int afterBytes) {
    }

    /** Adds {@code input} one byte per {@link ByteQueue#add}, draining the decoder after each byte. */
    static List<Arrival> feedByteByByte(PacketDecoder decoder, byte[] input) throws InvalidPacketException {
        ByteQueue q = queue();
        try {
            List<Arrival> out = new ArrayList<>();
            for (int i = 0; i < input.length; i++) {
                q.add(buf(input, i, i + 1));
                drain(decoder, q, out, i + 1);
            }
            return out;
        } finally {
            q.release();
        }
    }

    /** Adds {@code input} in pieces cut at {@code cuts} (ascending offsets), draining after each piece. */
    static List<Object> feedCut(PacketDecoder decoder, byte[] input, int... cuts) throws InvalidPacketException {
        ByteQueue q = queue();
        try {
            List<Arrival> out = new ArrayList<>();
            int from = 0;
            for (int cut : cuts) {
                q.add(buf(input, from, cut));
                drain(decoder, q, out, cut);
                from = cut;
            }
            q.add(buf(input, from, input.length));
            drain(decoder, q, out, input.length);
            return out.stream().map(Arrival::packet).toList();
        } finally {
            q.release();
        }
    }

    /** Adds {@code input} whole and drains the decoder. */
    static List<Object> feedWhole(PacketDecoder decoder, byte[] input) throws InvalidPacketException {
        return feedCut(decoder, input);
    }

    /** Adds {@code input} in random pieces. */
    static List<Object> feedRandomly(PacketDecoder decoder, byte[] input, Random rnd) throws InvalidPacketException {
        List<Integer> cuts = new ArrayList<>();
        for (int at = 1 + rnd.nextInt(64); at < input.length; at += 1 + rnd.nextInt(4096)) {
            cuts.add(at);
        }
        return feedCut(decoder, input, cuts.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void drain(PacketDecoder decoder, ByteQueue q, List<Arrival> out, int added)
            throws InvalidPacketException {
        Object p;
        while ((p = decoder.decode(q)) != null) {
            out.add(new Arrival(settle(p), added));
        }
    }

    /**
     * Feeds {@code input} whole and expects {@code expectedBefore} packets, then an InvalidPacketException that
     * leaves the queue exactly as it was; returns the exception.
     */
    static InvalidPacketException expectInvalid(PacketDecoder decoder, byte[] input, Object... expectedBefore) {
        ByteQueue q = queue();
        try {
            q.add(buf(input));
            for (Object expected : expectedBefore) {
                try {
                    assertThat(settle(decoder.decode(q))).isEqualTo(expected);
                } catch (InvalidPacketException e) {
                    fail("too early: " + e.getMessage());
                }
            }
            byte[] before = contents(q);
            try {
                Object p = decoder.decode(q);
                fail("expected an InvalidPacketException, got " + settle(p));
                return null;
            } catch (InvalidPacketException e) {
                assertThat(contents(q)).as("nothing consumed").isEqualTo(before);
                byte[] reported = e.reason().data();
                assertThat(reported).isEqualTo(java.util.Arrays.copyOf(before,
                        Math.min(before.length, Invalids.REPORTED_BYTES)));
                return e;
            }
        } finally {
            q.release();
        }
    }

    static byte[] contents(ByteQueue q) {
        byte[] b = new byte[(int) q.readableBytes()];
        q.getBytes(0, b, 0, b.length);
        return b;
    }

    /** A packet on the wire and what the decoder returns for it. */
    record Packed(byte[] wire, byte[] decoded) {
    }

    /** Frames {@code body} as {@code type} (byte types but raw/line), with random free fields. */
    static Packed pack(PacketType type, byte[] body, Random rnd) {
        return switch (type) {
            case ONE, TWO, FOUR -> new Packed(concat(lengthBytes(body.length, type.headerSize()), body), body);
            case ASN1 -> same(concat(asn1Identifier(rnd), asn1Length(body.length, rnd), body));
            case TPKT -> same(concat(new byte[] {3, (byte) rnd.nextInt(256)}, lengthBytes(body.length + 4, 2), body));
            case SUNRM -> same(concat(lengthBytes(body.length | (rnd.nextBoolean() ? 0x8000_0000L : 0), 4), body));
            case CDR -> same(concat(cdrHeader(body.length, rnd), body));
            case FCGI -> fcgi(body, rnd);
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    private static Packed same(byte[] wire) {
        return new Packed(wire, wire);
    }

    static byte[] lengthBytes(long value, int width) {
        byte[] b = new byte[width];
        for (int i = width - 1; i >= 0; i--, value >>>= 8) {
            b[i] = (byte) value;
        }
        return b;
    }

    private static byte[] asn1Identifier(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> new byte[] {17};
            case 1 -> hex("1f 81 11");
            default -> hex("1f 81 80 80 11");
        };
    }

    private static byte[] asn1Length(int len, Random rnd) {
        int form = rnd.nextInt(4);
        if (form == 0 && len < 128) {
            return new byte[] {(byte) len};
        }
        if (form <= 1 && len < 0x10000) {
            return concat(new byte[] {(byte) 0x82}, lengthBytes(len, 2));
        }
        if (form <= 2 && len < 0x1000000) {
            return concat(new byte[] {(byte) 0x83}, lengthBytes(len, 3));
        }
        return concat(new byte[] {(byte) 0x84}, lengthBytes(len, 4));
    }

    private static byte[] cdrHeader(int len, Random rnd) {
        boolean little = rnd.nextBoolean();
        byte[] size = lengthBytes(len, 4);
        if (little) {
            size = new byte[] {size[3], size[2], size[1], size[0]};
        }
        byte[] rest = {(byte) rnd.nextInt(256), (byte) rnd.nextInt(256), (byte) (little ? 1 : 0),
            (byte) rnd.nextInt(256)};
        return concat(bytes("GIOP"), rest, size);
    }

    private static Packed fcgi(byte[] body, Random rnd) {
        int padding = rnd.nextInt(16);
        byte[] header = concat(new byte[] {1, (byte) rnd.nextInt(256)}, lengthBytes(rnd.nextInt(65536), 2),
                lengthBytes(body.length, 2), new byte[] {(byte) padding, (byte) rnd.nextInt(256)});
        byte[] record = concat(header, body);
        return new Packed(concat(record, randomBytes(rnd, padding)), record);
    }
}
