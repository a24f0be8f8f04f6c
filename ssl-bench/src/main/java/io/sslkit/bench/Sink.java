package io.sslkit.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** The raw Netty baseline's receiver: counts and releases what the server's SslHandler decrypted. */
public final class Sink extends ChannelInboundHandlerAdapter {
    private final Progress progress;

    public Sink(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        progress.add(buf.readableBytes());
        buf.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        progress.fail(cause);
        ctx.close();
    }
}
