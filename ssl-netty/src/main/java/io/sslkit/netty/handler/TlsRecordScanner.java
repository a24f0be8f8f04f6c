package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;

/**
 * Follows the TLS record layer of one direction of a byte stream (RFC 5246 §6.2, RFC 8446 §5.1): reads each 5-byte
 * record header, skips the body without looking at it, and tells a {@link Visitor} the content type of every record
 * as its first byte goes by. Records may span buffers and a buffer may hold many records: the state between calls is
 * a few ints, and no payload is ever copied.
 *
 * <p>The content type is in clear even in an encrypted TLS 1.2 stream; in TLS 1.3 every record after the
 * ServerHello says {@code application_data} (23) on the outside.
 *
 * <p>A byte stream that is not a record stream (a content type outside 20..24: an SSLv2 hello, garbage, plain
 * text) makes the scanner {@link #lost()}: it stops looking and reports nothing more. Whatever stands behind it
 * (the {@code SslHandler}) fails that connection anyway.
 *
 * <p>Not thread-safe: one scanner per direction, used on the channel's event loop.
 */
public final class TlsRecordScanner {

    /** {@code change_cipher_spec}. */
    public static final int CHANGE_CIPHER_SPEC = 20;
    /** {@code alert}. */
    public static final int ALERT = 21;
    /** {@code handshake}. */
    public static final int HANDSHAKE = 22;
    /** {@code application_data} (and, in TLS 1.3, everything encrypted). */
    public static final int APPLICATION_DATA = 23;
    private static final int HEARTBEAT = 24;
    private static final int HEADER = 5;

    /** Told about each record, at its first byte. */
    public interface Visitor {
        /**
         * A record of this content type starts here.
         *
         * @return {@code true} to go on; {@code false} to stop before this record (it is visited again by the next
         *         scan, which must start at the index {@link #scan} returned)
         */
        boolean record(int contentType);
    }

    /** Header bytes of the current record seen so far: 0 = at a record boundary, 1..4 = inside the header. */
    private int headerSeen;
    /** The high byte of the current record's length (header byte 3), once seen. */
    private int lengthHigh;
    /** Body bytes of the current record still to skip; only meaningful when {@link #headerSeen} is 0. */
    private int bodyLeft;
    /** The stream is not TLS records: nothing more is reported. */
    private boolean lost;

    /**
     * Scans {@code buf} from {@code from} (inclusive) to {@code to} (exclusive) without changing its indices.
     *
     * @return {@code to} when every byte was scanned, else the index of the first byte of the record at which the
     *         visitor said stop (the scanner is left just before it)
     */
    public int scan(ByteBuf buf, int from, int to, Visitor visitor) {
        int i = from;
        while (i < to && !lost) {
            if (bodyLeft > 0) {
                int skip = Math.min(bodyLeft, to - i);
                bodyLeft -= skip;
                i += skip;
                continue;
            }
            int b = buf.getUnsignedByte(i);
            if (headerSeen == 0) {
                if (b < CHANGE_CIPHER_SPEC || b > HEARTBEAT) {
                    lost = true;
                    break;
                }
                if (!visitor.record(b)) {
                    return i;
                }
            } else if (headerSeen == 3) {
                lengthHigh = b;
            } else if (headerSeen == 4) {
                bodyLeft = lengthHigh << 8 | b;
            }
            headerSeen = (headerSeen + 1) % HEADER;
            i++;
        }
        return to;
    }

    /** Whether the stream turned out not to be TLS records (nothing is reported any more). */
    public boolean lost() {
        return lost;
    }

    /** Whether the scanner stands between two records (not inside a header or a body). */
    public boolean atBoundary() {
        return headerSeen == 0 && bodyLeft == 0;
    }
}
