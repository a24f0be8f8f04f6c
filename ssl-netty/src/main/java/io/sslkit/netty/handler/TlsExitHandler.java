package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;
import java.util.NoSuchElementException;

/**
 * Leaves TLS on a live connection: the receiving half of a downgrade ({@code ssl:close(S, {NewOwner, Timeout})}).
 * After our close_notify has gone out, it reads until the peer's close_notify, takes the {@link SslHandler} out of
 * the pipeline at that very moment, and hands back what arrived: decrypted bytes from before the close_notify and
 * plain bytes from after it, never decrypted.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * TlsExitHandler exit = new TlsExitHandler(sslHandler);
 * pipeline.addAfter(pipeline.context(sslHandler).name(), "tls-exit", exit);   // right after the SslHandler
 * sslHandler.closeOutbound();                  // our close_notify
 * exit.start().addListener(f -> ...);          // TlsExitHandler.Result, on the event loop
 * }</pre>
 *
 * <h2>How the bytes after close_notify are kept</h2>
 * {@code SslHandler} fires {@link SslCloseCompletionEvent} from inside its {@code decode}, right after the engine
 * consumed the close_notify record (both engines consume exactly that record). This handler removes the
 * {@code SslHandler} from that event: {@code ByteToMessageDecoder} defers the removal until {@code decode} returns,
 * stops decoding, and fires what is left of its cumulation down the pipeline as it is — to this handler. Every
 * {@code channelRead} before the event is decrypted data; every one after it is plain. The result is completed at
 * the end of that read ({@code channelReadComplete}), so that all of it is collected; no further read is asked
 * for, so later bytes stay in the kernel for the next owner.
 *
 * <h2>Failures</h2>
 * An exception (an alert, a bad record), a TCP FIN without close_notify first, the channel closing or the handler's
 * removal fail the future. Deadlines are the caller's: close the channel to give up.
 *
 * <h2>Threading and buffers</h2>
 * State is touched on the event loop only; {@link #start()} may be called from any thread. The handler swallows
 * every read, the close event and exceptions: handlers after it see nothing more of the TLS stream. Collected
 * buffers are released when the result is made (it holds heap copies) or when the handler is removed.
 */
public final class TlsExitHandler extends ChannelInboundHandlerAdapter {

    /**
     * What the exit collected.
     *
     * @param tlsData    decrypted bytes that arrived before the peer's close_notify while the exit ran
     * @param firstBytes plain bytes that arrived after the peer's close_notify
     */
    public record Result(byte[] tlsData, byte[] firstBytes) {
    }

    private final SslHandler ssl;
    private ChannelHandlerContext ctx;
    private Promise<Result> done;
    /** Decrypted bytes seen before the close event. Owned here until {@link #finish()}. */
    private ByteQueue tlsData;
    /** Bytes seen after the close event (plain). Owned here until {@link #finish()}. */
    private ByteQueue plain;
    /** The peer's close_notify was seen and the SslHandler is (being) removed: later reads are plain. */
    private boolean peerClosed;

    /** @param ssl the connection's SslHandler, in the pipeline right before this handler */
    public TlsExitHandler(SslHandler ssl) {
        this.ssl = ssl;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.done = ctx.executor().newPromise();
        this.tlsData = new ByteQueue(ctx.alloc());
        this.plain = new ByteQueue(ctx.alloc());
    }

    /**
     * Starts reading for the peer's close_notify (any thread); if it already came, finishes at once. Call after our
     * close_notify was sent.
     *
     * @return completed with the {@link Result} on the event loop, or failed
     */
    public Future<Result> start() {
        ctx.executor().execute(() -> {
            if (done.isDone()) {
                return;
            }
            Future<?> closed = ssl.sslCloseFuture();
            if (closed.isSuccess()) {
                // close_notify came before the exit began; what followed it may still wait in the cumulation
                peerClosed = true;
                removeSsl();
                finish();
            } else if (closed.isDone()) {
                fail(closed.cause());
            } else if (!ctx.channel().isActive()
                    || ctx.channel() instanceof DuplexChannel d && d.isInputShutdown()) {
                fail(new ClosedChannelException()); // the peer's FIN came before this handler: no close_notify
            } else {
                ctx.read();
            }
        });
        return done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done.isDone() || !(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg); // after the result: for whoever took over the pipeline
            return;
        }
        (peerClosed ? plain : tlsData).add(buf);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (done.isDone()) {
            ctx.fireChannelReadComplete();
        } else if (peerClosed) {
            finish();
        } else {
            ctx.read(); // not there yet: keep reading (autoRead is off)
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (done.isDone()) {
            ctx.fireUserEventTriggered(evt);
        } else if (evt instanceof SslCloseCompletionEvent close) {
            if (close.isSuccess()) {
                peerClosed = true;
                removeSsl(); // inside SslHandler.decode: takes effect when it returns (see the class comment)
            } else {
                fail(close.cause());
            }
        } else if (evt instanceof ChannelInputShutdownEvent && !peerClosed) {
            fail(new ClosedChannelException()); // TCP FIN without close_notify: the peer did not answer
        } else if (!(evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete)) {
            ctx.fireUserEventTriggered(evt);
        }
        // A FIN after the close_notify is the plain stream's end: the channel's input stays shut down for the
        // next owner to see.
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!fail(cause)) {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        fail(new ClosedChannelException());
        release();
    }

    private void removeSsl() {
        try {
            ctx.pipeline().remove(ssl);
        } catch (NoSuchElementException e) {
            // already gone (the channel is closing): nothing is left to pass on
        }
    }

    private void finish() {
        if (done.isDone()) {
            return; // start() found the close already and the leftover's read completed it first
        }
        ByteBuf t = tlsData.takeAll();
        ByteBuf p = plain.takeAll();
        Result r;
        try {
            r = new Result(ByteBufUtil.getBytes(t), ByteBufUtil.getBytes(p));
        } finally {
            ReferenceCountUtil.release(t);
            ReferenceCountUtil.release(p);
        }
        done.trySuccess(r);
    }

    private boolean fail(Throwable cause) {
        boolean failed = done != null && done.tryFailure(cause);
        if (failed) {
            release();
        }
        return failed;
    }

    private void release() {
        if (tlsData != null) {
            tlsData.release();
            plain.release();
        }
    }
}
