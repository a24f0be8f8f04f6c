package io.sslkit.netty.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.sslkit.HeaderData;
import io.sslkit.Mode;
import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.SslOptions;
import io.sslkit.Timeout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A socket's emulated options (OTP's {@code emulated_options()}: {@code mode}, {@code packet}, {@code packet_size},
 * {@code header}, plus the send-side {@code send_timeout}/{@code send_timeout_close} and {@code exit_on_close}): an
 * immutable snapshot, swapped whole by {@code setopts} so that readers never see half an update.
 */
public record Emulated(Mode mode, PacketType packet, int packetSize, int header, boolean exitOnClose,
                Timeout sendTimeout, boolean sendTimeoutClose) {

    /** A plain TCP stream's: OTP's {@code [{active,false},{packet,0},{mode,binary}]} after a downgrade. */
    public static final Emulated PLAIN = new Emulated(Mode.BINARY, PacketType.RAW, 0, 0, false, Timeout.INFINITY,
            false);

    public static Emulated of(SslOptions o) {
        return new Emulated(o.get(Opt.MODE), o.get(Opt.PACKET), o.get(Opt.PACKET_SIZE), o.get(Opt.HEADER),
                o.get(Opt.EXIT_ON_CLOSE), o.get(Opt.SEND_TIMEOUT), o.get(Opt.SEND_TIMEOUT_CLOSE));
    }

    /** Whether {@code key} is kept here: every {@linkplain Opt.Kind#EMULATED emulated} option but {@code active}
     *  (which is the active-mode handler's demand). */
    public static boolean handles(Opt<?> key) {
        return key.kind() == Opt.Kind.EMULATED && key != Opt.ACTIVE;
    }

    /** This snapshot with every emulated option of {@code options} changed (the others are ignored). */
    public Emulated with(io.sslkit.SocketOpt<?>... options) {
        Emulated e = this;
        for (io.sslkit.SocketOpt<?> o : options) {
            if (handles(o.key())) {
                e = e.with(o.key(), o.value());
            }
        }
        return e;
    }

    public Emulated with(Opt<?> key, Object v) {
        return new Emulated(
                key == Opt.MODE ? (Mode) v : mode,
                key == Opt.PACKET ? (PacketType) v : packet,
                key == Opt.PACKET_SIZE ? (Integer) v : packetSize,
                key == Opt.HEADER ? (Integer) v : header,
                key == Opt.EXIT_ON_CLOSE ? (Boolean) v : exitOnClose,
                key == Opt.SEND_TIMEOUT ? (Timeout) v : sendTimeout,
                key == Opt.SEND_TIMEOUT_CLOSE ? (Boolean) v : sendTimeoutClose);
    }

    public Object get(Opt<?> key) {
        if (key == Opt.MODE) {
            return mode;
        } else if (key == Opt.PACKET) {
            return packet;
        } else if (key == Opt.PACKET_SIZE) {
            return packetSize;
        } else if (key == Opt.HEADER) {
            return header;
        } else if (key == Opt.EXIT_ON_CLOSE) {
            return exitOnClose;
        } else if (key == Opt.SEND_TIMEOUT) {
            return sendTimeout;
        } else if (key == Opt.SEND_TIMEOUT_CLOSE) {
            return sendTimeoutClose;
        }
        throw new IllegalArgumentException("not emulated: " + key);
    }

    /**
     * The Java shape of one received message, by {@code mode} and {@code header}: {@code byte[]}, a
     * {@link String} of bytes (list), or {@link HeaderData}; decoded packets (HTTP) pass through. Releases a
     * {@link ByteBuf} it is given.
     */
    public Object shape(Object message) {
        if (!(message instanceof ByteBuf buf)) {
            return message;
        }
        byte[] bytes;
        try {
            bytes = ByteBufUtil.getBytes(buf); // no ByteBuf crosses into ssl-api
        } finally {
            buf.release();
        }
        if (mode == Mode.LIST) {
            return new String(bytes, StandardCharsets.ISO_8859_1); // an Erlang string: one char per byte
        }
        if (header > 0) {
            int n = Math.min(header, bytes.length);
            List<Integer> head = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                head.add(bytes[i] & 0xff);
            }
            return new HeaderData(head, java.util.Arrays.copyOfRange(bytes, n, bytes.length));
        }
        return bytes;
    }
}
