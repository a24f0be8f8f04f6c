package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.ByteProcessor;
import java.util.ArrayDeque;

/**
 * Decrypted bytes waiting for their reader: a queue of buffers taken over without copying.
 *
 * <h2>Ownership</h2>
 * The queue owns every buffer {@link #add added} to it. {@link #take(int)} and {@link #takeAll()} hand the caller a
 * buffer it must release: a chunk itself when one chunk fits, a retained slice of a chunk when a chunk is split, or
 * a composite of chunks. {@link #release()} frees whatever is left. Not thread-safe: its owner guards it.
 */
public final class ByteQueue {

    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private final ByteBufAllocator alloc;
    /** Sum of {@code readableBytes()} over {@link #chunks}. */
    private long readable;

    public ByteQueue(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Appends a buffer, taking ownership of it (an empty one is released at once). */
    public void add(ByteBuf buf) {
        if (!buf.isReadable()) {
            buf.release();
            return;
        }
        chunks.addLast(buf);
        readable += buf.readableBytes();
    }

    /** How many bytes are queued. */
    public long readableBytes() {
        return readable;
    }

    /** Whether nothing is queued. */
    public boolean isEmpty() {
        return readable == 0;
    }

    /** The byte at {@code index} (0 = the next byte to be taken), without taking it. */
    public byte getByte(long index) {
        if (index < 0 || index >= readable) {
            throw new IndexOutOfBoundsException("index " + index + ", readable " + readable);
        }
        long skip = index;
        for (ByteBuf chunk : chunks) {
            int n = chunk.readableBytes();
            if (skip < n) {
                return chunk.getByte(chunk.readerIndex() + (int) skip);
            }
            skip -= n;
        }
        throw new IllegalStateException("readable count out of step with chunks");
    }

    /** Takes everything queued; the caller owns the result. Empty queue → an empty buffer. */
    public ByteBuf takeAll() {
        return take((int) Math.min(readable, Integer.MAX_VALUE));
    }

    /**
     * Takes exactly {@code length} bytes (must be {@code <= readableBytes()}); the caller owns the result.
     */
    public ByteBuf take(int length) {
        if (length > readable) {
            throw new IndexOutOfBoundsException("take " + length + " of " + readable);
        }
        if (length == 0) {
            return alloc.buffer(0);
        }
        ByteBuf first = chunks.peekFirst();
        if (first.readableBytes() >= length) {
            return takeFrom(first, length);
        }
        CompositeByteBuf out = alloc.compositeBuffer(Math.max(2, chunks.size()));
        int left = length;
        while (left > 0) {
            ByteBuf chunk = chunks.peekFirst();
            int n = Math.min(left, chunk.readableBytes());
            out.addComponent(true, takeFrom(chunk, n));
            left -= n;
        }
        return out;
    }

    private ByteBuf takeFrom(ByteBuf chunk, int n) {
        readable -= n;
        if (chunk.readableBytes() == n) {
            return chunks.pollFirst();
        }
        // The slice keeps the chunk alive; the chunk's own reference stays with the queue.
        return chunk.readRetainedSlice(n);
    }

    /**
     * Copies up to {@code dst.remaining()} bytes into {@code dst} and takes them (emptied chunks are released);
     * returns how many.
     */
    public int readBytes(java.nio.ByteBuffer dst) {
        int total = 0;
        while (dst.hasRemaining() && readable > 0) {
            ByteBuf chunk = chunks.peekFirst();
            int n = Math.min(dst.remaining(), chunk.readableBytes());
            int limit = dst.limit();
            dst.limit(dst.position() + n);
            chunk.readBytes(dst);
            dst.limit(limit);
            readable -= n;
            total += n;
            if (!chunk.isReadable()) {
                chunks.pollFirst().release();
            }
        }
        return total;
    }

    /** Releases everything queued. */
    public void release() {
        ByteBuf b;
        while ((b = chunks.pollFirst()) != null) {
            b.release();
        }
        readable = 0;
    }

    // ---- Random access and scanning without taking (used by the packet decoders) ----
    // Indices are relative to the next byte to be taken. Each method walks the chunk list once, so it costs
    // O(chunks up to the end of the range + bytes in the range), never O(bytes x chunks).

    /**
     * The index of the first {@code value} in {@code [from, to)}, or -1. Each chunk is searched with
     * {@link ByteBuf#indexOf(int, int, byte)}.
     */
    public long indexOf(byte value, long from, long to) {
        checkRange(from, to);
        long base = 0;
        for (ByteBuf chunk : chunks) {
            if (base >= to) {
                break;
            }
            int n = chunk.readableBytes();
            if (base + n > from) {
                int r = chunk.readerIndex();
                int start = r + (int) (Math.max(from, base) - base);
                int stop = r + (int) (Math.min(to, base + n) - base);
                int found = chunk.indexOf(start, stop, value);
                if (found >= 0) {
                    return base + (found - r);
                }
            }
            base += n;
        }
        return -1;
    }

    /**
     * Feeds the bytes of {@code [from, to)} to {@code processor} in order until it returns {@code false}; returns
     * the index of that byte, or -1 when the processor accepted them all.
     */
    public long forEachByte(long from, long to, ByteProcessor processor) {
        checkRange(from, to);
        long base = 0;
        for (ByteBuf chunk : chunks) {
            if (base >= to) {
                break;
            }
            int n = chunk.readableBytes();
            if (base + n > from) {
                int r = chunk.readerIndex();
                int start = (int) (Math.max(from, base) - base);
                int stop = (int) (Math.min(to, base + n) - base);
                int found = chunk.forEachByte(r + start, stop - start, processor);
                if (found >= 0) {
                    return base + (found - r);
                }
            }
            base += n;
        }
        return -1;
    }

    /** Copies {@code length} bytes starting at {@code index} into {@code dst}, without taking them. */
    public void getBytes(long index, byte[] dst, int dstIndex, int length) {
        checkRange(index, index + length);
        if (dstIndex < 0 || dstIndex + length > dst.length) {
            throw new IndexOutOfBoundsException("dst " + dstIndex + "+" + length + " of " + dst.length);
        }
        long skip = index;
        int copied = 0;
        for (ByteBuf chunk : chunks) {
            if (copied == length) {
                break;
            }
            int n = chunk.readableBytes();
            if (skip >= n) {
                skip -= n;
                continue;
            }
            int m = Math.min(n - (int) skip, length - copied);
            chunk.getBytes(chunk.readerIndex() + (int) skip, dst, dstIndex + copied, m);
            copied += m;
            skip = 0;
        }
    }

    /** The byte at {@code index} as 0..255. */
    public int getUnsignedByte(long index) {
        return getByte(index) & 0xFF;
    }

    /** The big-endian unsigned 16-bit number at {@code index}. */
    public int getUnsignedShort(long index) {
        return (int) getBigEndian(index, 2);
    }

    /** The big-endian unsigned 32-bit number at {@code index}. */
    public long getUnsignedInt(long index) {
        return getBigEndian(index, 4);
    }

    /** The little-endian unsigned 32-bit number at {@code index}. */
    public long getUnsignedIntLE(long index) {
        return Integer.reverseBytes((int) getBigEndian(index, 4)) & 0xFFFFFFFFL;
    }

    /** Discards the next {@code length} bytes (must be {@code <= readableBytes()}), releasing emptied chunks. */
    public void skipBytes(long length) {
        if (length < 0 || length > readable) {
            throw new IndexOutOfBoundsException("skip " + length + " of " + readable);
        }
        long left = length;
        while (left > 0) {
            ByteBuf chunk = chunks.peekFirst();
            int n = chunk.readableBytes();
            if (n <= left) {
                chunks.pollFirst().release();
                left -= n;
            } else {
                chunk.skipBytes((int) left);
                left = 0;
            }
        }
        readable -= length;
    }

    /** Reads {@code width} (at most 8) bytes at {@code index} as a big-endian unsigned number, across chunks. */
    private long getBigEndian(long index, int width) {
        checkRange(index, index + width);
        long value = 0;
        int got = 0;
        long skip = index;
        for (ByteBuf chunk : chunks) {
            int n = chunk.readableBytes();
            if (skip >= n) {
                skip -= n;
                continue;
            }
            for (int i = chunk.readerIndex() + (int) skip; got < width && i < chunk.writerIndex(); i++, got++) {
                value = (value << 8) | chunk.getUnsignedByte(i);
            }
            if (got == width) {
                return value;
            }
            skip = 0;
        }
        throw new IllegalStateException("readable count out of step with chunks");
    }

    private void checkRange(long from, long to) {
        if (from < 0 || to < from || to > readable) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + "), readable " + readable);
        }
    }
}
