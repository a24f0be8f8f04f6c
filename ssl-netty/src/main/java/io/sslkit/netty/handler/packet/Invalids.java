package io.sslkit.netty.handler.packet;

import io.sslkit.netty.handler.ByteQueue;

/** Builds {@link InvalidPacketException}s carrying the start of the queue, which is left as it was. */
final class Invalids {

    /**
     * How many queued bytes an exception copies. OTP reports the whole buffer in {@code {invalid_packet, Bin}};
     * a prefix is enough to see what went wrong without copying megabytes (and {@code Reason.InvalidPacket}
     * prints 64 bytes of it anyway).
     */
    static final int REPORTED_BYTES = 1024;

    private Invalids() {
    }

    /** The queue's bytes cannot be the packet type, or the packet is over {@code packet_size}. */
    static InvalidPacketException of(ByteQueue in, String why) {
        return new InvalidPacketException(prefix(in), why);
    }

    private static byte[] prefix(ByteQueue in) {
        byte[] bytes = new byte[(int) Math.min(in.readableBytes(), REPORTED_BYTES)];
        in.getBytes(0, bytes, 0, bytes.length);
        return bytes;
    }
}
