package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.buf;
import static io.sslkit.netty.handler.packet.PacketTesting.bytes;
import static io.sslkit.netty.handler.packet.PacketTesting.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sslkit.netty.handler.ByteQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The random-access and scanning methods the packet decoders added to {@link ByteQueue}. */
class ByteQueueScanTest {

    private ByteQueue q;
    private final List<ByteBuf> added = new ArrayList<>();

    @BeforeEach
    void fill() {
        q = queue();
        // "abc" | "d" | "efgh\n" | "ij\nk": chunk boundaries at 3, 4, 9
        for (String part : List.of("abc", "d", "efgh\n", "ij\nk")) {
            ByteBuf b = buf(bytes(part));
            added.add(b);
            q.add(b);
        }
    }

    @AfterEach
    void release() {
        q.release();
        assertThat(added).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void indexOfFindsAcrossChunksWithinRange() {
        assertThat(q.indexOf((byte) '\n', 0, q.readableBytes())).isEqualTo(8);
        assertThat(q.indexOf((byte) '\n', 9, q.readableBytes())).isEqualTo(11);
        assertThat(q.indexOf((byte) '\n', 0, 8)).isEqualTo(-1); // to is exclusive
        assertThat(q.indexOf((byte) 'a', 1, 13)).isEqualTo(-1);
        assertThat(q.indexOf((byte) 'd', 3, 4)).isEqualTo(3);
        assertThat(q.indexOf((byte) 'k', 5, 5)).isEqualTo(-1);
    }

    @Test
    void indexOfSkipsTakenBytes() {
        q.take(5).release(); // "abcde" gone; a partly read chunk remains first
        assertThat(q.indexOf((byte) 'f', 0, q.readableBytes())).isEqualTo(0);
        assertThat(q.indexOf((byte) '\n', 0, q.readableBytes())).isEqualTo(3);
    }

    @Test
    void forEachByteStopsWhereTheProcessorSaysNo() {
        assertThat(q.forEachByte(0, q.readableBytes(), b -> b != 'g')).isEqualTo(6);
        assertThat(q.forEachByte(2, 6, b -> b >= 'a')).isEqualTo(-1);
        assertThat(q.forEachByte(7, q.readableBytes(), b -> b != '\n')).isEqualTo(8);
    }

    @Test
    void getBytesCopiesAcrossChunks() {
        byte[] dst = new byte[8];
        q.getBytes(2, dst, 1, 6);
        assertThat(new String(dst, 1, 6, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("cdefgh");
        assertThat(q.readableBytes()).isEqualTo(13);
    }

    @Test
    void numbersReadBigAndLittleEndianAcrossChunks() {
        assertThat(q.getUnsignedByte(3)).isEqualTo('d');
        assertThat(q.getUnsignedShort(2)).isEqualTo(('c' << 8) | 'd');
        assertThat(q.getUnsignedInt(2)).isEqualTo(((long) 'c' << 24) | ('d' << 16) | ('e' << 8) | 'f');
        assertThat(q.getUnsignedIntLE(2)).isEqualTo(((long) 'f' << 24) | ('e' << 16) | ('d' << 8) | 'c');
        ByteQueue high = queue();
        high.add(buf(new byte[] {(byte) 0xFF, (byte) 0xFE}));
        high.add(buf(new byte[] {(byte) 0xFD, (byte) 0xFC}));
        assertThat(high.getUnsignedInt(0)).isEqualTo(0xFFFEFDFCL);
        assertThat(high.getUnsignedIntLE(0)).isEqualTo(0xFCFDFEFFL);
        assertThat(high.getUnsignedShort(1)).isEqualTo(0xFEFD);
        high.release();
    }

    @Test
    void skipBytesReleasesEmptiedChunks() {
        q.skipBytes(4);
        assertThat(added.get(0).refCnt()).isZero();
        assertThat(added.get(1).refCnt()).isZero();
        assertThat(q.readableBytes()).isEqualTo(9);
        q.skipBytes(2);
        assertThat(added.get(2).refCnt()).isEqualTo(1);
        assertThat(q.getByte(0)).isEqualTo((byte) 'g');
        q.skipBytes(0);
        assertThat(q.readableBytes()).isEqualTo(7);
    }

    @Test
    void rangesOutsideTheQueueAreRefused() {
        assertThatThrownBy(() -> q.indexOf((byte) 0, 0, 14)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> q.forEachByte(-1, 2, b -> true)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> q.getBytes(10, new byte[4], 0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> q.getBytes(0, new byte[2], 0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> q.getUnsignedInt(10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> q.skipBytes(14)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(q.readableBytes()).isEqualTo(13);
    }
}
