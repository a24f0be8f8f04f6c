package io.sslkit.netty.testing;

/**
 * A deterministic pseudo-random byte stream that both ends compute from the position alone (splitmix64 of each
 * 8-byte block), so that a receiver checks hundreds of MB byte for byte without keeping them.
 */
public final class Pattern {

    private final long seed;

    public Pattern(long seed) {
        this.seed = seed;
    }

    /** The byte at stream position {@code pos}. */
    public byte at(long pos) {
        return (byte) (mix(seed + (pos >>> 3)) >>> ((pos & 7) << 3));
    }

    /** Fills {@code dst[off, off+len)} with the stream from position {@code pos}. */
    public void fill(byte[] dst, int off, int len, long pos) {
        long block = -1;
        long value = 0;
        for (int i = 0; i < len; i++) {
            long p = pos + i;
            if ((p >>> 3) != block) {
                block = p >>> 3;
                value = mix(seed + block);
            }
            dst[off + i] = (byte) (value >>> ((p & 7) << 3));
        }
    }

    /** The index in {@code data} of the first byte that differs from the stream at {@code pos}, or -1. */
    public int firstMismatch(byte[] data, long pos) {
        long block = -1;
        long value = 0;
        for (int i = 0; i < data.length; i++) {
            long p = pos + i;
            if ((p >>> 3) != block) {
                block = p >>> 3;
                value = mix(seed + block);
            }
            if (data[i] != (byte) (value >>> ((p & 7) << 3))) {
                return i;
            }
        }
        return -1;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
