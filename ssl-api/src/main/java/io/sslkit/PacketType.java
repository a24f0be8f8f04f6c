package io.sslkit;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code packet} option: how the decrypted stream is cut into messages, as {@code erlang:decode_packet/3} does.
 * On send, {@link #ONE}/{@link #TWO}/{@link #FOUR} prepend a big-endian length header; the other types are sent as
 * given.
 */
public enum PacketType {
    /** {@code raw} (also {@code 0}): bytes as they come, boundaries not kept. */
    RAW("raw", 0),
    /** {@code 1}: one-byte length header. */
    ONE("1", 1),
    /** {@code 2}: two-byte big-endian length header. */
    TWO("2", 2),
    /** {@code 4}: four-byte big-endian length header. */
    FOUR("4", 4),
    /** {@code line}: one line per message, newline included. */
    LINE("line", 0),
    /** {@code asn1}: one BER TLV. */
    ASN1("asn1", 0),
    /** {@code tpkt}: RFC 1006 TPKT. */
    TPKT("tpkt", 0),
    /** {@code cdr}: CORBA GIOP 1.x message. */
    CDR("cdr", 0),
    /** {@code sunrm}: Sun RPC record marking. */
    SUNRM("sunrm", 0),
    /** {@code fcgi}: FastCGI record. */
    FCGI("fcgi", 0),
    /** {@code http}: an HTTP request/status line, then header lines ({@code httph}) until the empty line. */
    HTTP("http", 0),
    /** {@code httph}: HTTP header lines. */
    HTTPH("httph", 0),
    /** {@code http_bin}: as {@link #HTTP}, strings as binaries. */
    HTTP_BIN("http_bin", 0),
    /** {@code httph_bin}: as {@link #HTTPH}, strings as binaries. */
    HTTPH_BIN("httph_bin", 0);

    private final String erlangName;
    private final int headerSize;

    PacketType(String erlangName, int headerSize) {
        this.erlangName = erlangName;
        this.headerSize = headerSize;
    }

    /** The Erlang atom or number, e.g. {@code raw}, {@code 4}, {@code http_bin}. */
    public String erlangName() {
        return erlangName;
    }

    /** The length-header size of 1/2/4; 0 for the other types. */
    public int headerSize() {
        return headerSize;
    }

    /** Whether this is one of the HTTP types, whose messages are {@link HttpPacket}s rather than bytes. */
    public boolean isHttp() {
        return this == HTTP || this == HTTPH || this == HTTP_BIN || this == HTTPH_BIN;
    }

    /** Looks a type up by its Erlang name; {@code "0"} is {@link #RAW}. */
    public static Optional<PacketType> fromName(String name) {
        if ("0".equals(name)) {
            return Optional.of(RAW);
        }
        return Arrays.stream(values()).filter(t -> t.erlangName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return erlangName;
    }
}
