package io.sslkit.netty.handler.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.sslkit.PacketType;

/**
 * The sending side of {@code packet}: {@code 1}, {@code 2} and {@code 4} get a big-endian length header, every
 * other type is sent as given ({@code tls_sender} in OTP; scenario 27: {@code {packet,1}} and 300 bytes →
 * {@code {badarg,{packet_to_large,300,255}}}).
 */
public final class PacketEncoder {

    private PacketEncoder() {
    }

    /**
     * Frames one payload for sending.
     *
     * @param type    the packet type
     * @param payload the bytes to send; ownership passes to this method in every case
     * @param alloc   allocates the header
     * @return for {@code 1 | 2 | 4} a composite of a new header buffer and {@code payload} (not copied); for the
     *         other types {@code payload} itself. The caller owns the result.
     * @throws PacketTooLargeException the payload does not fit the header ({@code 1}: over 255 bytes, {@code 2}:
     *                                 over 65535); {@code payload} has been released
     */
    public static ByteBuf encode(PacketType type, ByteBuf payload, ByteBufAllocator alloc)
            throws PacketTooLargeException {
        int headerSize = type.headerSize();
        if (headerSize == 0) {
            return payload;
        }
        int length = payload.readableBytes();
        try {
            checkLength(type, length);
        } catch (PacketTooLargeException e) {
            payload.release();
            throw e;
        }
        ByteBuf header = null;
        CompositeByteBuf framed;
        try {
            header = alloc.buffer(headerSize, headerSize);
            writeHeader(type, length, header);
            framed = alloc.compositeBuffer(2);
        } catch (RuntimeException | Error e) {
            // Ownership of payload was ours: nothing may leak, even when allocation fails.
            if (header != null) {
                header.release();
            }
            payload.release();
            throw e;
        }
        framed.addComponents(true, header, payload);
        return framed;
    }

    /**
     * Checks that a payload of {@code length} bytes fits {@code type}'s header (nothing to check for types without
     * one): the one place that knows the limits, for the codec and the sockets' send path alike.
     *
     * @throws PacketTooLargeException over 255 bytes for {@code 1}, 65535 for {@code 2}, 2^32 - 1 for {@code 4}
     */
    public static void checkLength(PacketType type, long length) throws PacketTooLargeException {
        int headerSize = type.headerSize();
        long max = (1L << (8 * headerSize)) - 1;
        if (headerSize > 0 && length > max) {
            throw new PacketTooLargeException(length, max);
        }
    }

    /**
     * Writes {@code type}'s big-endian length header for {@code length} bytes to {@code out} (nothing for types
     * without one). The caller has checked the length ({@link #checkLength}).
     */
    public static void writeHeader(PacketType type, long length, ByteBuf out) {
        switch (type.headerSize()) {
            case 0 -> { }
            case 1 -> out.writeByte((int) length);
            case 2 -> out.writeShort((int) length);
            default -> out.writeInt((int) length);
        }
    }
}
