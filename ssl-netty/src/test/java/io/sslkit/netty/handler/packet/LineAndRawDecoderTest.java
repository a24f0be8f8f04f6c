package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.buf;
import static io.sslkit.netty.handler.packet.PacketTesting.bytes;
import static io.sslkit.netty.handler.packet.PacketTesting.expectInvalid;
import static io.sslkit.netty.handler.packet.PacketTesting.feedByteByByte;
import static io.sslkit.netty.handler.packet.PacketTesting.feedCut;
import static io.sslkit.netty.handler.packet.PacketTesting.feedWhole;
import static io.sslkit.netty.handler.packet.PacketTesting.queue;
import static io.sslkit.netty.handler.packet.PacketTesting.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;
import io.sslkit.netty.handler.packet.PacketTesting.Arrival;
import org.junit.jupiter.api.Test;

/** {@code {packet, line}} and {@code {packet, raw}}. */
class LineAndRawDecoderTest {

    @Test
    void linesKeepTheirNewlineAndAPartialLineWaits() throws Exception {
        // Scenario 30 (packet_line_decode).
        byte[] in = bytes("line1\nline2\npartialend\n");
        int cut = "line1\nline2\npartial".length();
        assertThat(feedCut(PacketDecoders.forType(PacketType.LINE, 0), in, cut))
                .containsExactly("line1\n", "line2\n", "partialend\n");
    }

    @Test
    void oneBytePerAdd() throws Exception {
        assertThat(feedByteByByte(PacketDecoders.forType(PacketType.LINE, 0), bytes("ab\r\n\nc\n")))
                .containsExactly(new Arrival("ab\r\n", 4), new Arrival("\n", 5), new Arrival("c\n", 7));
    }

    @Test
    void everyTwoPieceSplit() throws Exception {
        byte[] in = bytes("first line\nsecond\n");
        for (int cut = 1; cut < in.length; cut++) {
            assertThat(feedCut(PacketDecoders.forType(PacketType.LINE, 0), in, cut))
                    .containsExactly("first line\n", "second\n");
        }
    }

    @Test
    void longLinesWithoutLimit() throws Exception {
        String big = "x".repeat(40_000) + "\n";
        assertThat(PacketTesting.feedRandomly(PacketDecoders.forType(PacketType.LINE, 0), bytes(big + "y\n"),
                new java.util.Random(3))).containsExactly(big, "y\n");
    }

    @Test
    void packetSizeMakesLongerLinesInvalidNotTruncated() throws Exception {
        // decode_packet_SUITE:otp_9389_line, {packet_size, 20}: a 21-byte line → {error, invalid}.
        String line1 = "0123456789012345678\n";
        String line2 = "0123456789\n";
        String line3 = "01234567890123456789\n";
        expectInvalid(PacketDecoders.forType(PacketType.LINE, 20), bytes(line1 + line2 + line3), line1, line2);
    }

    @Test
    void packetSizeWaitsUntilTheLineCannotFit() throws Exception {
        PacketDecoder d = PacketDecoders.forType(PacketType.LINE, 5);
        assertThat(feedWhole(d, bytes("abcde"))).isEmpty(); // "abcd\n" would still fit
        expectInvalid(d, bytes("abcdef"));
        assertThat(feedWhole(d, bytes("abcd\n"))).containsExactly("abcd\n");
    }

    @Test
    void rawTakesEverythingQueuedOrNothing() throws Exception {
        PacketDecoder d = PacketDecoders.forType(PacketType.RAW, 3); // packet_size does not apply to raw
        ByteQueue q = queue();
        assertThat(d.decode(q)).isNull();
        q.add(buf(bytes("hello ")));
        q.add(buf(bytes("world")));
        assertThat(settle(d.decode(q))).isEqualTo("hello world");
        assertThat(d.decode(q)).isNull();
        q.release();
    }
}
