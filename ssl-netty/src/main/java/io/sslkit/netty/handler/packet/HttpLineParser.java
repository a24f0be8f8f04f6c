package io.sslkit.netty.handler.packet;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.sslkit.HttpPacket;

/**
 * Parses one HTTP line into an {@link HttpPacket}, with the rules of {@code packet_parse_http} in OTP's
 * {@code packet_parser.c} (written from its behaviour and {@code decode_packet_SUITE}, not its code). A line that
 * breaks them becomes {@link HttpPacket.Error} holding the whole line, as OTP's {@code {http_error, Line}}.
 *
 * <p>OTP is lenient in places and this parser is lenient in the same places: a status line needs no status code
 * ({@code HTTP/1.1 } → status 0), text after a request line's version is ignored, a request line without a version
 * is HTTP/0.9, and an empty line before a request line is an {@code http_error} (OTP does not skip it).
 */
final class HttpLineParser {

    /** OTP keeps at most this many characters of a field name for canonicalisation and lookup. */
    private static final int MAX_NAME = 50;
    /** RFC 2616 separators, which with controls, space and bytes over 127 end a token. */
    private static final String SEPARATORS = "()<>@,;:\\\"/[]?={} \t";

    /** The line being parsed, line break included; {@link #end} excludes it. */
    private final byte[] b;
    private final int end;
    /** The next byte to look at. */
    private int p;

    private HttpLineParser(byte[] line) {
        this.b = line;
        int n = line.length;
        // OTP drops "\r\n" when the second-to-last byte is '\r', else a final '\n'.
        if (n >= 2 && line[n - 2] == '\r') {
            n -= 2;
        } else if (n >= 1 && line[n - 1] == '\n') {
            n -= 1;
        }
        this.end = n;
    }

    /** A request line or a status line ({@code http} before and between messages). */
    static HttpPacket startLine(byte[] line) {
        HttpLineParser parser = new HttpLineParser(line);
        HttpPacket packet = parser.startsWith("HTTP/") ? parser.statusLine() : parser.requestLine();
        return packet != null ? packet : error(line);
    }

    /** A header line, or the empty line that ends the headers ({@code httph}). */
    static HttpPacket header(byte[] line) {
        HttpLineParser parser = new HttpLineParser(line);
        HttpPacket packet = parser.end == 0 ? HttpPacket.EOH : parser.headerLine();
        return packet != null ? packet : error(line);
    }

    private static HttpPacket error(byte[] line) {
        return new HttpPacket.Error(new String(line, ISO_8859_1));
    }

    /** {@code HTTP/Major.Minor SP+ Status? (SP+ Reason)?}, or null. */
    private HttpPacket statusLine() {
        p = "HTTP/".length();
        int[] version = version();
        if (version == null || skipBlanks() == 0) {
            return null;
        }
        int status = digits();
        if (skipBlanks() == 0 && p < end) {
            return null; // the status code runs into other text
        }
        return new HttpPacket.Response(version[0], version[1], status, text(p, end));
    }

    /** {@code Method SP+ Target (SP+ HTTP/Major.Minor)?}, or null. */
    private HttpPacket requestLine() {
        while (p < end && isTokenChar(b[p])) {
            p++;
        }
        if (p == end || p == 0 || !HttpPacketDecoder.isBlank(b[p])) {
            return null;
        }
        String method = text(0, p);
        skipBlanks();
        int target = p;
        while (p < end && !HttpPacketDecoder.isBlank(b[p])) {
            p++;
        }
        if (p == target) {
            return null;
        }
        HttpPacket.Uri uri = HttpUriParser.parse(b, target, p);
        skipBlanks();
        if (p == end) {
            return new HttpPacket.Request(method, uri, 0, 9);
        }
        if (end - p < "HTTP/x.y".length() || !startsWith("HTTP/")) {
            return null;
        }
        p += "HTTP/".length();
        int[] version = version();
        // Whatever follows the version is ignored, as OTP does.
        return version == null ? null : new HttpPacket.Request(method, uri, version[0], version[1]);
    }

    /** {@code Name: Value}, or null. */
    private HttpPacket headerLine() {
        StringBuilder canonical = new StringBuilder();
        boolean upper = true;
        while (isTokenChar(b[p])) {
            if (p < MAX_NAME) {
                char c = (char) (b[p] & 0xFF);
                if (upper) {
                    c = toAsciiUpper(c);
                    upper = false;
                } else if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                } else if (c == '-') {
                    upper = true; // the character after a hyphen is capitalised, even a second hyphen's turn
                }
                canonical.append(c);
            }
            if (++p == end) {
                return null; // no colon
            }
        }
        if (b[p] != ':') {
            return null; // e.g. "Host : x": no blank allowed before the colon
        }
        String raw = text(0, p);
        int bit = 0;
        String field = raw; // names over MAX_NAME are kept as sent
        if (p <= MAX_NAME) {
            field = canonical.toString();
            bit = HttpPacket.KNOWN_FIELDS.indexOf(field) + 1;
        }
        p++;
        skipBlanks();
        return new HttpPacket.Header(bit, field, raw, text(p, end));
    }

    /** {@code Digits.Digits} at {@link #p} as {major, minor}, or null. */
    private int[] version() {
        int start = p;
        int major = digits();
        if (p == start || p == end || b[p] != '.') {
            return null;
        }
        p++;
        start = p;
        int minor = digits();
        return p == start ? null : new int[] {major, minor};
    }

    /** Reads decimal digits at {@link #p}; 0 when there are none. Overflow wraps, as the C int in OTP. */
    private int digits() {
        int value = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            value = value * 10 + (b[p++] - '0');
        }
        return value;
    }

    /** Skips spaces and tabs at {@link #p}; returns how many. */
    private int skipBlanks() {
        int start = p;
        while (p < end && HttpPacketDecoder.isBlank(b[p])) {
            p++;
        }
        return p - start;
    }

    private boolean startsWith(String prefix) {
        if (end - p < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[p + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String text(int from, int to) {
        return new String(b, from, to - from, ISO_8859_1);
    }

    /** A byte that may be part of a method or field name: 33..127 except separators (OTP counts DEL in). */
    static boolean isTokenChar(byte x) {
        int c = x & 0xFF;
        return c > 32 && c < 128 && SEPARATORS.indexOf(c) < 0;
    }

    private static char toAsciiUpper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
    }
}
