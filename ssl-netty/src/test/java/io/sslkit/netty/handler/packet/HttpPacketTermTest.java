package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.bytes;
import static io.sslkit.netty.handler.packet.PacketTesting.feedWhole;
import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.HttpPacket;
import io.sslkit.PacketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request targets as OTP classifies them, and every record printed as the Erlang term it mirrors. */
class HttpPacketTermTest {

    private static String decodeOne(PacketType type, String line) throws InvalidPacketException {
        return feedWhole(PacketDecoders.forType(type, 0), bytes(line)).get(0).toString();
    }

    /** The request line {@code GET <target> HTTP/1.1}, decoded and printed. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        // decode_packet_SUITE:http_uri_variants/0
        "*                                                        | '*'",
        "http://tools.ietf.org/html/rfc3986                        | {absoluteURI,http,\"tools.ietf.org\",undefined,\"/html/rfc3986\"}",
        "http://otp.ericsson.se:8000/product/internal/             | {absoluteURI,http,\"otp.ericsson.se\",8000,\"/product/internal/\"}",
        "https://example.com:8042/over/there?name=ferret#nose      | {absoluteURI,https,\"example.com\",8042,\"/over/there?name=ferret#nose\"}",
        "ftp://cnn.example.com&story=breaking_news@10.0.0.1/top_story.htm | {scheme,\"ftp\",\"//cnn.example.com&story=breaking_news@10.0.0.1/top_story.htm\"}",
        "/some/absolute/path                                      | {abs_path,\"/some/absolute/path\"}",
        "something_else                                           | \"something_else\"",
        // OTP 26+: IPv6 literals; ports that are absent, 0 or not all digits are undefined
        "http://[::1]:4000/x                                      | {absoluteURI,http,\"[::1]\",4000,\"/x\"}",
        "http://[::1]/x                                           | {absoluteURI,http,\"[::1]\",undefined,\"/x\"}",
        "HTTP://host:0                                            | {absoluteURI,http,\"host\",undefined,\"/\"}",
        "http://host:80a/                                         | {absoluteURI,http,\"host\",undefined,\"/\"}",
        "x                                                        | {abs_path,\"x\"}",
        "example.com:443                                          | {scheme,\"example.com\",\"443\"}",
    })
    void requestTargets(String target, String term) throws Exception {
        assertThat(decodeOne(PacketType.HTTP, "GET " + target.strip() + " HTTP/1.1\r\n"))
                .isEqualTo("{http_request,'GET'," + term.strip() + ",{1,1}}");
    }

    @Test
    void termsPrintAsErlangPrintsThem() throws Exception {
        assertThat(decodeOne(PacketType.HTTP, "GET / HTTP/1.1\r\n")).isEqualTo("{http_request,'GET',{abs_path,\"/\"},{1,1}}");
        assertThat(decodeOne(PacketType.HTTP, "PATCH /p HTTP/1.1\r\n"))
                .isEqualTo("{http_request,\"PATCH\",{abs_path,\"/p\"},{1,1}}");
        assertThat(decodeOne(PacketType.HTTP, "HTTP/1.1 200 OK\r\n")).isEqualTo("{http_response,{1,1},200,\"OK\"}");
        assertThat(decodeOne(PacketType.HTTP, "HTTP/1.1 200\r\n")).isEqualTo("{http_response,{1,1},200,[]}");
        assertThat(decodeOne(PacketType.HTTPH, "content-length: 42\r\n\r\n"))
                .isEqualTo("{http_header,38,'Content-Length',\"content-length\",\"42\"}");
        assertThat(decodeOne(PacketType.HTTPH, "X-Quote: say \"hi\" \\o/\r\n\r\n"))
                .isEqualTo("{http_header,0,\"X-Quote\",\"X-Quote\",\"say \\\"hi\\\" \\\\o/\"}");
        assertThat(decodeOne(PacketType.HTTPH, "X-Empty:\r\n\r\n")).isEqualTo("{http_header,0,\"X-Empty\",\"X-Empty\",[]}");
        assertThat(decodeOne(PacketType.HTTPH, "\r\n")).isEqualTo("http_eoh");
        assertThat(decodeOne(PacketType.HTTP, "garbage\r\n")).isEqualTo("{http_error,\"garbage\\r\\n\"}");
    }

    @Test
    void nonPrintableTextPrintsAsAList() {
        assertThat(new HttpPacket.Error("a\u0001\n").toString()).isEqualTo("{http_error,[97,1,10]}");
        assertThat(new HttpPacket.Error("caf\u00e9\n").toString()).isEqualTo("{http_error,\"caf\u00e9\\n\"}");
    }
}
