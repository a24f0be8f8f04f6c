package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.buf;
import static io.sslkit.netty.handler.packet.PacketTesting.bytes;
import static io.sslkit.netty.handler.packet.PacketTesting.expectInvalid;
import static io.sslkit.netty.handler.packet.PacketTesting.feedByteByByte;
import static io.sslkit.netty.handler.packet.PacketTesting.feedWhole;
import static io.sslkit.netty.handler.packet.PacketTesting.queue;
import static io.sslkit.netty.handler.packet.PacketTesting.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.HttpPacket;
import io.sslkit.HttpPacket.AbsPath;
import io.sslkit.HttpPacket.Header;
import io.sslkit.HttpPacket.Request;
import io.sslkit.HttpPacket.Response;
import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;
import io.sslkit.netty.handler.packet.PacketTesting.Arrival;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code {packet, http | http_bin | httph | httph_bin}}. Expected values follow OTP's
 * {@code erts/emulator/test/decode_packet_SUITE.erl} ({@code http/1}, {@code packet_size/1}) where it has them.
 */
class HttpDecoderTest {

    private static final String REQUEST = "POST /invalid/url HTTP/1.1\r\n"
            + "Connection: close\r\n"
            + "User-Agent: perl post\r\n"
            + "Content-Length: 4\r\n"
            + "Content-Type: text/xml; charset=utf-8\r\n"
            + "Other-Field: with some text\r\n"
            + "\r\n"
            + "body";

    private static final List<HttpPacket> REQUEST_PACKETS = List.of(
            new Request("POST", new AbsPath("/invalid/url"), 1, 1),
            new Header(2, "Connection", "Connection", "close"),
            new Header(24, "User-Agent", "User-Agent", "perl post"),
            new Header(38, "Content-Length", "Content-Length", "4"),
            new Header(42, "Content-Type", "Content-Type", "text/xml; charset=utf-8"),
            new Header(0, "Other-Field", "Other-Field", "with some text"),
            HttpPacket.EOH);

    @ParameterizedTest
    @EnumSource(value = PacketType.class, names = {"HTTP", "HTTP_BIN"})
    void requestHeadersThenTheBodyRawFromTheSameQueue(PacketType type) throws Exception {
        PacketDecoder http = PacketDecoders.forType(type, 0);
        ByteQueue q = queue();
        q.add(buf(bytes(REQUEST)));
        for (HttpPacket expected : REQUEST_PACKETS) {
            assertThat(http.decode(q)).isEqualTo(expected);
        }
        // Scenario 30: after http_eoh, setopts([{packet, raw}]) reads the body.
        assertThat(settle(PacketDecoders.forType(PacketType.RAW, 0).decode(q))).isEqualTo("body");
        q.release();
    }

    @Test
    void oneBytePerAddGivesTheSamePacketsAndHeadersWaitForTheNextLine() throws Exception {
        List<Arrival> got = feedByteByByte(PacketDecoders.forType(PacketType.HTTP, 0), bytes(REQUEST));
        assertThat(got).extracting(Arrival::packet).containsExactlyElementsOf(REQUEST_PACKETS);
        // The request line is complete at its newline; a header only once the next line has started.
        assertThat(got.get(0).afterBytes()).isEqualTo("POST /invalid/url HTTP/1.1\r\n".length());
        assertThat(got.get(1).afterBytes()).isEqualTo(got.get(0).afterBytes() + "Connection: close\r\n".length() + 1);
    }

    @Test
    void response() throws Exception {
        String in = "HTTP/1.0 404 Object Not Found\r\nServer: inets/4.7.16\r\n"
                + "Date: Fri, 04 Jul 2008 17:16:22 GMT\r\nContent-Length: 207\r\n\r\n";
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP, 0), bytes(in))).containsExactly(
                new Response(1, 0, 404, "Object Not Found"),
                new Header(30, "Server", "Server", "inets/4.7.16"),
                new Header(3, "Date", "Date", "Fri, 04 Jul 2008 17:16:22 GMT"),
                new Header(38, "Content-Length", "Content-Length", "207"),
                HttpPacket.EOH);
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP, 0), bytes("HTTP/1.1 200\r\n")))
                .containsExactly(new Response(1, 1, 200, ""));
    }

    @Test
    void afterTheEmptyLineTheNextMessageStartsAgain() throws Exception {
        String two = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.0\r\n\r\n";
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP, 0), bytes(two))).containsExactly(
                new Request("GET", new AbsPath("/a"), 1, 1), new Header(14, "Host", "Host", "x"), HttpPacket.EOH,
                new Request("GET", new AbsPath("/b"), 1, 0), HttpPacket.EOH);
    }

    @Test
    void malformedLinesAreHttpErrorsNotExceptions() throws Exception {
        // decode_packet_SUITE:http/1, each line followed by "a" (a line starting with a blank would continue the
        // previous header, so they are decoded one by one).
        for (String line : List.of("Host\t: localhost:8000\r\n", "Host : localhost:8000\r\n", " : localhost:8000\r\n",
                "NoColon\r\n")) {
            assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTPH, 0), bytes(line + "a")))
                    .containsExactly(new HttpPacket.Error(line));
        }
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTPH, 0), bytes("A: 1\r\n : more\r\nB")))
                .containsExactly(new Header(0, "A", "A", "1\r\n : more"));
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP, 0),
                bytes("garbage\r\nGET/ HTTP/1.1\r\nHTTP/1.1 200OK\r\nHTTP/x.1 200 OK\r\nGET / HTTP/1\r\n"
                        + "GET / FTP/1.1\r\n")))
                .extracting(p -> p.getClass().getSimpleName()).containsOnly("Error");
    }

    @Test
    void anErrorKeepsTheModeAndAnEmptyLineBeforeARequestIsAnError() throws Exception {
        // OTP's decode_packet does not skip empty lines before a request line: it returns {http_error, "\r\n"}.
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP, 0), bytes("\r\n\nGET / HTTP/1.1\r\n")))
                .containsExactly(new HttpPacket.Error("\r\n"), new HttpPacket.Error("\n"),
                        new Request("GET", new AbsPath("/"), 1, 1));
    }

    @Test
    void httphStaysInHeaderMode() throws Exception {
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTPH_BIN, 0),
                bytes("Host: a\r\n\r\nGET / HTTP/1.1\r\n\r\n"))).containsExactly(new Header(14, "Host", "Host", "a"),
                HttpPacket.EOH, new HttpPacket.Error("GET / HTTP/1.1\r\n"), HttpPacket.EOH);
    }

    @Test
    void headerNamesAreCanonicalisedAsOtpDoes() throws Exception {
        String in = "Content--Type: a\r\nContent---Type: b\r\nCONTENT-type: c\r\nOTHER-field: d\r\n"
                + "Make-sure-a-LONG-HEaDer-fIeLd-is-fORMATTED-NicelY: e\r\nwww-authenticate: f\r\n"
                + "content-md5: g\r\netag: h\r\n"
                + "X".repeat(51) + "-x: i\r\n\r\n";
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTPH, 0), bytes(in))).containsExactly(
                new Header(0, "Content--type", "Content--Type", "a"),
                new Header(0, "Content---Type", "Content---Type", "b"),
                new Header(42, "Content-Type", "CONTENT-type", "c"),
                new Header(0, "Other-Field", "OTHER-field", "d"),
                new Header(0, "Make-Sure-A-Long-Header-Field-Is-Formatted-Nicely",
                        "Make-sure-a-LONG-HEaDer-fIeLd-is-fORMATTED-NicelY", "e"),
                new Header(33, "Www-Authenticate", "www-authenticate", "f"),
                new Header(40, "Content-Md5", "content-md5", "g"),
                new Header(43, "Etag", "etag", "h"),
                new Header(0, "X".repeat(51) + "-x", "X".repeat(51) + "-x", "i"), // over 50: kept as sent
                HttpPacket.EOH);
    }

    @Test
    void everyKnownFieldHasItsBitAndEveryKnownMethodIsRecognised() throws Exception {
        for (int i = 0; i < HttpPacket.KNOWN_FIELDS.size(); i++) {
            String f = HttpPacket.KNOWN_FIELDS.get(i);
            assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTPH, 0), bytes(f + ": dummy value\r\nRest")))
                    .containsExactly(new Header(i + 1, f, f, "dummy value"));
        }
        for (String m : HttpPacket.KNOWN_METHODS) {
            List<Object> got = feedWhole(PacketDecoders.forType(PacketType.HTTP, 0),
                    bytes(m + " /invalid/url HTTP/1.0\r\n"));
            assertThat(got).containsExactly(new Request(m, new AbsPath("/invalid/url"), 1, 0));
            assertThat(((Request) got.get(0)).isKnownMethod()).isTrue();
        }
        Request patch = (Request) feedWhole(PacketDecoders.forType(PacketType.HTTP, 0),
                bytes("PATCH / HTTP/1.1\r\n")).get(0);
        assertThat(patch.isKnownMethod()).isFalse();
    }

    @Test
    void continuationLinesBelongToTheHeader() throws Exception {
        String in = "Multi-Line: Once upon a time,\r\n there lived\r\n\tof the castle.\r\nNext: x\r\n\r\n";
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTPH, 0), bytes(in))).containsExactly(
                new Header(0, "Multi-Line", "Multi-Line", "Once upon a time,\r\n there lived\r\n\tof the castle."),
                new Header(0, "Next", "Next", "x"), HttpPacket.EOH);
    }

    @Test
    void headerLinesLargerThan16KiB() throws Exception {
        String big = "v".repeat(40_000);
        String in = "GET / HTTP/1.1\r\nX-Big: " + big + "\r\n\r\n";
        assertThat(PacketTesting.feedRandomly(PacketDecoders.forType(PacketType.HTTP, 0), bytes(in),
                new java.util.Random(5))).containsExactly(new Request("GET", new AbsPath("/"), 1, 1),
                new Header(0, "X-Big", "X-Big", big), HttpPacket.EOH);
    }

    @Test
    void http09RequestAndBareNewlines() throws Exception {
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP, 0), bytes("GET /\nHost: h\n\n")))
                .containsExactly(new Request("GET", new AbsPath("/"), 0, 9), new Header(14, "Host", "Host", "h"),
                        HttpPacket.EOH);
    }

    @Test
    void packetSizeLimitsLinesAsInOtpsPacketSizeTest() throws Exception {
        String head = "GET / HTTP/1.1\r\nHost: localhost\r\nLink: /";
        String ok = head + "Y".repeat(64) + "\r\n\r\n";
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP, 128), bytes(ok))).hasSize(4);
        String tooLong = head + "Y".repeat(129) + "\r\n\r\n";
        expectInvalid(PacketDecoders.forType(PacketType.HTTP, 128), bytes(tooLong),
                new Request("GET", new AbsPath("/"), 1, 1), new Header(14, "Host", "Host", "localhost"));
        // Without a newline, packet_size bytes already make the line invalid; fewer wait.
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP, 10), bytes("GET / HTT"))).isEmpty();
        expectInvalid(PacketDecoders.forType(PacketType.HTTP, 10), bytes("GET / HTTP"));
        expectInvalid(PacketDecoders.forType(PacketType.HTTP, 10), bytes("GET / HTTP/1.1\r\n"));
        // The bare empty line passes whatever the limit.
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTPH, 1), bytes("\r\n")))
                .containsExactly(HttpPacket.EOH);
    }

    @Test
    void binVariantsDecodeToTheSameRecords() throws Exception {
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTP_BIN, 0), bytes(REQUEST)))
                .containsExactlyElementsOf(REQUEST_PACKETS);
        assertThat(feedWhole(PacketDecoders.forType(PacketType.HTTPH_BIN, 0), bytes("Host: a\r\n\r\n")))
                .containsExactly(new Header(14, "Host", "Host", "a"), HttpPacket.EOH);
    }

    @Test
    void bytesOver127SurviveAsLatin1() throws Exception {
        byte[] in = PacketTesting.concat(bytes("X-Bin: "), new byte[] {(byte) 0xE9, (byte) 0xFF}, bytes("\r\n\r\n"));
        Header h = (Header) feedWhole(PacketDecoders.forType(PacketType.HTTPH, 0), in).get(0);
        assertThat(h.value().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo(new byte[] {(byte) 0xE9, (byte) 0xFF});
    }
}
