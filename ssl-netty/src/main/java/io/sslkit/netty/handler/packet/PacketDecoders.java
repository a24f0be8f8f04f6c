package io.sslkit.netty.handler.packet;

import io.sslkit.PacketType;

/**
 * Makes the {@link PacketDecoder} of each {@code packet} type: {@code erlang:decode_packet/3} with
 * {@code [{packet_size, N}]}, as {@code ssl} applies it to decrypted data.
 *
 * <h2>What a decoder returns</h2>
 * <table>
 *   <caption>One call of {@code decode} per packet type</caption>
 *   <tr><th>type</th><th>a packet is</th><th>returned</th><th>{@code packet_size} limits</th></tr>
 *   <tr><td>{@code raw}</td><td>whatever is queued</td><td>all of it</td><td>nothing</td></tr>
 *   <tr><td>{@code 1 | 2 | 4}</td><td>big-endian length, body</td><td>the body</td><td>the body</td></tr>
 *   <tr><td>{@code line}</td><td>bytes up to {@code '\n'}</td><td>the line, {@code '\n'} included</td>
 *       <td>the line (longer: invalid, never truncated)</td></tr>
 *   <tr><td>{@code asn1}</td><td>BER identifier, length, contents</td><td>all of it</td><td>the contents</td></tr>
 *   <tr><td>{@code tpkt}</td><td>3, reserved, 16-bit total length, data</td><td>all of it</td>
 *       <td>the data</td></tr>
 *   <tr><td>{@code cdr}</td><td>12-byte GIOP header, body</td><td>all of it</td><td>the body</td></tr>
 *   <tr><td>{@code sunrm}</td><td>4-byte record mark, fragment</td><td>all of it</td><td>the fragment</td></tr>
 *   <tr><td>{@code fcgi}</td><td>8-byte header, content, padding</td><td>header and content</td>
 *       <td>content plus padding</td></tr>
 *   <tr><td>{@code http*}</td><td>a line, with continuation lines for headers</td><td>an
 *       {@link io.sslkit.HttpPacket}</td><td>the line</td></tr>
 * </table>
 * Byte packets are {@link io.netty.buffer.ByteBuf}s the caller releases. A body over {@code packet_size}, or bytes
 * that cannot be the type (e.g. {@code cdr} without {@code "GIOP"}, {@code tpkt} version other than 3,
 * {@code fcgi} version other than 1, an {@code asn1} length of more than 4 bytes) throw
 * {@link InvalidPacketException} and leave the queue as it was; a malformed HTTP line is not an exception but an
 * {@link io.sslkit.HttpPacket.Error}. The limits are checked as soon as a header tells the length, before the body
 * arrives.
 *
 * <h2>State and threading</h2>
 * Byte decoders are stateless. HTTP decoders remember whether headers are expected ({@code http} switches to
 * headers after a request or status line and back after the empty line), so use one per connection and make a new
 * one when the {@code packet} option changes. Not thread-safe: call on one thread (the event loop).
 */
public final class PacketDecoders {

    private PacketDecoders() {
    }

    /**
     * A decoder for {@code {packet, type}} and {@code {packet_size, packetSize}}.
     *
     * @param type       the packet type
     * @param packetSize the largest packet body (line, for {@code line} and {@code http*}); 0 = no limit
     * @return a new decoder; for HTTP types it starts expecting a request or status line ({@code http},
     *         {@code http_bin}) or a header ({@code httph}, {@code httph_bin})
     * @throws IllegalArgumentException if {@code packetSize} is negative
     */
    public static PacketDecoder forType(PacketType type, int packetSize) {
        if (packetSize < 0) {
            throw new IllegalArgumentException("packet_size must be >= 0: " + packetSize);
        }
        return type.isHttp() ? new HttpPacketDecoder(type, packetSize) : new BytePacketDecoder(type, packetSize);
    }
}
