package io.sslkit.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;

/**
 * The last handler of an sslkit socket's pipeline: wakes blocked senders when writability changes or the channel
 * closes, and ends a connection whose peer half-closed in the middle of the handshake. Data and end-of-stream go from {@code ActiveModeHandler} straight to {@link OwnerDelivery} (not through
 * the pipeline, which Netty tears down when the channel closes while messages may still wait for an owner).
 */
final class SocketBridge extends ChannelInboundHandlerAdapter {

    private final WriteGate gate;

    SocketBridge(WriteGate gate) {
        this.gate = gate;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        gate.signal();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        gate.signal();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // Half-closure is allowed so that a peer's shutdown(write) does not end our side; but a FIN during the
            // handshake can never be followed by the rest of it: end the connection, so the handshake fails now.
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null && !ssl.handshakeFuture().isDone()) {
                ctx.close();
            }
        }
    }
}
