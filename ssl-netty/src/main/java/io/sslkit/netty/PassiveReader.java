package io.sslkit.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.Future;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.Timeout;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.handler.RecvException;
import io.sslkit.netty.internal.Await;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The passive read side of a socket ({@code ssl:recv/3} and the zero-copy read), shared by the TLS and the plain
 * socket: the caller has checked the socket's state; this takes the bytes from the {@link ActiveModeHandler}.
 *
 * <h2>Paths</h2>
 * When the bytes are queued, {@link ActiveModeHandler#poll} hands them over on the caller's thread, with no hop to
 * the event loop; otherwise a request goes to the event loop, which enforces the timeout and serves requests in
 * order. {@link DataPath} forces one path, for tests that run the same cases on each.
 */
final class PassiveReader {

    /** How long an interrupted read waits for its request to be cancelled or served. */
    private static final long CANCEL_WAIT_MILLIS = 5_000;

    /**
     * How {@code recv} takes queued bytes. {@code FAST} (always, outside tests): on the caller's thread when they
     * are there; {@code HOP}: through the event loop on every call (the path before the fast one);
     * {@code ZERO_COPY}: {@code recv(0)} in raw mode goes through {@link #recvInto}. Tests run their property and
     * fault cases on each.
     */
    enum DataPath { FAST, HOP, ZERO_COPY }

    private final ActiveModeHandler handler;
    /** The reason of a failure that is not the stream's end (which the handler types itself). */
    private final Function<Throwable, Reason> errors;
    private volatile DataPath path = DataPath.FAST;

    PassiveReader(ActiveModeHandler handler, Function<Throwable, Reason> errors) {
        this.handler = handler;
        this.errors = errors;
    }

    void path(DataPath p) {
        this.path = p;
    }

    /** {@code recv} giving plain bytes: raw, or a packet's bytes ({@code einval} for a decoded HTTP packet). */
    byte[] recvBytes(int length, Timeout timeout, boolean raw) throws SslException {
        if (path == DataPath.ZERO_COPY && length == 0 && raw) {
            ByteBuffer dst = ByteBuffer.allocate(64 * 1024);
            recvInto(dst, timeout);
            return java.util.Arrays.copyOf(dst.array(), dst.position());
        }
        Object packet = recv(length, timeout);
        if (packet instanceof ByteBuf buf) {
            try {
                return ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        }
        throw new SslException(Reason.EINVAL); // an HTTP packet: use recvData
    }

    /** One message: a ByteBuf the caller releases, or a decoded packet. */
    Object recv(int length, Timeout timeout) throws SslException {
        if (length < 0) {
            throw new SslException(Reason.EINVAL);
        }
        if (path != DataPath.HOP) {
            Object queued = handler.poll(length); // no hop when the bytes are there
            if (queued != null) {
                return queued;
            }
        }
        Future<Object> f;
        try {
            f = handler.recv(length, timeout.isInfinite() ? -1 : timeout.toMillis());
        } catch (RejectedExecutionException e) {
            throw new SslException(Reason.CLOSED); // the runtime stopped: its loops closed the connection
        }
        try {
            return Await.get(f, Long.MAX_VALUE); // the handler enforces the timeout, on the event loop
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // unreachable: no deadline given
        } catch (InterruptedException e) {
            return takeAfterInterrupt(f);
        }
    }

    /** The zero-copy read: up to {@code dst.remaining()} bytes, at least one (see {@code SslSocket#recv}). */
    int recvInto(ByteBuffer dst, Timeout timeout) throws SslException {
        long deadline = timeout.deadlineNanos();
        while (dst.hasRemaining()) {
            int n = handler.pollInto(dst);
            if (n < 0) {
                throw new SslException(Reason.EINVAL); // a packet type other than raw
            }
            if (n > 0) {
                return n;
            }
            awaitReadable(timeout.isInfinite() ? -1
                    : Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return 0;
    }

    /** Waits (no bytes taken) until bytes are queued; fails as recv does. */
    private void awaitReadable(long timeoutMillis) throws SslException {
        Future<Object> f;
        try {
            f = handler.readable(timeoutMillis);
        } catch (RejectedExecutionException e) {
            throw new SslException(Reason.CLOSED);
        }
        try {
            Await.get(f, Long.MAX_VALUE); // the handler enforces the timeout, on the event loop
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // unreachable: no deadline given
        } catch (InterruptedException e) {
            handler.cancelRecv(f); // nothing was taken: nothing to give back
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
    }

    /** Interrupted while waiting: cancel without losing bytes (a request served meanwhile is still returned). */
    private Object takeAfterInterrupt(Future<Object> f) throws SslException {
        handler.cancelRecv(f);
        Await.quietly(f, CANCEL_WAIT_MILLIS); // keeps the interrupt status
        Thread.currentThread().interrupt();
        if (f.isSuccess()) {
            return f.getNow();
        }
        throw new SslException(new Reason.Posix("eintr"));
    }

    private SslException failure(Throwable cause) {
        if (cause instanceof RecvException r) {
            return new SslException(r.reason(), r.getCause());
        }
        return new SslException(errors.apply(cause), cause);
    }
}
