package io.sslkit.netty.handler.packet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;

/**
 * Erlang's {@code {packet, Type}} receive side as a reusable Netty handler: cuts inbound bytes into packets and
 * fires one {@code channelRead} per packet. For pipelines without sslkit sockets (plain TCP, or after your own
 * {@code SslHandler}); sslkit sockets decode inside their active-mode handler with the same {@link PacketDecoder}s.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * pipeline.addLast(sslHandler)
 *         .addLast(new PacketFrameDecoder(PacketType.FOUR, 1 << 20))   // {packet,4},{packet_size,1048576}
 *         .addLast(new PacketFrameEncoder(PacketType.FOUR))
 *         .addLast(yourHandler);                                         // gets one ByteBuf per packet
 * }</pre>
 *
 * <h2>BEFORE / AFTER, per packet type</h2>
 * Bytes in hex or quoted; {@code |} separates inbound buffers, {@code ,} separates the messages fired.
 * <pre>
 * type       BEFORE (inbound ByteBufs)                        AFTER (messages fired)
 * raw        "abc" | "de"                                     "abc", "de"    (whatever is queued, per read)
 * 1          03 "ab" | "c" 01 "d"                             "abc", "d"     (header stripped)
 * 2          00 03 "abc"                                      "abc"
 * 4          00 00 00 03 "abc"                                "abc"
 * line       "l1\nl2\npar" | "t\n"                            "l1\n", "l2\n", "part\n"
 * asn1       30 03 02 01 05                                   30 03 02 01 05         (whole TLV)
 * tpkt       03 00 00 07 "abc"                                03 00 00 07 "abc"      (whole)
 * cdr        "GIOP" 01 02 00 00 00 00 00 03 "abc"             the same 15 bytes      (whole)
 * sunrm      80 00 00 03 "abc"                                80 00 00 03 "abc"      (whole)
 * fcgi       01 06 00 01 00 03 02 00 "abc" 00 00              01 06 00 01 00 03 02 00 "abc" (padding dropped)
 * http       "GET / HTTP/1.1\r\nHost: a\r\n\r\n"              HttpPacket.Request, .Header, .EndOfHeaders
 * httph      "Host: a\r\n\r\n"                                HttpPacket.Header, .EndOfHeaders
 * </pre>
 * {@code http_bin} and {@code httph_bin} fire the same records as {@code http} and {@code httph}. A header line is
 * fired once the first byte of the next line has arrived (it might be a continuation line). See
 * {@link PacketDecoders} for the exact rules and {@code packet_size}.
 *
 * <h2>Errors</h2>
 * Bytes that cannot be the packet type, or a packet over {@code packet_size}: the queued bytes are released, an
 * {@link InvalidPacketException} ({@code {invalid_packet, Bin}}) goes to {@code exceptionCaught}, and the channel is
 * closed, as {@code ssl} closes the connection. Bytes that arrive later are released unread. A malformed HTTP line
 * is not an error: it is fired as {@link io.sslkit.HttpPacket.Error}.
 *
 * <h2>Lifecycle and release</h2>
 * Fired {@code ByteBuf}s belong to the receiver. A partial packet left when the channel goes inactive is released
 * (it can never complete). When this handler is removed, bytes it has not decoded yet are fired downstream as one
 * {@code ByteBuf}, as {@code ByteToMessageDecoder} does: a handler can replace it from inside {@code channelRead}
 * (to read an HTTP body raw, or to switch packet type) without losing a byte. Messages other than {@code ByteBuf}
 * pass through.
 *
 * <h2>Threading</h2>
 * Event loop only; not sharable (it holds the queue and, for HTTP, whether headers are expected).
 */
public final class PacketFrameDecoder extends ChannelInboundHandlerAdapter {

    private final PacketDecoder decoder;
    /** Bytes not yet decoded. Created in handlerAdded; emptied on failure, inactivity and removal. */
    private ByteQueue queue;
    /** Set while the decode loop runs: a re-entrant channelRead only queues, the running loop decodes. */
    private boolean decoding;
    /** Set once an InvalidPacketException was reported; never cleared. Input is then released unread. */
    private boolean failed;
    /** Whether a packet was fired since the last channelReadComplete (else, without auto-read, read more). */
    private boolean firedSinceReadComplete;

    /**
     * A decoder for {@code {packet, type}}, {@code {packet_size, packetSize}}.
     *
     * @param packetSize the largest packet body; 0 = no limit
     */
    public PacketFrameDecoder(PacketType type, int packetSize) {
        this(PacketDecoders.forType(type, packetSize));
    }

    /** A handler around any {@link PacketDecoder} (a new one per channel when it keeps state). */
    public PacketFrameDecoder(PacketDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        queue = new ByteQueue(ctx.alloc());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            buf.release();
            return;
        }
        queue.add(buf);
        if (!decoding) {
            decodeAll(ctx);
        }
    }

    private void decodeAll(ChannelHandlerContext ctx) {
        decoding = true;
        try {
            // A handler downstream may remove this one while a packet is fired: stop, the rest went on.
            while (!failed && !ctx.isRemoved()) {
                Object packet;
                try {
                    packet = decoder.decode(queue);
                } catch (InvalidPacketException e) {
                    fail(ctx, e);
                    return;
                }
                if (packet == null) {
                    return;
                }
                firedSinceReadComplete = true;
                ctx.fireChannelRead(packet);
            }
        } finally {
            decoding = false;
        }
    }

    private void fail(ChannelHandlerContext ctx, InvalidPacketException e) {
        failed = true;
        queue.release();
        ctx.fireExceptionCaught(e);
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Without auto-read, a read that completed no packet must ask for more, or the channel stalls.
        if (!firedSinceReadComplete && !failed && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        firedSinceReadComplete = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        queue.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (queue.isEmpty()) {
            return;
        }
        ByteBuf rest = queue.takeAll();
        queue.release();
        ctx.fireChannelRead(rest);
        ctx.fireChannelReadComplete();
    }
}
