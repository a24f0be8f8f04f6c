package io.sslkit.netty.handler.packet;

import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;

/**
 * Where the first packet in a queue ends, for every type but the HTTP ones: the job of {@code packet_get_length} in
 * OTP's {@code erts/emulator/beam/packet_parser.c}, rule for rule (written from its behaviour, not its code).
 *
 * <p>Each method returns the number of bytes the whole packet takes in the stream (header, body and, for
 * {@code fcgi}, padding), or {@link #MORE} when the queue does not yet say; it throws when the bytes cannot be this
 * type or the body is over {@code packet_size}. Nothing is taken from the queue.
 */
final class FrameLengths {

    /** Not enough bytes to know the packet's length, or not all of it has arrived yet. */
    static final long MORE = 0;

    /** {@code cdr}: {@code "GIOP"}, major, minor, flags, message type, 4-byte size. */
    private static final int CDR_HEADER = 12;
    /** {@code fcgi}: version, type, 2-byte request id, 2-byte content length, padding length, reserved. */
    private static final int FCGI_HEADER = 8;
    private static final int FCGI_VERSION_1 = 1;
    /** RFC 1006: version 3, reserved, 2-byte length that counts the header too. */
    private static final int TPKT_HEADER = 4;
    private static final int TPKT_VERSION = 3;
    private static final byte[] GIOP = {'G', 'I', 'O', 'P'};

    private FrameLengths() {
    }

    /**
     * The stream length of the first packet of {@code type} in {@code in}, or {@link #MORE}.
     *
     * @param packetSize the largest body allowed ({@code packet_size}); 0 = no limit
     */
    static long of(PacketType type, ByteQueue in, int packetSize) throws InvalidPacketException {
        return switch (type) {
            case RAW -> Math.min(in.readableBytes(), Integer.MAX_VALUE); // takeAll's cap
            case ONE, TWO, FOUR -> lengthPrefixed(in, type.headerSize(), packetSize);
            case LINE -> line(in, packetSize);
            case ASN1 -> asn1(in, packetSize);
            case TPKT -> tpkt(in, packetSize);
            case CDR -> cdr(in, packetSize);
            case SUNRM -> sunrm(in, packetSize);
            case FCGI -> fcgi(in, packetSize);
            case HTTP, HTTPH, HTTP_BIN, HTTPH_BIN -> throw new IllegalArgumentException("HTTP types frame by line: "
                    + type);
        };
    }

    /** {@code 1 | 2 | 4}: a big-endian body length, then the body. */
    private static long lengthPrefixed(ByteQueue in, int headerSize, int packetSize) throws InvalidPacketException {
        if (in.readableBytes() < headerSize) {
            return MORE;
        }
        long body = switch (headerSize) {
            case 1 -> in.getUnsignedByte(0);
            case 2 -> in.getUnsignedShort(0);
            default -> in.getUnsignedInt(0);
        };
        return withBody(in, headerSize, body, packetSize);
    }

    /**
     * {@code line}: up to and including the first {@code '\n'}. With {@code packet_size} a line longer than it
     * (newline included) is invalid, as soon as the queue holds more than {@code packet_size} bytes without a newline:
     * OTP's {@code packet_size} never truncates a line; truncating is what {@code line_length} does, an option of
     * {@code decode_packet/3} and {@code gen_tcp} that {@code ssl} does not emulate (OTP test
     * {@code decode_packet_SUITE:otp_9389_line}: a 21-byte line with {@code packet_size} 20 → {@code {error,invalid}}).
     */
    private static long line(ByteQueue in, int packetSize) throws InvalidPacketException {
        long n = in.readableBytes();
        // A newline past packet_size could only end an over-long line, so the scan can stop there.
        long scanTo = packetSize == 0 ? n : Math.min(n, packetSize);
        long newline = in.indexOf((byte) '\n', 0, scanTo);
        if (newline >= 0) {
            return newline + 1;
        }
        if (packetSize != 0 && n > packetSize) {
            throw Invalids.of(in, "line longer than packet_size " + packetSize);
        }
        return MORE;
    }

    /**
     * {@code asn1}: one BER TLV. Identifier: one byte, or (low five bits all set) that byte and then bytes up to
     * and including the first without its top bit. Length: one byte below 0x80, or {@code 0x80 | k} followed by
     * {@code k <= 4} big-endian bytes. As OTP: {@code 0x80} (BER's indefinite length) counts as length 0, so the
     * packet is just the identifier and {@code 0x80}; {@code k > 4} is invalid, but only once the {@code k} bytes
     * have arrived.
     */
    private static long asn1(ByteQueue in, int packetSize) throws InvalidPacketException {
        long n = in.readableBytes();
        if (n < 2) {
            return MORE;
        }
        long pos = 1;
        if ((in.getByte(0) & 0x1F) == 0x1F) {
            long last = in.forEachByte(1, n, b -> (b & 0x80) != 0);
            if (last < 0 || n - last < 2) {
                return MORE; // need the last identifier byte and the length byte
            }
            pos = last + 1;
        }
        int first = in.getUnsignedByte(pos++);
        if ((first & 0x80) == 0) {
            return withBody(in, pos, first, packetSize);
        }
        int count = first & 0x7F;
        if (n - pos < count) {
            return MORE;
        }
        if (count > 4) {
            throw Invalids.of(in, "asn1 length of " + count + " bytes");
        }
        long body = 0;
        for (int i = 0; i < count; i++) {
            body = (body << 8) | in.getUnsignedByte(pos++);
        }
        return withBody(in, pos, body, packetSize);
    }

    /** {@code tpkt}: version 3; the 16-bit length includes the 4-byte header, so a length below 4 is invalid. */
    private static long tpkt(ByteQueue in, int packetSize) throws InvalidPacketException {
        if (in.readableBytes() < TPKT_HEADER) {
            return MORE;
        }
        if (in.getUnsignedByte(0) != TPKT_VERSION) {
            throw Invalids.of(in, "tpkt version " + in.getUnsignedByte(0));
        }
        int total = in.getUnsignedShort(2);
        if (total < TPKT_HEADER) {
            // OTP computes total - 4 unsigned, which wraps to a body over any limit.
            throw Invalids.of(in, "tpkt length " + total + " shorter than its header");
        }
        return withBody(in, TPKT_HEADER, total - TPKT_HEADER, packetSize);
    }

    /**
     * {@code cdr}: a GIOP message. Only the magic is checked (not the version, as OTP); flags bit 0 set means the
     * size is little-endian.
     */
    private static long cdr(ByteQueue in, int packetSize) throws InvalidPacketException {
        if (in.readableBytes() < CDR_HEADER) {
            return MORE;
        }
        for (int i = 0; i < GIOP.length; i++) {
            if (in.getByte(i) != GIOP[i]) {
                throw Invalids.of(in, "cdr without GIOP magic");
            }
        }
        boolean littleEndian = (in.getByte(6) & 0x01) != 0;
        long body = littleEndian ? in.getUnsignedIntLE(8) : in.getUnsignedInt(8);
        return withBody(in, CDR_HEADER, body, packetSize);
    }

    /**
     * {@code sunrm}: a 4-byte record mark whose low 31 bits are the fragment length; the top bit (last fragment)
     * is ignored, as OTP does: each fragment is one packet.
     */
    private static long sunrm(ByteQueue in, int packetSize) throws InvalidPacketException {
        if (in.readableBytes() < 4) {
            return MORE;
        }
        return withBody(in, 4, in.getUnsignedInt(0) & 0x7FFF_FFFFL, packetSize);
    }

    /** {@code fcgi}: version 1; content and padding follow the header, and {@code packet_size} limits both. */
    private static long fcgi(ByteQueue in, int packetSize) throws InvalidPacketException {
        if (in.readableBytes() < FCGI_HEADER) {
            return MORE;
        }
        if (in.getUnsignedByte(0) != FCGI_VERSION_1) {
            throw Invalids.of(in, "fcgi version " + in.getUnsignedByte(0));
        }
        return withBody(in, FCGI_HEADER, fcgiContentLength(in) + fcgiPadding(in), packetSize);
    }

    /** The content length of the {@code fcgi} record at the front (header present). */
    static int fcgiContentLength(ByteQueue in) {
        return in.getUnsignedShort(4);
    }

    /** The padding length of the {@code fcgi} record at the front (header present). */
    static int fcgiPadding(ByteQueue in) {
        return in.getUnsignedByte(6);
    }

    /**
     * Header plus body, once the body length is known: invalid over {@code packet_size}; without a limit, invalid
     * when the packet would not fit in a Java array (OTP's limit is the same: {@code INT_MAX - header}).
     */
    private static long withBody(ByteQueue in, long header, long body, int packetSize) throws InvalidPacketException {
        long limit = Integer.MAX_VALUE - header;
        if (packetSize != 0) {
            limit = Math.min(limit, packetSize);
        }
        if (body > limit) {
            throw Invalids.of(in, "body of " + body + " bytes over the limit " + limit);
        }
        return header + body;
    }
}
