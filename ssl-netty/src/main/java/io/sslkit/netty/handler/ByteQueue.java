package io.sslkit.netty.handler;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayDeque;

/**
 * Decrypted bytes waiting for their reader: a queue of buffers taken over without copying.
 *
 * <h3>Ownership</h3>
 * The queue owns every buffer {@link #add added} to it. {@link #take(int)} and {@link #takeAll()} hand the caller a
 * buffer it must release: a chunk itself when one chunk fits, a retained slice of a chunk when a chunk is split, or
 * a composite of chunks. {@link #release()} frees whatever is left. Not thread-safe: used on one event loop.
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

    /** Releases everything queued. */
    public void release() {
        ByteBuf b;
        while ((b = chunks.pollFirst()) != null) {
            b.release();
        }
        readable = 0;
    }
}
