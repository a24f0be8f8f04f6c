package io.sslkit.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;
import io.sslkit.Downgraded;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.handler.TlsExitHandler;
import io.sslkit.netty.internal.Await;
import io.sslkit.netty.internal.Errors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * {@code ssl:close/2} with {@code {NewOwner, Timeout}}: leaves TLS on a live connection. Sends close_notify after the
 * queued sends, waits for the peer's, then replaces the TLS handlers with a {@link NettyPlainSocket}'s; the bytes
 * the peer sent after its close_notify, and those queued but not yet read, come back as {@link Downgraded#unread()}.
 *
 * <p>The socket has already stopped active delivery and marked itself closed; a failure here closes the channel
 * (as OTP: a failed downgrade closes).
 */
final class Downgrade {

    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final NettySsl runtime;
    private final Channel channel;
    private final SslHandler ssl;
    private final ActiveModeHandler active;
    private final Sender sender;
    private final boolean client;

    Downgrade(NettySsl runtime, Channel channel, SslHandler ssl, ActiveModeHandler active, Sender sender,
              boolean client) {
        this.runtime = runtime;
        this.channel = channel;
        this.ssl = ssl;
        this.active = active;
        this.sender = sender;
        this.client = client;
    }

    /** Runs the downgrade (a user thread), by {@code deadline}. */
    Downgraded run(long deadline) throws SslException {
        boolean kept = false;
        try {
            TlsExitHandler exit = new TlsExitHandler(ssl);
            if (!Await.get(channel.eventLoop().submit(() -> addExit(exit)), deadline)) {
                throw new SslException(Reason.CLOSED);
            }
            sendCloseNotify(deadline);
            Promise<Downgraded> result = channel.eventLoop().newPromise();
            exit.start().addListener(f -> { // on the event loop, in the read that carried the close_notify
                if (f.isSuccess()) {
                    result.trySuccess(leaveTls(exit, (TlsExitHandler.Result) f.getNow()));
                } else {
                    result.tryFailure(f.cause());
                }
            });
            Downgraded d = Await.get(result, deadline);
            kept = true;
            return d;
        } catch (TimeoutException e) {
            throw new SslException(Reason.TIMEOUT);
        } catch (ExecutionException e) {
            Reason r = Errors.reasonOf(e.getCause(), client);
            if (r instanceof Reason.Posix || r instanceof Reason.Unexpected && !channel.isActive()) {
                r = Reason.CLOSED; // as in recv: a TCP error (a reset, a failed read on a dead socket) is closed
            }
            throw new SslException(r, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        } finally {
            if (!kept) {
                Await.quietly(channel.close(), CLOSE_WAIT_MILLIS); // as OTP: a failed downgrade closes
            }
        }
    }

    /** Puts the exit handler after "ssl" (event loop); false if the connection is gone. */
    private boolean addExit(TlsExitHandler exit) {
        ChannelHandlerContext sslCtx = channel.pipeline().context(ssl);
        if (sslCtx == null || !channel.isActive()) {
            return false;
        }
        channel.pipeline().addAfter(sslCtx.name(), "tls-exit", exit);
        return true;
    }

    /**
     * close_notify after the queued sends (later sends: closed). Its future never completes if the channel closed
     * under it (SslHandler already removed): the channel's close ends the wait too.
     */
    private void sendCloseNotify(long deadline) throws SslException {
        Promise<Void> sent = channel.eventLoop().newPromise();
        channel.closeFuture().addListener(f -> sent.trySuccess(null));
        sender.closeOutput(() -> {
            ssl.closeOutbound().addListener(f -> sent.trySuccess(null));
            try {
                Await.get(sent, deadline);
            } catch (ExecutionException | InterruptedException | TimeoutException e) {
                throw new SslException(Reason.TIMEOUT, e);
            }
        });
    }

    /** Takes the TLS handlers out and puts the plain socket's in (event loop, once the peer's close_notify came). */
    private Downgraded leaveTls(TlsExitHandler exit, TlsExitHandler.Result r) {
        ChannelPipeline p = channel.pipeline();
        ByteBuf queued = active.takeQueued(); // arrived before the exit began: comes first
        byte[] unread;
        try {
            unread = new byte[queued.readableBytes() + r.tlsData().length];
            queued.readBytes(unread, 0, queued.readableBytes());
            System.arraycopy(r.tlsData(), 0, unread, unread.length - r.tlsData().length, r.tlsData().length);
        } finally {
            queued.release();
        }
        p.remove(exit);
        p.remove(active); // its end of stream finds this socket closed: no close, no message to the owner
        for (String name : SslPipeline.TLS_EXTRAS) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        NettyPlainSocket plain = new NettyPlainSocket(runtime, channel, client);
        plain.install();
        return new Downgraded(plain, r.firstBytes(), unread);
    }
}
