package io.sslkit.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The last handler of an sslkit socket's pipeline: wakes blocked senders when writability changes or the channel
 * closes. Data and end-of-stream go from {@code ActiveModeHandler} straight to {@link OwnerDelivery} (not through
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
}
