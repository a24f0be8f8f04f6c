package io.sslkit.netty.handler.packet;

import io.sslkit.HttpPacket;
import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;

/**
 * The decoder of {@code http}, {@code http_bin}, {@code httph} and {@code httph_bin}: one line (a header with its
 * continuation lines) per call, parsed into an {@link HttpPacket}.
 *
 * <h2>State</h2>
 * {@code http}/{@code http_bin} start in start-line mode; a {@link HttpPacket.Request} or {@link HttpPacket.Response}
 * moves them to header mode and {@link HttpPacket#EOH} back, ready for the next message, as {@code ssl} does by
 * switching its packet type to {@code {http, headers}} and back ({@code ssl_gen_statem:deliver_app_data}).
 * An {@link HttpPacket.Error} changes nothing. {@code httph}/{@code httph_bin} stay in header mode for good.
 *
 * <h2>Line ends</h2>
 * A line ends at {@code '\n'} ({@code "\r\n"} or a bare {@code "\n"}). In header mode a line followed by a space or
 * tab continues on the next line, so a header line is only complete once the first byte after its newline is
 * known: until then decode returns {@code null} (the empty line that ends the headers is complete at once).
 *
 * <h2>packet_size</h2>
 * A line (with its continuation lines) longer than {@code packet_size} is invalid, with OTP's exact timing: as soon
 * as {@code packet_size} bytes without a newline are queued, or when the newline comes too late.
 */
final class HttpPacketDecoder implements PacketDecoder {

    /** The longest line a Java array can hold, the limit when {@code packet_size} is 0. */
    private static final long MAX_LINE = Integer.MAX_VALUE - 8;

    private final PacketType type;
    /** {@code packet_size}: the longest line; 0 = no limit. */
    private final int packetSize;
    /** Whether the next line is a header (else a request or status line). Always true for {@code httph*}. */
    private boolean headerMode;

    HttpPacketDecoder(PacketType type, int packetSize) {
        if (!type.isHttp()) {
            throw new IllegalArgumentException("not an HTTP packet type: " + type);
        }
        this.type = type;
        this.packetSize = packetSize;
        this.headerMode = type == PacketType.HTTPH || type == PacketType.HTTPH_BIN;
    }

    @Override
    public HttpPacket decode(ByteQueue in) throws InvalidPacketException {
        long length = lineLength(in);
        if (length == FrameLengths.MORE) {
            return null;
        }
        byte[] line = new byte[(int) length];
        in.getBytes(0, line, 0, line.length);
        HttpPacket packet = headerMode ? HttpLineParser.header(line) : HttpLineParser.startLine(line);
        in.skipBytes(length);
        switchMode(packet);
        return packet;
    }

    private void switchMode(HttpPacket packet) {
        if (type != PacketType.HTTP && type != PacketType.HTTP_BIN) {
            return;
        }
        if (packet instanceof HttpPacket.Request || packet instanceof HttpPacket.Response) {
            headerMode = true;
        } else if (packet instanceof HttpPacket.EndOfHeaders) {
            headerMode = false;
        }
    }

    /** The length of the next line (with continuation lines in header mode), or {@link FrameLengths#MORE}. */
    private long lineLength(ByteQueue in) throws InvalidPacketException {
        long n = in.readableBytes();
        if (isBareEmptyLine(in, n)) {
            return n; // OTP: a queue holding just the empty line is a packet, whatever the mode and limit
        }
        long from = 0;
        while (true) {
            long newline = in.indexOf((byte) '\n', from, n);
            if (newline < 0) {
                if (packetSize != 0 && n >= packetSize) {
                    throw Invalids.of(in, "HTTP line longer than packet_size " + packetSize);
                }
                return FrameLengths.MORE;
            }
            long length = newline + 1;
            if (headerMode && length < n && isBlank(in.getByte(length)) && length > 2) {
                from = length; // a continuation line: the header goes on
                continue;
            }
            if ((packetSize != 0 && length > packetSize) || length > MAX_LINE) {
                throw Invalids.of(in, "HTTP line of " + length + " bytes over packet_size " + packetSize);
            }
            // In header mode a line that ends the queue may still get a continuation line.
            return headerMode && length == n ? FrameLengths.MORE : length;
        }
    }

    private static boolean isBareEmptyLine(ByteQueue in, long n) {
        return (n == 1 && in.getByte(0) == '\n') || (n == 2 && in.getByte(0) == '\r' && in.getByte(1) == '\n');
    }

    static boolean isBlank(byte b) {
        return b == ' ' || b == '\t';
    }

    @Override
    public String toString() {
        return "PacketDecoder{" + type + (headerMode ? " (headers)" : "")
                + (packetSize == 0 ? "" : ", packet_size=" + packetSize) + "}";
    }
}
