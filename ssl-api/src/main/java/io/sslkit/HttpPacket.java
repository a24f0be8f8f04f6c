package io.sslkit;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One message of the {@code http}, {@code httph}, {@code http_bin} and {@code httph_bin} packet types: the
 * {@code HttpPacket} term of {@code erlang:decode_packet/3}.
 *
 * <p>Each record mirrors one Erlang term and prints as it ({@link Object#toString()}), for example
 * {@code {http_request,'GET',{abs_path,"/"},{1,1}}}, {@code {http_header,38,'Content-Length',"content-length","4"}}
 * or {@code http_eoh}.
 *
 * <h2>Strings</h2>
 * Erlang gives the text of a line as a byte list ({@code http}, {@code httph}) or a binary ({@code http_bin},
 * {@code httph_bin}). Here it is a Java {@code String} in both cases, decoded as ISO-8859-1 so that each byte becomes
 * the one {@code char} of the same value and nothing is lost: {@code s.getBytes(ISO_8859_1)} gives the bytes back.
 * {@code toString} prints the list form; the {@code _bin} types decode to equal records.
 *
 * <h2>Atoms</h2>
 * OTP returns the seven methods {@link #KNOWN_METHODS} and the 52 header fields {@link #KNOWN_FIELDS} as atoms, and
 * anything else as strings; here both are strings, and {@link Request#isKnownMethod()} and {@link Header#bit()}
 * tell them apart (and decide how {@code toString} prints them).
 */
public sealed interface HttpPacket
        permits HttpPacket.Request, HttpPacket.Response, HttpPacket.Header, HttpPacket.EndOfHeaders,
        HttpPacket.Error {

    /** The methods OTP returns as atoms, e.g. {@code 'GET'}; others are strings. */
    List<String> KNOWN_METHODS = List.of("OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE");

    /**
     * The header fields OTP returns as atoms, in OTP's order: the field at index {@code i} has {@link Header#bit()}
     * {@code i + 1} (OTP's {@code http_hdr_strings} in {@code packet_parser.c}).
     */
    List<String> KNOWN_FIELDS = List.of(
            "Cache-Control", "Connection", "Date", "Pragma", "Transfer-Encoding", "Upgrade", "Via", "Accept",
            "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "From", "Host",
            "If-Modified-Since", "If-Match", "If-None-Match", "If-Range", "If-Unmodified-Since", "Max-Forwards",
            "Proxy-Authorization", "Range", "Referer", "User-Agent", "Age", "Location", "Proxy-Authenticate",
            "Public", "Retry-After", "Server", "Vary", "Warning", "Www-Authenticate", "Allow", "Content-Base",
            "Content-Encoding", "Content-Language", "Content-Length", "Content-Location", "Content-Md5",
            "Content-Range", "Content-Type", "Etag", "Expires", "Last-Modified", "Accept-Ranges", "Set-Cookie",
            "Set-Cookie2", "X-Forwarded-For", "Cookie", "Keep-Alive", "Proxy-Connection");

    /** {@code http_eoh}: the single {@link EndOfHeaders} value. */
    EndOfHeaders EOH = new EndOfHeaders();

    /**
     * {@code {http_request, Method, Uri, {Major, Minor}}}: a request line. A line without a version
     * ({@code GET /}) is HTTP/0.9: {@code {0, 9}}.
     *
     * @param method the method as sent, case kept ({@code GET}, {@code PATCH}, {@code get})
     * @param uri    the request target
     * @param major  the major version
     * @param minor  the minor version
     */
    record Request(String method, Uri uri, int major, int minor) implements HttpPacket {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
        }

        /** Whether OTP returns the method as an atom (one of {@link #KNOWN_METHODS}, case-sensitive). */
        public boolean isKnownMethod() {
            return KNOWN_METHODS.contains(method);
        }

        @Override
        public String toString() {
            String m = isKnownMethod() ? "'" + method + "'" : erlangString(method);
            return "{http_request," + m + "," + uri + ",{" + major + "," + minor + "}}";
        }
    }

    /**
     * {@code {http_response, {Major, Minor}, Status, Reason}}: a status line.
     *
     * @param major  the major version
     * @param minor  the minor version
     * @param status the status code (0 when the line has none, as OTP)
     * @param reason the reason phrase, possibly empty
     */
    record Response(int major, int minor, int status, String reason) implements HttpPacket {
        public Response {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return "{http_response,{" + major + "," + minor + "}," + status + "," + erlangString(reason) + "}";
        }
    }

    /**
     * {@code {http_header, Bit, Field, UnmodifiedField, Value}}: one header line (with its continuation lines).
     *
     * @param bit      OTP's number of a known field: its index in {@link #KNOWN_FIELDS} plus one; 0 for others
     * @param field    the name in OTP's canonical case: first letter and each letter after {@code -} upper case,
     *                 the rest lower case ({@code "content-length"} → {@code "Content-Length"},
     *                 {@code "X-FOO-bar"} → {@code "X-Foo-Bar"}); a name over 50 characters is kept as sent
     * @param rawField the name exactly as sent
     * @param value    the value without leading blanks and without the final line break; continuation lines are
     *                 kept as sent, {@code "\r\n"} and all
     */
    record Header(int bit, String field, String rawField, String value) implements HttpPacket {
        public Header {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(rawField, "rawField");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            String f = bit > 0 ? "'" + field + "'" : erlangString(field);
            return "{http_header," + bit + "," + f + "," + erlangString(rawField) + "," + erlangString(value) + "}";
        }
    }

    /** {@code http_eoh}: the empty line that ends the headers. Use {@link #EOH}. */
    record EndOfHeaders() implements HttpPacket {
        @Override
        public String toString() {
            return "http_eoh";
        }
    }

    /**
     * {@code {http_error, Line}}: a line that is not a valid request/status line or header. Not fatal: the next
     * line is decoded as usual.
     *
     * @param line the whole line as received, line break included
     */
    record Error(String line) implements HttpPacket {
        public Error {
            Objects.requireNonNull(line, "line");
        }

        @Override
        public String toString() {
            return "{http_error," + erlangString(line) + "}";
        }
    }

    /** The request target of a {@link Request}: OTP's {@code HttpUri}. */
    sealed interface Uri permits Star, AbsPath, AbsoluteUri, Scheme, Opaque {
    }

    /** {@code '*'} (as in {@code OPTIONS * HTTP/1.1}). */
    record Star() implements Uri {
        @Override
        public String toString() {
            return "'*'";
        }
    }

    /**
     * {@code {abs_path, Path}}: a target starting with {@code /} (or of at most one character).
     *
     * @param path the path, query included
     */
    record AbsPath(String path) implements Uri {
        public AbsPath {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "{abs_path," + erlangString(path) + "}";
        }
    }

    /**
     * {@code {absoluteURI, http | https, Host, Port | undefined, Path}}: an {@code http://} or {@code https://}
     * target (scheme matched case-insensitively).
     *
     * @param https whether the scheme is {@code https}
     * @param host  the host; an IPv6 literal keeps its brackets ({@code [::1]})
     * @param port  the port, empty when absent, not all digits, or 0 (OTP's {@code undefined})
     * @param path  the path from the first {@code /}, or {@code "/"} when there is none
     */
    record AbsoluteUri(boolean https, String host, OptionalInt port, String path) implements Uri {
        public AbsoluteUri {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            String p = port.isPresent() ? Integer.toString(port.getAsInt()) : "undefined";
            return "{absoluteURI," + (https ? "https" : "http") + "," + erlangString(host) + "," + p + ","
                    + erlangString(path) + "}";
        }
    }

    /**
     * {@code {scheme, Scheme, Rest}}: another {@code scheme:rest} target, split at the first colon.
     *
     * @param scheme the text before the first {@code :}
     * @param rest   the text after it
     */
    record Scheme(String scheme, String rest) implements Uri {
        public Scheme {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(rest, "rest");
        }

        @Override
        public String toString() {
            return "{scheme," + erlangString(scheme) + "," + erlangString(rest) + "}";
        }
    }

    /**
     * A target of no known form, as a bare string (e.g. {@code example.com} in a proxy request).
     *
     * @param text the target as sent
     */
    record Opaque(String text) implements Uri {
        public Opaque {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return erlangString(text);
        }
    }

    /**
     * Prints a byte string as {@code ~p} prints an Erlang list: quoted with escapes when every character is
     * printable Latin-1 ({@code io_lib:printable_latin1_list/1}), {@code []} when empty, else a list of integers.
     */
    private static String erlangString(String s) {
        if (s.isEmpty()) {
            return "[]";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case 0x0B -> "\\v";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case 0x1B -> "\\e";
                default -> null;
            };
            if (escape != null) {
                out.append(escape);
            } else if ((c >= 32 && c <= 126) || (c >= 160 && c <= 255)) {
                out.append(c);
            } else {
                return integerList(s);
            }
        }
        return out.append('"').toString();
    }

    private static String integerList(String s) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < s.length(); i++) {
            out.append(i == 0 ? "" : ",").append((int) s.charAt(i));
        }
        return out.append(']').toString();
    }
}
