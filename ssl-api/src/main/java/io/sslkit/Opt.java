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
 * <p>Options marked {@linkplain #emulated() emulated} act on the decrypted stream (as in OTP: {@code active},
 * {@code mode}, {@code packet}, {@code packet_size}, {@code header}); the others are passed to TCP.
 *
 * @param <T> the value type
 */
public final class Opt<T> {

    /** {@code active}: how data reaches the owner. Default {@code false} (see {@link SslOptions.Builder#active}). */
    public static final Opt<Active> ACTIVE = new Opt<>("active", Active.class, Active.FALSE, true);

    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final boolean emulated;

    private Opt(String name, Class<T> type, T defaultValue, boolean emulated) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.emulated = emulated;
    }

    /** Every option key, in a stable order. */
    public static List<Opt<?>> all() {
        return List.of(ACTIVE);
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
        return emulated;
    }

    /** This option with a value, for {@code setopts} and {@link SslOptions.Builder#set}. */
    public SocketOpt<T> of(T value) {
        return new SocketOpt<>(this, Objects.requireNonNull(value, name));
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
