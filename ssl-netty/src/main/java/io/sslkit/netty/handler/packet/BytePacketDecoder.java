package io.sslkit.netty.handler.packet;

import io.netty.buffer.ByteBuf;
import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;

/**
 * The decoder of every packet type whose messages are bytes: finds the packet's end with {@link FrameLengths},
 * then takes it, and shapes it as {@code decode_packet/3} returns it ({@code packet_get_body} in OTP):
 * <ul>
 *   <li>{@code 1 | 2 | 4}: the body, header stripped;</li>
 *   <li>{@code fcgi}: header and content, padding consumed but not returned;</li>
 *   <li>{@code raw}, {@code line}, {@code asn1}, {@code tpkt}, {@code cdr}, {@code sunrm}: the packet as it came.</li>
 * </ul>
 * Stateless, so one instance could serve any number of queues.
 */
final class BytePacketDecoder implements PacketDecoder {

    private final PacketType type;
    /** {@code packet_size}: the largest body; 0 = no limit. */
    private final int packetSize;

    BytePacketDecoder(PacketType type, int packetSize) {
        if (type.isHttp()) {
            throw new IllegalArgumentException("not a byte packet type: " + type);
        }
        this.type = type;
        this.packetSize = packetSize;
    }

    @Override
    public ByteBuf decode(ByteQueue in) throws InvalidPacketException {
        if (in.isEmpty()) {
            return null; // every type, raw included, needs at least one byte
        }
        long length = FrameLengths.of(type, in, packetSize);
        if (length == FrameLengths.MORE || in.readableBytes() < length) {
            return null;
        }
        // Validated: from here on the packet is taken whole.
        return switch (type) {
            case ONE, TWO, FOUR -> {
                in.skipBytes(type.headerSize());
                yield in.take((int) length - type.headerSize());
            }
            case FCGI -> {
                int padding = FrameLengths.fcgiPadding(in);
                ByteBuf packet = in.take((int) length - padding);
                in.skipBytes(padding);
                yield packet;
            }
            default -> in.take((int) length);
        };
    }

    @Override
    public String toString() {
        return "PacketDecoder{" + type + (packetSize == 0 ? "" : ", packet_size=" + packetSize) + "}";
    }
}
