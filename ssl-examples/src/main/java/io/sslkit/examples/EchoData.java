package io.sslkit.examples;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The bytes {@code echo-client} sends and expects back: a block repeated with an offset, so that gigabytes can be
 * generated and checked at memory speed.
 *
 * <p>The byte at stream position {@code p} is {@code block[p % period]}. The block is random (or, for
 * {@code packet line}, random text lines), its period is not a power of two so that it never lines up with TLS
 * records or send sizes, and it is stored twice in a row so that any window of up to {@code period} bytes is one
 * contiguous slice: sending is a {@link ByteBuffer} view, checking is {@link Arrays#mismatch} (vectorized by the
 * JIT), with no per-byte work in Java. A lost, duplicated or reordered range shows up unless it is a whole
 * multiple of the period long and lands exactly a period away, which the random block makes vanishingly unlikely
 * for the faults TCP and TLS can have.
 */
final class EchoData {

    /** Period of generated data: 1 MiB + 4099 bytes (odd, not aligned with records or sends). */
    static final int PERIOD = (1 << 20) + 4099;
    /** Line length of {@code packet line} data: 63 random letters and a newline. */
    static final int LINE = 64;

    private final byte[] doubled;
    private final int period;
    private final long size;

    private EchoData(byte[] block, long size) {
        this.period = block.length;
        this.doubled = Arrays.copyOf(block, 2 * block.length);
        System.arraycopy(block, 0, doubled, block.length, block.length);
        this.size = size;
    }

    /** {@code bytes} pseudo-random bytes. */
    static EchoData random(long bytes, long seed) {
        byte[] block = new byte[(int) Math.min(PERIOD, Math.max(1, bytes))];
        new SplittableRandom(seed).nextBytes(block);
        return new EchoData(block, bytes);
    }

    /**
     * Random text lines for {@code packet line}: {@code bytes} rounded up to whole lines of {@value #LINE} bytes,
     * so that the last line has its newline and the peer can deliver it.
     */
    static EchoData lines(long bytes, long seed) {
        long total = (bytes + LINE - 1) / LINE * LINE;
        int lines = (int) Math.min(PERIOD / LINE, Math.max(1, total / LINE));
        byte[] block = new byte[lines * LINE];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < block.length; i++) {
            block[i] = (i % LINE == LINE - 1) ? (byte) '\n' : (byte) ('a' + r.nextInt(26));
        }
        return new EchoData(block, total);
    }

    /** Exactly these bytes. */
    static EchoData message(byte[] text) {
        if (text.length == 0) {
            throw new IllegalArgumentException("empty message");
        }
        return new EchoData(text, text.length);
    }

    /** How many bytes the stream has. */
    long size() {
        return size;
    }

    /** A view of at most {@code max} bytes from stream position {@code pos} (never past the end). */
    ByteBuffer slice(long pos, int max) {
        int at = (int) (pos % period);
        int n = (int) Math.min(Math.min(max, period), size - pos);
        return ByteBuffer.wrap(doubled, at, n);
    }

    /**
     * Where {@code chunk} first differs from the stream at {@code pos}: an index into {@code chunk}, or -1 when it
     * matches. Bytes past the end of the stream never match.
     */
    int mismatch(byte[] chunk, long pos) {
        int off = 0;
        while (off < chunk.length) {
            if (pos + off >= size) {
                return off;
            }
            int at = (int) ((pos + off) % period);
            int n = (int) Math.min(Math.min(chunk.length - off, period), size - pos - off);
            int m = Arrays.mismatch(chunk, off, off + n, doubled, at, at + n);
            if (m >= 0) {
                return off + m;
            }
            off += n;
        }
        return -1;
    }
}
