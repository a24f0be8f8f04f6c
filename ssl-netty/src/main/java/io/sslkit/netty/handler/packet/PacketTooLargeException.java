package io.sslkit.netty.handler.packet;

import io.sslkit.Reason;

/**
 * A payload too long for the {@code packet} length header ({@code 1}: 255 bytes, {@code 2}: 65535): carries
 * {@code {badarg, {packet_to_large, Len, Max}}}. Nothing was sent.
 */
public final class PacketTooLargeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Reason.PacketTooLarge reason;

    public PacketTooLargeException(long length, long max) {
        super("packet of " + length + " bytes over the header's maximum " + max, null, false, false);
        this.reason = new Reason.PacketTooLarge(length, max);
    }

    /** The {@code {badarg, {packet_to_large, Len, Max}}} reason. */
    public Reason.PacketTooLarge reason() {
        return reason;
    }
}
