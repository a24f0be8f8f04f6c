package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.sslkit.Alert;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks the TLS record layer of the bytes a peer sends before the {@code SslHandler} sees them, and ends the
 * connection with the alert RFC 8446/5246 ask for where a TLS engine behind Netty would not answer at all or would
 * accept what it must refuse. It looks at record headers and the first plaintext handshake messages only; it never
 * copies, buffers or decrypts anything, and passes every well-formed byte on unchanged.
 *
 * <h2>What is refused, with which alert</h2>
 * <table>
 *   <caption>checks</caption>
 *   <tr><th>what</th><th>alert</th></tr>
 *   <tr><td>a content type other than change_cipher_spec, alert, handshake, application_data (heartbeat,
 *       garbage, an SSLv2 hello)</td><td>{@code unexpected_message}</td></tr>
 *   <tr><td>a record version whose major byte is not 3, or above 3.4</td><td>{@code protocol_version}</td></tr>
 *   <tr><td>a ClientHello/ServerHello {@code legacy_version} of 3.0 or less (RFC 8446 D.5)</td>
 *       <td>{@code protocol_version}</td></tr>
 *   <tr><td>a plaintext handshake or alert record over 2^14 bytes, any record over 2^14+2048, a TLS 1.3 record
 *       over 2^14+256 (RFC 8446 §5.2). Netty's OpenSSL engine throws on such a length before BoringSSL sees it,
 *       so without this check no alert is sent</td><td>{@code record_overflow}</td></tr>
 *   <tr><td>an empty handshake, alert or change_cipher_spec record</td><td>{@code decode_error}</td></tr>
 *   <tr><td>another record type between the fragments of a plaintext handshake message (RFC 8446 §5.1), or a
 *       plaintext handshake, alert or change_cipher_spec record after a TLS 1.3 handshake</td>
 *       <td>{@code unexpected_message}</td></tr>
 *   <tr><td>a record that stays incomplete longer than {@code midRecordLimit} (a slow-loris peer)</td>
 *       <td>none: the connection is closed</td></tr>
 * </table>
 * Before this side has written anything, the alert goes out as a plaintext record, as for any alert in answer to
 * a ClientHello. Afterwards this side's records are encrypted and only the engine can write an alert: the channel
 * is closed through the pipeline, so that the {@code SslHandler} sends its (encrypted) close_notify first. Either
 * way the failure is fired as {@code exceptionCaught}: a {@link MalformedRecordException} naming the alert, or a
 * {@link TimeoutException} for a stalled record; later bytes from the peer are dropped.
 *
 * <h2>Usage</h2>
 * Put it first, before the {@code SslHandler} (and before any handler that reads records, such as
 * {@link RenegotiationLimiter}), on either side and with either engine:
 * <pre>{@code
 * pipeline.addLast("record-guard", new RecordGuard())
 *         .addLast("ssl", sslContext.newHandler(alloc))
 *         .addLast(yourHandler);
 * }</pre>
 *
 * <h2>Threading and buffers</h2>
 * Every method runs on the channel's event loop; state lives in plain fields. Inbound buffers are passed on
 * untouched, or released once the connection is refused. The stall timer is cancelled when the handler is removed
 * or the channel goes inactive.
 */
public final class RecordGuard extends ChannelDuplexHandler {

    /** How long a record may stay incomplete by default. */
    public static final Duration DEFAULT_MID_RECORD_LIMIT = Duration.ofSeconds(30);

    private static final int HEADER = 5;
    private static final int MAX_PLAINTEXT = 1 << 14;
    private static final int MAX_CIPHERTEXT_TLS12 = MAX_PLAINTEXT + 2048;
    private static final int MAX_CIPHERTEXT_TLS13 = MAX_PLAINTEXT + 256;
    private static final int HANDSHAKE_HEADER = 4;

    private final long midRecordLimitNanos;
    /** Failed first when the guard refuses, so that a handshake waiting on it learns the alert; may be null. */
    private final Promise<?> failure;
    private ChannelHandlerContext ctx;

    /** Header bytes of the current record seen: 0 = at a record boundary (when {@link #bodyLeft} is 0), 1..4. */
    private int headerSeen;
    /** The current record's header bytes, as far as {@link #headerSeen} says they are known. */
    private int type;
    private int major;
    private int minor;
    private int lengthHigh;
    /** Body bytes of the current record still to pass; only meaningful when {@link #headerSeen} is 0. */
    private int bodyLeft;
    /** Records whose first byte has been seen; the stall timer compares it to tell one record from the next. */
    private long records;
    /** {@link System#nanoTime()} at the first byte of the current record. */
    private long recordStart;
    /** Until the peer's first change_cipher_spec or application_data record: handshake records are plaintext. */
    private boolean plaintext = true;
    /** The current record is a plaintext handshake record: its body is followed message by message below. */
    private boolean inHandshakeRecord;
    /** Header bytes of the current handshake message seen, 0..3 (0 also between messages). */
    private int messageHeaderSeen;
    /** Body bytes of the current handshake message still to come; a message may span records. */
    private int messageLeft;
    /** Handshake messages started so far (the first one carries legacy_version). */
    private int messages;
    /** Body bytes of the first handshake message seen so far, up to its legacy_version (2 bytes). */
    private int firstBodySeen;
    private int firstMessageType;
    private int legacyMajor;
    /** Whether this side has written any bytes (then an alert can no longer go out in plaintext). */
    private boolean wrote;
    /** TLS 1.3 was negotiated (known once the SslHandler's handshake succeeded); null until known. */
    private Boolean tls13;
    /** The connection was refused: every later inbound byte is dropped. */
    private boolean refused;
    /** What is wrong with the current record, once {@link #scan} found it; null before. */
    private MalformedRecordException refusal;
    /** Index in the buffer being scanned where the current record began (-1: in an earlier buffer). */
    private int recordStartIndex;
    /** An SslHandler was seen in the pipeline (its absence later means TLS has been left). */
    private boolean sawSslHandler;
    /** The timer of a record left incomplete; non-null exactly while one is scheduled. */
    private ScheduledFuture<?> stallTimer;

    /** A guard that lets a record stay incomplete for {@link #DEFAULT_MID_RECORD_LIMIT}. */
    public RecordGuard() {
        this(DEFAULT_MID_RECORD_LIMIT);
    }

    /** A guard that closes a connection whose current record stays incomplete for longer than {@code limit}. */
    public RecordGuard(Duration midRecordLimit) {
        this(midRecordLimit, null);
    }

    /**
     * As {@link #RecordGuard(Duration)}, also failing {@code failure} (e.g. the handshake's promise) with the
     * {@link MalformedRecordException} or {@link TimeoutException} before the connection is closed.
     */
    public RecordGuard(Duration midRecordLimit, Promise<?> failure) {
        this.failure = failure;
        if (midRecordLimit.isNegative() || midRecordLimit.isZero()) {
            throw new IllegalArgumentException("midRecordLimit must be positive: " + midRecordLimit);
        }
        this.midRecordLimitNanos = midRecordLimit.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelStallTimer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelStallTimer();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!sawSslHandler && ctx.pipeline().get(SslHandler.class) != null) {
            sawSslHandler = true; // looked up only until found: the usual read costs nothing more
        }
        String problem;
        try {
            problem = scan(buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        if (problem == null) {
            ctx.fireChannelRead(buf);
            armStallTimer();
            return;
        }
        // The records before the bad one go to the engine first: one of them may be the peer's close_notify, after
        // which plain bytes are legitimate (a downgrade).
        int start = recordStartIndex < 0 ? buf.readerIndex() : recordStartIndex;
        if (start > buf.readerIndex()) {
            ctx.fireChannelRead(buf.retainedSlice(buf.readerIndex(), start - buf.readerIndex()));
            buf.readerIndex(start);
        }
        if (tlsEnded()) {
            stepAside(ctx, buf);
            return;
        }
        buf.release();
        endWithAlert();
    }

    /** TLS is over: passes {@code buf} on and leaves the pipeline. */
    private void stepAside(ChannelHandlerContext ctx, ByteBuf buf) {
        cancelStallTimer();
        ctx.fireChannelRead(buf);
        if (ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf b && b.isReadable()) {
            wrote = true;
        }
        ctx.write(msg, promise);
    }

    /** Scans one inbound buffer; returns null if it is fine, else what was wrong (the connection is refused). */
    private String scan(ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        recordStartIndex = headerSeen == 0 && bodyLeft == 0 ? i : -1;
        while (i < end) {
            if (headerSeen == 0 && bodyLeft > 0) {
                int n = Math.min(bodyLeft, end - i);
                if (inHandshakeRecord) {
                    String p = followMessages(buf, i, i + n);
                    if (p != null) {
                        return p;
                    }
                }
                bodyLeft -= n;
                i += n;
                continue;
            }
            if (headerSeen == 0) {
                recordStartIndex = i;
            }
            String p = headerByte(buf.getUnsignedByte(i));
            if (p != null) {
                return p;
            }
            i++;
        }
        return null;
    }

    /** Takes one byte of a record header; at the last one, checks the whole header. */
    private String headerByte(int b) {
        switch (headerSeen) {
            case 0 -> {
                type = b;
                records++;
                recordStart = System.nanoTime();
            }
            case 1 -> major = b;
            case 2 -> minor = b;
            case 3 -> lengthHigh = b;
            default -> {
                headerSeen = 0;
                bodyLeft = lengthHigh << 8 | b;
                return checkHeader(bodyLeft);
            }
        }
        headerSeen++;
        return headerSeen == 1 && (type < TlsRecordScanner.CHANGE_CIPHER_SPEC
                || type > TlsRecordScanner.APPLICATION_DATA)
                ? refuse(Alert.UNEXPECTED_MESSAGE, "not a TLS record: content type " + type) : null;
    }

    /** RFC 8446 §5.1, §5.2; RFC 5246 §6.2.1. */
    private String checkHeader(int length) {
        if (major != 3 || minor > 4) {
            return refuse(Alert.PROTOCOL_VERSION, "record version " + major + "." + minor);
        }
        boolean handshakeOrAlert = type == TlsRecordScanner.HANDSHAKE || type == TlsRecordScanner.ALERT;
        if (length == 0 && type != TlsRecordScanner.APPLICATION_DATA) {
            return refuse(Alert.DECODE_ERROR, "an empty record of content type " + type);
        }
        if (plaintext && messageInProgress() && type != TlsRecordScanner.HANDSHAKE) {
            return refuse(Alert.UNEXPECTED_MESSAGE, "content type " + type + " inside a handshake message");
        }
        boolean tls13Now = Boolean.TRUE.equals(negotiatedTls13());
        if (type != TlsRecordScanner.APPLICATION_DATA && tls13Now) {
            return refuse(Alert.UNEXPECTED_MESSAGE, "content type " + type + " after a TLS 1.3 handshake");
        }
        if (plaintext && handshakeOrAlert && length > MAX_PLAINTEXT) {
            return refuse(Alert.RECORD_OVERFLOW, "a plaintext record of " + length + " bytes");
        }
        int max = tls13Now ? MAX_CIPHERTEXT_TLS13 : MAX_CIPHERTEXT_TLS12;
        if (length > max) {
            return refuse(Alert.RECORD_OVERFLOW, "a record of " + length + " bytes (at most " + max + ")");
        }
        if (type == TlsRecordScanner.CHANGE_CIPHER_SPEC || type == TlsRecordScanner.APPLICATION_DATA) {
            plaintext = false; // from here on (TLS 1.2 after CCS, TLS 1.3 after the ClientHello) records are sealed
        }
        inHandshakeRecord = plaintext && type == TlsRecordScanner.HANDSHAKE;
        return null;
    }

    /** Whether the current handshake message has begun and not ended. */
    private boolean messageInProgress() {
        return messageHeaderSeen > 0 || messageLeft > 0;
    }

    /** Follows handshake message boundaries in {@code buf[from, to)}, a piece of a plaintext handshake record. */
    private String followMessages(ByteBuf buf, int from, int to) {
        for (int i = from; i < to; ) {
            if (messageHeaderSeen == 0 && messageLeft > 0) {
                int n = Math.min(messageLeft, to - i);
                for (int k = 0; k < n && messages == 1 && firstBodySeen < 2; k++, firstBodySeen++) {
                    String p = legacyVersionByte(buf.getUnsignedByte(i + k));
                    if (p != null) {
                        return p;
                    }
                }
                messageLeft -= n;
                i += n;
                continue;
            }
            int b = buf.getUnsignedByte(i++);
            if (messageHeaderSeen == 0) {
                messages++;
                if (messages == 1) {
                    firstMessageType = b;
                }
                messageLeft = 0;
            } else {
                messageLeft = messageLeft << 8 | b;
            }
            messageHeaderSeen = (messageHeaderSeen + 1) % HANDSHAKE_HEADER;
        }
        return null;
    }

    /** RFC 8446 D.5: a hello's legacy_version of 3.0 or less is refused with protocol_version. */
    private String legacyVersionByte(int b) {
        boolean hello = firstMessageType == 1 || firstMessageType == 2;
        if (!hello) {
            return null;
        }
        if (firstBodySeen == 0) {
            legacyMajor = b;
            return null;
        }
        return legacyMajor < 3 || (legacyMajor == 3 && b == 0)
                ? refuse(Alert.PROTOCOL_VERSION, "hello legacy_version " + legacyMajor + "." + b) : null;
    }

    /**
     * Whether TLS 1.3 was negotiated; null while unknown. Known once the SslHandler's handshake succeeded, or
     * earlier from the handshake session when the peer sends a sealed record (then the hellos were exchanged: the
     * client's Finished and the data right behind it often arrive in one read, before the handshake completes).
     */
    private Boolean negotiatedTls13() {
        if (tls13 == null) {
            SslHandler h = ctx.pipeline().get(SslHandler.class);
            if (h != null && h.handshakeFuture().isSuccess()) {
                tls13 = "TLSv1.3".equals(h.engine().getSession().getProtocol());
            } else if (h != null && type == TlsRecordScanner.APPLICATION_DATA) {
                javax.net.ssl.SSLSession s = h.engine().getHandshakeSession();
                String protocol = s == null ? null : s.getProtocol();
                if ("TLSv1.3".equals(protocol) || "TLSv1.2".equals(protocol)) {
                    tls13 = "TLSv1.3".equals(protocol);
                }
            }
        }
        return tls13;
    }

    /** Notes what is wrong with the current record; returns the problem (never null). */
    private String refuse(Alert alert, String problem) {
        refusal = new MalformedRecordException(alert, problem);
        return problem;
    }

    /** Ends the connection with the alert of {@link #refusal}. */
    private void endWithAlert() {
        refused = true;
        cancelStallTimer();
        fail(refusal);
        if (!wrote) {
            // TLS record: alert(21), version 3.3, length 2, fatal(2), description. Nothing is encrypted yet.
            byte[] record = {21, 3, 3, 0, 2, 2, (byte) refusal.alert().code()};
            ctx.writeAndFlush(Unpooled.wrappedBuffer(record)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.channel().close(); // through the SslHandler: its close_notify, encrypted, then the close
        }
    }

    /**
     * Whether the TLS stream has ended on the engine's side: the SslHandler left the pipeline (a downgrade) or its
     * engine took the peer's close_notify. What follows is no longer TLS (OTP's {@code ssl:close/2} downgrade sends
     * plain bytes right behind it): the guard steps aside.
     */
    private boolean tlsEnded() {
        SslHandler h = ctx.pipeline().get(SslHandler.class);
        if (h != null) {
            sawSslHandler = true;
            return h.engine().isInboundDone();
        }
        return sawSslHandler;
    }

    /** After a read: a record left incomplete gets a deadline counted from its first byte. */
    private void armStallTimer() {
        boolean midRecord = headerSeen != 0 || bodyLeft > 0;
        if (!midRecord || refused) {
            cancelStallTimer();
            return;
        }
        if (stallTimer == null) {
            long record = records;
            long delay = Math.max(0, recordStart + midRecordLimitNanos - System.nanoTime());
            stallTimer = ctx.executor().schedule(() -> stalled(record), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void stalled(long record) {
        stallTimer = null;
        if (refused || !ctx.channel().isActive()) {
            return;
        }
        if (record != records) {
            armStallTimer(); // a later record is the one incomplete now: its own deadline
            return;
        }
        refused = true;
        fail(new TimeoutException("a TLS record stayed incomplete for more than "
                + Duration.ofNanos(midRecordLimitNanos)));
        ctx.channel().close();
    }

    private void fail(Exception e) {
        if (failure != null) {
            failure.tryFailure(e);
        }
        ctx.fireExceptionCaught(e);
    }

    private void cancelStallTimer() {
        if (stallTimer != null) {
            stallTimer.cancel(false);
            stallTimer = null;
        }
    }
}
