package io.sslkit.netty.handler;

import static io.sslkit.netty.handler.TlsRecordScanner.ALERT;
import static io.sslkit.netty.handler.TlsRecordScanner.APPLICATION_DATA;
import static io.sslkit.netty.handler.TlsRecordScanner.CHANGE_CIPHER_SPEC;
import static io.sslkit.netty.handler.TlsRecordScanner.HANDSHAKE;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Rate limit on client-initiated TLS 1.2 renegotiation for a server whose engine accepts it (the JDK's): a second
 * renegotiation that a client starts within the window (default 12 s, OTP's {@code RENEGOTIATION_DISABLE_TIME}) of
 * the previous one is <em>delayed</em> until the window has passed, not refused.
 *
 * <p>OTP refuses such a renegotiation ({@code renegotiation_rejected}). The JDK engine cannot refuse one
 * renegotiation of one connection (only every client renegotiation in the JVM, with the system property
 * {@code jdk.tls.rejectClientInitiatedRenegotiation}), and its {@code no_renegotiation} warning would end a JDK
 * client's connection anyway. Delaying bounds what a flooding client costs (one handshake per window) just as well,
 * and a well-behaved client loses nothing: its renegotiation succeeds, later.
 *
 * <h2>Usage</h2>
 * Between the socket and the {@code SslHandler}, on a server channel:
 * <pre>{@code
 * pipeline.addLast("renegotiation-limiter", new RenegotiationLimiter())
 *         .addLast("ssl", jdkSslContext.newHandler(alloc))
 *         .addLast(yourHandler);
 * }</pre>
 *
 * <h2>How it works</h2>
 * It follows the record layer of both directions ({@link TlsRecordScanner}; TLS 1.2 shows every record's content
 * type in clear) and never decrypts or copies anything:
 * <ul>
 *   <li>A handshake ends, for each direction, with change_cipher_spec followed by a handshake record (Finished). Once
 *   both directions have sent theirs the connection is idle (this is also how the first handshake is seen to end).</li>
 *   <li>When idle, a handshake record from the client starts a client-initiated renegotiation; a handshake record
 *   from the server (HelloRequest) starts a server-initiated one, whose answer is never delayed (an alert from the
 *   client before any handshake record ends it: refused).</li>
 *   <li>A client-initiated start within the window of the previous one is held: the bytes before it go on, that
 *   record and everything after it wait in arrival order; {@code read()} calls are swallowed meanwhile, so no more
 *   bytes are read and TCP back-pressure stops the client. Held bytes are only those of the reads already under way
 *   when holding began (bounded by one read loop). When the window is over they go on in order, followed by
 *   {@code channelReadComplete}, and one swallowed {@code read()} is issued again.</li>
 *   <li>Once TLS 1.3 shows (the server sends an application_data record during the first handshake: in TLS 1.2 it
 *   never does) the handler removes itself: TLS 1.3 has no renegotiation, and its records all look alike.</li>
 * </ul>
 *
 * <h2>Threading and buffers</h2>
 * Every method runs on the channel's event loop; state lives in plain fields. Held buffers are released when the
 * channel goes inactive, and passed on (without delay) if the handler is removed from a channel that is still
 * active.
 */
public final class RenegotiationLimiter extends ChannelDuplexHandler {

    /** OTP's {@code RENEGOTIATION_DISABLE_TIME}: 12 s. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(12);

    /** Where the connection stands, as seen from the records. */
    private enum Phase { INITIAL, IDLE, CLIENT_RENEGOTIATION, SERVER_RENEGOTIATION }

    /** How far one direction got in the current handshake. */
    private static final int NOTHING = 0;
    private static final int CIPHER_CHANGED = 1;
    private static final int FINISHED = 2;

    private final long windowNanos;
    private final TlsRecordScanner inbound = new TlsRecordScanner();
    private final TlsRecordScanner outbound = new TlsRecordScanner();
    private final TlsRecordScanner.Visitor inboundVisitor = this::inboundRecord;
    private final TlsRecordScanner.Visitor outboundVisitor = this::outboundRecord;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.INITIAL;
    /** {@link #NOTHING}..{@link #FINISHED} for each direction of the current handshake; reset when it ends. */
    private int clientProgress;
    private int serverProgress;
    /** In {@link Phase#SERVER_RENEGOTIATION}: whether the client answered with a handshake record yet. */
    private boolean clientAnswered;
    /** {@link #now()} when the latest client-initiated renegotiation went on; valid once one did. */
    private long lastClientStart;
    /** Client-initiated renegotiations passed on (after a delay or not). */
    private long clientRenegotiations;
    /** Of those, how many had to wait. */
    private long delayedRenegotiations;
    /** Set by the inbound visitor when it stops at a record: how long that record must wait. */
    private long holdNanos;
    /** Inbound buffers waiting, in arrival order; the first starts at the record that waits. Owned here. */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    /** The end of the current hold; non-null exactly while holding. */
    private ScheduledFuture<?> releaseTask;
    /** A {@code read()} was swallowed while holding: one is issued when the hold ends. */
    private boolean readPending;
    /** Inside {@link #release}: a hold that starts again is the same renegotiation, not a new delay. */
    private boolean releasing;
    /** TLS 1.3 showed: remove this handler after the current write. */
    private boolean tls13;
    private boolean removed;

    /** A limiter with OTP's 12 s window. */
    public RenegotiationLimiter() {
        this(DEFAULT_WINDOW);
    }

    /** A limiter whose client-initiated renegotiations are at least {@code window} apart (positive). */
    public RenegotiationLimiter(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        this.windowNanos = window.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        cancelRelease();
        if (!ctx.channel().isActive()) {
            discard();
            return;
        }
        // Removed from a live channel: nothing may be lost, so what waits goes on now, unscanned.
        boolean any = !held.isEmpty();
        ByteBuf b;
        while ((b = held.pollFirst()) != null) {
            ctx.fireChannelRead(b);
        }
        if (any) {
            ctx.fireChannelReadComplete();
        }
        if (readPending) {
            readPending = false;
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
        } else if (releaseTask != null) {
            held.addLast(buf); // behind the record that waits
        } else {
            pass(buf);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelRelease();
        discard();
        ctx.fireChannelInactive();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (releaseTask != null) {
            readPending = true; // reading on would only buffer the flood here; TCP holds the client back instead
            return;
        }
        ctx.read();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            outbound.scan(buf, buf.readerIndex(), buf.writerIndex(), outboundVisitor);
        }
        ctx.write(msg, promise);
        if (tls13 && !removed) {
            ctx.pipeline().remove(this);
        }
    }

    /** Client-initiated renegotiations passed on so far (event loop). */
    public long clientRenegotiations() {
        return clientRenegotiations;
    }

    /** How many of them were delayed (event loop). */
    public long delayedRenegotiations() {
        return delayedRenegotiations;
    }

    /** Whether inbound bytes are being held right now (event loop). */
    public boolean holding() {
        return releaseTask != null;
    }

    /** Scans {@code buf} and passes it on, or the part before a record that must wait (holding the rest). */
    private void pass(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        int stop = inbound.scan(buf, start, end, inboundVisitor);
        if (stop == end) {
            ctx.fireChannelRead(buf);
            return;
        }
        // Hold first, then pass the records before it: passing may close the channel, which must find it held.
        ByteBuf before = stop > start ? buf.retainedSlice(start, stop - start) : null;
        buf.readerIndex(stop);
        held.addFirst(buf);
        if (!releasing) {
            delayedRenegotiations++;
        }
        releaseTask = ctx.executor().schedule(this::release, holdNanos, TimeUnit.NANOSECONDS);
        if (before != null) {
            ctx.fireChannelRead(before);
        }
    }

    /** The window is over: what waits goes on, in order (it may start to wait again if it is early). */
    private void release() {
        releaseTask = null;
        if (removed) {
            return;
        }
        releasing = true;
        try {
            ByteBuf b;
            while (releaseTask == null && (b = held.pollFirst()) != null) {
                pass(b);
            }
        } finally {
            releasing = false;
        }
        ctx.fireChannelReadComplete();
        if (releaseTask == null && readPending) {
            readPending = false;
            ctx.read();
        }
    }

    private boolean inboundRecord(int type) {
        switch (phase) {
            case IDLE -> {
                if (type == HANDSHAKE) {
                    return startClientRenegotiation();
                }
            }
            case SERVER_RENEGOTIATION -> {
                if (type == HANDSHAKE) {
                    clientAnswered = true;
                } else if (type == ALERT && !clientAnswered) {
                    phase = Phase.IDLE; // the client refused the HelloRequest (no_renegotiation)
                    return true;
                }
                clientProgress = progress(clientProgress, type);
            }
            default -> clientProgress = progress(clientProgress, type);
        }
        endIfFinished();
        return true;
    }

    private boolean startClientRenegotiation() {
        long now = now();
        if (clientRenegotiations > 0) {
            long wait = lastClientStart + windowNanos - now;
            if (wait > 0) {
                holdNanos = wait;
                return false;
            }
        }
        lastClientStart = now;
        clientRenegotiations++;
        phase = Phase.CLIENT_RENEGOTIATION;
        clientProgress = progress(NOTHING, HANDSHAKE);
        serverProgress = NOTHING;
        return true;
    }

    private boolean outboundRecord(int type) {
        switch (phase) {
            case INITIAL -> {
                if (type == APPLICATION_DATA) {
                    tls13 = true; // a TLS 1.2 server sends no data before the client's Finished
                } else {
                    serverProgress = progress(serverProgress, type);
                }
            }
            case IDLE -> {
                if (type == HANDSHAKE) {
                    phase = Phase.SERVER_RENEGOTIATION; // HelloRequest: the client's answer is not limited
                    clientAnswered = false;
                    clientProgress = NOTHING;
                    serverProgress = NOTHING;
                }
            }
            default -> serverProgress = progress(serverProgress, type);
        }
        endIfFinished();
        return true;
    }

    /** One direction's progress through a handshake: change_cipher_spec, then Finished (its next handshake record). */
    private static int progress(int now, int type) {
        if (now == NOTHING && type == CHANGE_CIPHER_SPEC) {
            return CIPHER_CHANGED;
        }
        if (now == CIPHER_CHANGED && type == HANDSHAKE) {
            return FINISHED;
        }
        return now;
    }

    private void endIfFinished() {
        if (clientProgress == FINISHED && serverProgress == FINISHED) {
            phase = Phase.IDLE;
            clientProgress = NOTHING;
            serverProgress = NOTHING;
        }
    }

    /** The event loop's clock (the one its scheduled tasks follow; a test's mock clock in an EmbeddedChannel). */
    private long now() {
        return ctx.executor() instanceof AbstractScheduledEventExecutor loop ? loop.ticker().nanoTime()
                : System.nanoTime();
    }

    private void cancelRelease() {
        if (releaseTask != null) {
            releaseTask.cancel(false);
            releaseTask = null;
        }
    }

    private void discard() {
        ByteBuf b;
        while ((b = held.pollFirst()) != null) {
            b.release();
        }
        readPending = false;
    }
}
