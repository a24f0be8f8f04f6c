package io.sslkit.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an sslkit socket's pipeline: connects pipeline events to the {@link NettySslSocket} facade.
 * Today it wakes blocked senders on writability changes and on close; active delivery to owners comes through here
 * too once sockets expose {@code active}.
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
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Sockets are passive (active=false) until active delivery is wired to owners: nothing is fired here.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ActiveModeHandler reports stream errors in order; anything reaching here is already accounted for.
    }
}
