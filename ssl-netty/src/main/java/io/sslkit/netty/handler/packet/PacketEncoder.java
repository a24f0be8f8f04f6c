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
        // 255, 65535, 2^32 - 1 (a ByteBuf holds at most 2^31 - 1 bytes, so a 4-byte header always fits).
        long max = (1L << (8 * headerSize)) - 1;
        if (length > max) {
            payload.release();
            throw new PacketTooLargeException(length, max);
        }
        ByteBuf header = null;
        CompositeByteBuf framed;
        try {
            header = alloc.buffer(headerSize, headerSize);
            switch (headerSize) {
                case 1 -> header.writeByte(length);
                case 2 -> header.writeShort(length);
                default -> header.writeInt(length);
            }
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
}
