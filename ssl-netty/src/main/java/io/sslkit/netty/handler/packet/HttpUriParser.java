package io.sslkit.netty.handler.packet;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.sslkit.HttpPacket;
import java.util.OptionalInt;

/**
 * Classifies a request target as OTP's {@code http_parse_uri} does ({@code packet_parser.c}; IPv6 hosts since
 * OTP 26): {@code *}, {@code {abs_path, P}}, {@code {absoluteURI, http|https, Host, Port, Path}},
 * {@code {scheme, S, Rest}} or a bare string.
 */
final class HttpUriParser {

    private HttpUriParser() {
    }

    /** The target in {@code b[from, to)} (non-empty). */
    static HttpPacket.Uri parse(byte[] b, int from, int to) {
        int len = to - from;
        if (len == 1 && b[from] == '*') {
            return new HttpPacket.Star();
        }
        if (len <= 1 || b[from] == '/') {
            return new HttpPacket.AbsPath(text(b, from, to));
        }
        if (startsWithIgnoreCase(b, from, to, "http://")) {
            return absolute(b, from + "http://".length(), to, false);
        }
        if (startsWithIgnoreCase(b, from, to, "https://")) {
            return absolute(b, from + "https://".length(), to, true);
        }
        int colon = indexOf(b, from, to, ':');
        if (colon < 0) {
            return new HttpPacket.Opaque(text(b, from, to));
        }
        return new HttpPacket.Scheme(text(b, from, colon), text(b, colon + 1, to));
    }

    /** {@code host[:port][/path]} after the scheme; the path defaults to {@code "/"}. */
    private static HttpPacket.Uri absolute(byte[] b, int from, int to, boolean https) {
        int slash = indexOf(b, from, to, '/');
        String path = slash < 0 ? "/" : text(b, slash, to);
        int hostEnd = slash < 0 ? to : slash;
        int colon = indexOf(b, from, hostEnd, ':');
        if (colon < 0) {
            return new HttpPacket.AbsoluteUri(https, text(b, from, hostEnd), OptionalInt.empty(), path);
        }
        int bracket = indexOf(b, from, hostEnd, ']');
        if (b[from] == '[' && bracket >= 0) {
            // [v6]:port. The port counts only when the last colon follows the bracket.
            String host = text(b, from, bracket + 1);
            boolean hasPort = lastIndexOf(b, from, hostEnd, ':') == bracket + 1;
            OptionalInt port = hasPort ? port(b, bracket + 2, hostEnd) : OptionalInt.empty();
            return new HttpPacket.AbsoluteUri(https, host, port, path);
        }
        return new HttpPacket.AbsoluteUri(https, text(b, from, colon), port(b, colon + 1, hostEnd), path);
    }

    /** All of {@code b[from, to)} as a decimal port; empty when not all digits or 0 (OTP: {@code undefined}). */
    private static OptionalInt port(byte[] b, int from, int to) {
        int port = 0;
        int i = from;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            port = port * 10 + (b[i++] - '0');
        }
        return i == to && port != 0 ? OptionalInt.of(port) : OptionalInt.empty();
    }

    private static boolean startsWithIgnoreCase(byte[] b, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A'; // ASCII only, as strncasecmp in the C locale
            }
            if (c != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, int from, int to, char c) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, ISO_8859_1);
    }
}
