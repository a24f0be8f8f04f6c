package io.sslkit.netty.handler.packet;

import io.sslkit.Reason;

/** A packet that cannot be decoded or is over {@code packet_size}: carries {@code {invalid_packet, Bin}}. */
public final class InvalidPacketException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Reason.InvalidPacket reason;

    public InvalidPacketException(byte[] offending, String why) {
        super(why, null, false, false);
        this.reason = new Reason.InvalidPacket(offending);
    }

    /** The {@code {invalid_packet, Bin}} reason. */
    public Reason.InvalidPacket reason() {
        return reason;
    }
}
