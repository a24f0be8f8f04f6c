package io.sslkit;

import java.util.List;
import java.util.Objects;

/**
 * A socket option key for {@code ssl:setopts/2} and {@code ssl:getopts/2}, typed by its value:
 *
 * <pre>{@code
 * socket.setopts(Opt.ACTIVE.of(Active.ONCE));
 * Active a = socket.getopt(Opt.ACTIVE);
 * }</pre>
 *
 * <p>Each option has a {@link Kind}: {@linkplain Kind#EMULATED emulated} options act on the decrypted stream in
 * sslkit ({@code active}, {@code mode}, {@code packet}, {@code packet_size}, {@code header}, {@code exit_on_close},
 * {@code send_timeout}, {@code send_timeout_close}); {@linkplain Kind#INET inet} options are passed to TCP;
 * {@linkplain Kind#BIND bind} options ({@code backlog}, {@code ip}) are fixed when the socket is made, and
 * {@code setopts} refuses them with {@code {options, {socket_options, {Name, Value}, einval}}}.
 *
 * @param <T> the value type
 */
public final class Opt<T> {

    /** {@code active}: how data reaches the owner. Default {@code false} (see {@link SslOptions.Builder#active}). */
    public static final Opt<Active> ACTIVE = new Opt<>("active", Active.class, Active.FALSE, Kind.EMULATED, v -> true);
    /** {@code mode}: {@code binary} (default here; OTP's is {@code list}) or {@code list}. */
    public static final Opt<Mode> MODE = new Opt<>("mode", Mode.class, Mode.BINARY, Kind.EMULATED, v -> true);
    /** {@code packet}: how the stream is cut into messages. Default {@code raw}. */
    public static final Opt<PacketType> PACKET = new Opt<>("packet", PacketType.class, PacketType.RAW, Kind.EMULATED,
            v -> true);
    /** {@code packet_size}: the largest packet accepted, in bytes; 0 = no limit (default). */
    public static final Opt<Integer> PACKET_SIZE = new Opt<>("packet_size", Integer.class, 0, Kind.EMULATED,
            v -> v >= 0 && v <= 0x7fffffff);
    /** {@code header}: in binary mode, deliver the first N bytes as numbers ({@link HeaderData}). Default 0. */
    public static final Opt<Integer> HEADER = new Opt<>("header", Integer.class, 0, Kind.EMULATED, v -> v >= 0);
    /**
     * {@code exit_on_close}: whether a passive socket is closed when the peer has closed its side. Default
     * {@code true}; {@code false} keeps it open for sending after {@code recv} said {@code closed} (half-close).
     */
    public static final Opt<Boolean> EXIT_ON_CLOSE = new Opt<>("exit_on_close", Boolean.class, true, Kind.EMULATED,
            v -> true);
    /** {@code nodelay}: TCP_NODELAY. Default {@code false} (OTP). */
    public static final Opt<Boolean> NODELAY = new Opt<>("nodelay", Boolean.class, false, Kind.INET, v -> true);
    /** {@code keepalive}: SO_KEEPALIVE. Default {@code false}. */
    public static final Opt<Boolean> KEEPALIVE = new Opt<>("keepalive", Boolean.class, false, Kind.INET, v -> true);
    /** {@code reuseaddr}: SO_REUSEADDR. Default {@code false}. */
    public static final Opt<Boolean> REUSEADDR = new Opt<>("reuseaddr", Boolean.class, false, Kind.INET, v -> true);
    /** {@code sndbuf}: SO_SNDBUF in bytes; 0 = the system's (default). */
    public static final Opt<Integer> SNDBUF = new Opt<>("sndbuf", Integer.class, 0, Kind.INET, v -> v >= 0);
    /** {@code recbuf}: SO_RCVBUF in bytes; 0 = the system's (default). */
    public static final Opt<Integer> RECBUF = new Opt<>("recbuf", Integer.class, 0, Kind.INET, v -> v >= 0);
    /** {@code send_timeout}: how long {@code send} may block on back-pressure. Default infinity. */
    public static final Opt<Timeout> SEND_TIMEOUT = new Opt<>("send_timeout", Timeout.class, Timeout.INFINITY,
            Kind.EMULATED, v -> true);
    /** {@code send_timeout_close}: close the socket when a send times out. Default {@code false}. */
    public static final Opt<Boolean> SEND_TIMEOUT_CLOSE = new Opt<>("send_timeout_close", Boolean.class, false,
            Kind.EMULATED, v -> true);
    /** {@code backlog}: the listen queue length. Default 128. */
    public static final Opt<Integer> BACKLOG = new Opt<>("backlog", Integer.class, 128, Kind.BIND, v -> v >= 0);
    /** {@code ip}: the local address to bind (listen, or the client side of connect). Default: any. */
    public static final Opt<java.net.InetAddress> IP = new Opt<>("ip", java.net.InetAddress.class, null, Kind.BIND,
            v -> true);
    /** {@code linger}: SO_LINGER in seconds; -1 = off (default). */
    public static final Opt<Integer> LINGER = new Opt<>("linger", Integer.class, -1, Kind.INET, v -> v >= -1);
    /**
     * {@code high_watermark}: bytes queued for sending above which {@code send} blocks. Default 262144 (OTP's
     * port queue default is 8 KiB, but a blocked sender here costs a thread hand-off each time: with 64 KiB a 1 KiB
     * send loop ran at half the rate it has with 256 KiB; a slow peer can cost this much memory per connection).
     */
    public static final Opt<Integer> HIGH_WATERMARK = new Opt<>("high_watermark", Integer.class, 256 * 1024,
            Kind.INET, v -> v > 0);
    /** {@code low_watermark}: bytes queued for sending below which a blocked {@code send} goes on. Default 131072. */
    public static final Opt<Integer> LOW_WATERMARK = new Opt<>("low_watermark", Integer.class, 128 * 1024,
            Kind.INET, v -> v >= 0);

    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final Kind kind;
    private final java.util.function.Predicate<T> valid;

    /** Where an option acts: this is the one place that says it. */
    public enum Kind {
        /** On the decrypted stream, by sslkit (OTP's {@code emulated_options()} and the send-side ones). */
        EMULATED,
        /** Passed to TCP; {@code setopts} may change it on a live socket. */
        INET,
        /** Fixed when the socket is made ({@code listen}/{@code connect}); {@code setopts} refuses it. */
        BIND
    }

    private Opt(String name, Class<T> type, T defaultValue, Kind kind, java.util.function.Predicate<T> valid) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.kind = kind;
        this.valid = valid;
    }

    /** Every option key, in a stable order. */
    public static List<Opt<?>> all() {
        return List.of(ACTIVE, MODE, PACKET, PACKET_SIZE, HEADER, EXIT_ON_CLOSE, NODELAY, KEEPALIVE, REUSEADDR,
                SNDBUF, RECBUF, SEND_TIMEOUT, SEND_TIMEOUT_CLOSE, BACKLOG, IP, LINGER, HIGH_WATERMARK, LOW_WATERMARK);
    }

    /**
     * Whether {@code value} is allowed for this option.
     */
    public boolean accepts(Object value) {
        return type.isInstance(value) && valid.test(type.cast(value));
    }

    /**
     * Checks a value: {@code {options, {socket_options, {Name, Value}}}} when it is not allowed.
     *
     * @throws SslOptionsException when the value is not allowed
     */
    public void check(Object value) {
        if (!accepts(value)) {
            throw new SslOptionsException(Reason.Options.of("socket_options", "{" + name + "," + value + "}"));
        }
    }

    /** The key with this Erlang name. */
    public static java.util.Optional<Opt<?>> byName(String name) {
        return all().stream().filter(o -> o.name.equals(name)).findFirst();
    }

    /** The Erlang name, e.g. {@code active}. */
    public String name() {
        return name;
    }

    /** The value type. */
    public Class<T> type() {
        return type;
    }

    /** The value a socket has unless told otherwise. */
    public T defaultValue() {
        return defaultValue;
    }

    /** Whether sslkit emulates this option on the decrypted stream rather than passing it to TCP. */
    public boolean emulated() {
        return kind == Kind.EMULATED;
    }

    /** Where this option acts. */
    public Kind kind() {
        return kind;
    }

    /** Whether {@code setopts} may change it on a live socket (not a {@link Kind#BIND} option). */
    public boolean settable() {
        return kind != Kind.BIND;
    }

    /** This option with a value, for {@code setopts} and {@link SslOptions.Builder#set}. */
    public SocketOpt<T> of(T value) {
        Objects.requireNonNull(value, name);
        check(value);
        return new SocketOpt<>(this, value);
    }

    /** Casts a value read for this key. */
    public T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
