package io.sslkit.netty.handler.packet;

import io.sslkit.netty.handler.ByteQueue;

/**
 * Cuts one packet off the front of a queue of decrypted bytes ({@code erlang:decode_packet/3} for one
 * {@code packet} type). Called on the event loop, lazily, when a reader wants a message: so a {@code packet}
 * change with {@code setopts} applies from the next packet on and nothing queued is lost.
 *
 * <p>Implementations may keep state between packets (the HTTP decoder moves from the request line to headers).
 */
public interface PacketDecoder {

    /**
     * Takes one whole packet from the front of {@code in}, or nothing.
     *
     * @param in the queued bytes; only a complete packet is taken from it
     * @return {@code null} when {@code in} holds no complete packet yet; else an {@link io.netty.buffer.ByteBuf}
     *         the caller owns and must release (byte packets), or an {@link io.sslkit.HttpPacket} (HTTP types)
     * @throws InvalidPacketException the bytes cannot be this packet type, or the packet exceeds
     *                                {@code packet_size}; nothing has been taken from {@code in}
     */
    Object decode(ByteQueue in) throws InvalidPacketException;
}
