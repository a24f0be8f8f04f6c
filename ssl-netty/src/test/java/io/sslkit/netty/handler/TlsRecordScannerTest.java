package io.sslkit.netty.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TlsRecordScanner}: content types at record starts, whatever the buffer boundaries. */
class TlsRecordScannerTest {

    /** Three records: a handshake of 3 bytes, an empty CCS, application data of 300 bytes (a two-byte length). */
    private static byte[] stream() {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(new byte[] {22, 3, 3, 0, 3, 1, 2, 3});
        b.writeBytes(new byte[] {20, 3, 3, 0, 0});
        b.writeBytes(new byte[] {23, 3, 3, 1, 44}).writeZero(300);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    @Test
    void reportsEveryRecordForAnySplit() {
        byte[] s = stream();
        for (int split = 0; split <= s.length; split++) {
            TlsRecordScanner scanner = new TlsRecordScanner();
            List<Integer> seen = new ArrayList<>();
            ByteBuf a = Unpooled.wrappedBuffer(s, 0, split);
            ByteBuf b = Unpooled.wrappedBuffer(s, split, s.length - split);
            assertThat(scanner.scan(a, a.readerIndex(), a.writerIndex(), t -> seen.add(t))).isEqualTo(a.writerIndex());
            assertThat(scanner.scan(b, b.readerIndex(), b.writerIndex(), t -> seen.add(t))).isEqualTo(b.writerIndex());
            assertThat(seen).as("split at %d", split).containsExactly(22, 20, 23);
            assertThat(scanner.atBoundary()).isTrue();
        }
    }

    @Test
    void stopsBeforeARecordAndVisitsItAgainNextTime() {
        byte[] s = stream();
        ByteBuf buf = Unpooled.wrappedBuffer(s);
        TlsRecordScanner scanner = new TlsRecordScanner();
        int stop = scanner.scan(buf, 0, s.length, t -> t != 20);
        assertThat(stop).isEqualTo(8);
        List<Integer> seen = new ArrayList<>();
        assertThat(scanner.scan(buf, stop, s.length, t -> seen.add(t))).isEqualTo(s.length);
        assertThat(seen).containsExactly(20, 23);
    }

    @Test
    void somethingThatIsNotTlsIsLost() {
        ByteBuf buf = Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        TlsRecordScanner scanner = new TlsRecordScanner();
        List<Integer> seen = new ArrayList<>();
        scanner.scan(buf, 0, buf.writerIndex(), t -> seen.add(t));
        assertThat(scanner.lost()).isTrue();
        assertThat(seen).isEmpty();
    }
}
