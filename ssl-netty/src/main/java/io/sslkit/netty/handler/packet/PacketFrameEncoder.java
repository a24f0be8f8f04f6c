package io.sslkit.netty.handler.packet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.sslkit.PacketType;
import java.util.List;

/**
 * Erlang's {@code {packet, Type}} send side as a reusable Netty handler: each outbound {@code ByteBuf} is one
 * message, framed with {@link PacketEncoder}. Pairs with {@link PacketFrameDecoder}.
 *
 * <h2>BEFORE / AFTER, per packet type</h2>
 * <pre>
 * type                     BEFORE (one write)      AFTER (written)
 * 1                        "abc"                   03 "abc"             (over 255 bytes: refused)
 * 2                        "abc"                   00 03 "abc"          (over 65535 bytes: refused)
 * 4                        "abc"                   00 00 00 03 "abc"
 * raw, line, asn1, tpkt,   "abc"                   "abc"                (sent as given, as OTP does:
 * cdr, sunrm, fcgi, http*                                                the caller frames these itself)
 * </pre>
 * The header is a separate small buffer composed with the payload, which is not copied.
 *
 * <h2>Errors and release</h2>
 * A payload too long for the header is released and its write fails with an
 * {@link io.netty.handler.codec.EncoderException} whose cause is a {@link PacketTooLargeException}
 * ({@code {badarg, {packet_to_large, Len, Max}}}); nothing is written and the channel stays open. Messages other
 * than {@code ByteBuf} pass through.
 *
 * <h2>Threading</h2>
 * Stateless and {@link io.netty.channel.ChannelHandler.Sharable sharable}.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class PacketFrameEncoder extends MessageToMessageEncoder<ByteBuf> {

    private final PacketType type;

    /** An encoder for {@code {packet, type}}. */
    public PacketFrameEncoder(PacketType type) {
        super(ByteBuf.class);
        this.type = type;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) throws PacketTooLargeException {
        // MessageToMessageEncoder releases msg after encode; the retained reference goes to PacketEncoder,
        // which either composes it into the result or releases it when refusing.
        out.add(PacketEncoder.encode(type, msg.retain(), ctx.alloc()));
    }
}
