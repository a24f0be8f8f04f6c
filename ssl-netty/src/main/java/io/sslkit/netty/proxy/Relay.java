package io.sslkit.netty.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sslkit.Active;
import io.sslkit.Reason;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.handler.ActiveSink;
import io.sslkit.netty.handler.StreamEnd;
import io.sslkit.netty.handler.TlsErrors;

/**
 * One direction's source of a proxied connection: sits after an {@link ActiveModeHandler} on one channel and
 * writes what it delivers to the other channel.
 *
 * <h2>Back-pressure</h2>
 * The handler runs in {@code active true} and is {@linkplain ActiveModeHandler#setPaused paused} whenever the other
 * channel is not writable (above its high-water mark). A paused {@code ActiveModeHandler} issues no read, so the
 * kernel buffer fills and TCP holds the sender back: at most one read's worth plus the other channel's water mark
 * is ever held by the proxy, whatever the two peers do.
 *
 * <h2>Ownership of buffers</h2>
 * A delivered {@code ByteBuf} is handed to the other channel's {@code write} as is (no copy: from the TLS side the
 * decrypted buffer goes to the plain socket); that write releases it, also when it fails. Nothing else holds one.
 *
 * <h2>Threading</h2>
 * Both channels of a connection are on the same event loop (the backend is connected from the accepted channel's
 * loop), so every field here is touched on that loop only.
 */
final class Relay extends ChannelInboundHandlerAdapter implements ActiveSink {

    private final Link link;
    private final boolean clientSide;
    /** The handler that reads this channel on demand and delivers to this relay. */
    private final ActiveModeHandler active;
    /** This relay's channel; set when added to the pipeline. */
    private Channel channel;
    /** The relay of the other channel; set once by {@link Link}. */
    private Relay other;

    /** A relay and its {@link ActiveModeHandler} (see {@link #activeHandler()}); {@code clientSide}: which channel. */
    Relay(Link link, boolean clientSide) {
        this.link = link;
        this.clientSide = clientSide;
        // The client's side of the proxy is a TLS server, and the server's side a client (for alert texts).
        this.active = new ActiveModeHandler(
                TlsErrors.mapper(clientSide ? Reason.TlsAlert.Role.SERVER : Reason.TlsAlert.Role.CLIENT), this);
    }

    /** The handler to put right before this relay in its channel's pipeline. */
    ActiveModeHandler activeHandler() {
        return active;
    }

    void pairWith(Relay other) {
        this.other = other;
    }

    Channel channel() {
        return channel;
    }

    boolean clientSide() {
        return clientSide;
    }

    /** Starts delivering (both sides ready): {@code active true}, paused while the other side cannot take more. */
    void start() {
        active.setPaused(!other.channel.isWritable());
        active.setActive(Active.TRUE);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    // ---- ActiveSink: what this channel delivers goes to the other ------------------------------------------

    @Override
    public void data(Object message, int size) {
        Channel to = other.channel;
        if (!to.isActive()) {
            ReferenceCountUtil.release(message);
            return;
        }
        link.count(clientSide, size);
        to.writeAndFlush(message).addListener(link.closeOnFailure());
        link.notePending(pending(to));
        if (!to.isWritable()) {
            active.setPaused(true); // resumed by the other channel's writability change
        }
    }

    @Override
    public void passive() {
        // never: active true has no count
    }

    @Override
    public void end(StreamEnd end) {
        // After every byte before it was forwarded.
        if (!end.isClean()) {
            link.fail(this, end);
        } else if (clientSide) {
            // The client half-closed: pass the FIN on, keep relaying the server's answer.
            Channel to = other.channel;
            to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess() && to instanceof DuplexChannel d) {
                    d.shutdownOutput();
                }
            });
            link.inputEnded(this);
        } else {
            link.inputEnded(this);
        }
    }

    @Override
    public void streamEnded(StreamEnd end) {
        if (!clientSide && !link.isServerConnected()) {
            return; // a connect that failed: the connect's listener reports why
        }
        if (!end.isClean()) {
            link.fail(this, end); // an error: nothing more to deliver
        }
        // A clean end (close_notify, FIN) waits behind the data: a client that sends its request and closes before
        // the backend is connected still has it delivered, then its end passed on (end()).
    }

    // ---- events of this channel -----------------------------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!clientSide && ctx.pipeline().get(SslHandler.class) == null) {
            // A plain backend is ready once connected. Here rather than in the connect future's listener, which
            // runs before channelActive: a PROXY header written at channelActive (earlier in the pipeline) must
            // go out before any relayed byte or half-close.
            link.ready(this);
        }
        if (clientSide || ctx.pipeline().get(SslHandler.class) != null) {
            // autoRead is off: the client's first flight (PROXY header, ClientHello) and a TLS backend's are needed
            // before demand starts; the decoders and SslHandler read on from here
            ctx.read();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (link.started()) {
            other.active.setPaused(!channel.isWritable()); // the other side may read again
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent hs) {
            if (hs.isSuccess()) {
                link.ready(this);
            } else {
                StreamEnd end = new StreamEnd(link.reason(this, hs.cause()), hs.cause());
                if (clientSide) {
                    link.handshakeFailed(this, end);
                } else {
                    link.fail(this, end); // the backend's handshake
                }
            }
        } else if (evt instanceof IdleStateEvent) {
            link.idle();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        link.fail(this, new StreamEnd(link.reason(this, cause), cause));
    }

    private static long pending(Channel ch) {
        ChannelOutboundBuffer b = ch.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }
}
