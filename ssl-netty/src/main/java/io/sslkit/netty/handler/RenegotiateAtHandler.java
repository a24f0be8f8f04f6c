package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import java.nio.channels.ClosedChannelException;

/**
 * OTP's {@code {renegotiate_at, N}}: after N application-data records written since the last handshake, start a new
 * one — a renegotiation on TLS 1.2, a KeyUpdate on TLS 1.3 (what the JDK engine's {@code beginHandshake()} does
 * there; OTP calls that {@code key_update_at}).
 *
 * <h2>Usage</h2>
 * Between the socket and an {@code SslHandler} whose engine can renegotiate (the JDK's; BoringSSL's cannot, and
 * {@code SslHandler.renegotiate()} would close its channel):
 * <pre>{@code
 * pipeline.addLast("renegotiate-at", new RenegotiateAtHandler(1_000_000))
 *         .addLast("ssl", jdkSslContext.newHandler(alloc, host, port))
 *         .addLast(yourHandler);
 * }</pre>
 *
 * <h2>What is counted</h2>
 * The records themselves, as they leave the {@code SslHandler}: every {@code application_data} record (type 23)
 * written while the current handshake is complete ({@link TlsRecordScanner}; one record carries up to 16 KiB).
 * Counting below the {@code SslHandler} is exact whoever writes and however the engine cuts the data, where counting
 * sends would have to guess the engine's record sizes. On TLS 1.3 a few post-handshake messages (session tickets)
 * are records of that type too and count as well.
 *
 * <h2>When the count is reached</h2>
 * The count starts again and {@code SslHandler.renegotiate()} runs in a later task of the event loop (not inside the
 * write that reached it), followed by a {@code read()} so that the peer's answer is read even while the application
 * reads nothing. Data written meanwhile waits in the {@code SslHandler} as during any renegotiation. A peer that
 * refuses (BoringSSL, or a server that does not accept client renegotiation) makes the engine fail the handshake,
 * and the {@code SslHandler} closes the connection — as OTP's connection ends in that case. When the peer just hung
 * up (its alert unread), this handler fires a {@link RenegotiationRejectedException} so that the failure is not
 * mistaken for a plain close. The initiator's {@code SslHandler} fires an {@code SslHandshakeCompletionEvent} for
 * each renegotiation.
 *
 * <h2>Threading</h2>
 * Everything happens on the channel's event loop; {@link #renegotiations()} is read there too.
 */
public final class RenegotiateAtHandler extends ChannelOutboundHandlerAdapter {

    /** OTP's default {@code renegotiate_at}: 268435456 (2^28) records. */
    public static final long DEFAULT_RECORDS = 268_435_456L;

    private final long limit;
    private final TlsRecordScanner records = new TlsRecordScanner();
    private final TlsRecordScanner.Visitor visitor = this::record;
    private ChannelHandlerContext ctx;
    /** The SslHandler behind this handler, once it is in the pipeline (it may come later, e.g. chosen by SNI). */
    private SslHandler ssl;
    /** Application records written since the count last started; below {@link #limit} unless one is pending. */
    private long written;
    /** A renegotiation this handler asked for has not ended yet: nothing is counted meanwhile. */
    private boolean pending;
    /** Renegotiations (key updates) this handler started. */
    private long renegotiations;
    /** Someone closed the channel through the pipeline: a renegotiation it cuts short was not refused. */
    private boolean closeRequested;

    /**
     * @param records how many application-data records to write before renegotiating: 1 to {@link #DEFAULT_RECORDS}
     */
    public RenegotiateAtHandler(long records) {
        if (records < 1 || records > DEFAULT_RECORDS) {
            throw new IllegalArgumentException("records must be 1.." + DEFAULT_RECORDS + ": " + records);
        }
        this.limit = records;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && !records.lost()) {
            records.scan(buf, buf.readerIndex(), buf.writerIndex(), visitor);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        closeRequested = true;
        ctx.close(promise);
    }

    /** How many renegotiations (key updates) this handler started (event loop). */
    public long renegotiations() {
        return renegotiations;
    }

    private boolean record(int type) {
        if (type == TlsRecordScanner.APPLICATION_DATA && !pending && handshaken() && ++written >= limit) {
            written = 0;
            pending = true;
            // Not from inside the SslHandler's own wrap loop, which is what is writing this record.
            ctx.executor().execute(this::renegotiate);
        }
        return true;
    }

    private boolean handshaken() {
        if (ssl == null) {
            ssl = ctx.pipeline().get(SslHandler.class);
        }
        return ssl != null && ssl.handshakeFuture().isSuccess();
    }

    private void renegotiate() {
        if (!ctx.channel().isActive()) {
            return; // pending stays: nothing more to count on a closed channel
        }
        renegotiations++;
        ssl.renegotiate().addListener(f -> {
            pending = false;
            if (f.cause() instanceof ClosedChannelException closed && !closeRequested) {
                // The peer hung up instead of answering. (An alert it sent and we read fails the handshake with
                // that alert instead, which the SslHandler reports itself.)
                ctx.fireExceptionCaught(new RenegotiationRejectedException(closed));
            }
        });
        ctx.read(); // the peer's answer must be read even if nobody reads data now; the SslHandler reads on
    }
}
