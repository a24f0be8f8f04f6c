package io.sslkit;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One option of {@link SslOptions}, declared once in its table ({@link SslOptions#table()}): its OTP name, what
 * it configures ({@link Kind}), which side reads it ({@link Role}), its default, how its value is checked at
 * {@link SslOptions.Builder#build()} and how it shows in {@link SslOptions#toString()}.
 *
 * @param <T> the type of the option's value
 */
public final class OptionSpec<T> {

    /** What an option configures. */
    public enum Kind {
        /** The TLS engine or its context: certificates, trust, versions, suites, sessions, renegotiation. */
        TLS,
        /** Emulated by sslkit above the engine, per socket (the owner, its mailbox's bound). */
        EMULATED,
        /** The TCP socket under TLS (see {@link Opt} for each socket option). */
        INET
    }

    /** Which side of a connection an option is read by. */
    public enum Role {
        CLIENT, SERVER, BOTH
    }

    private final String name;
    private final Kind kind;
    private final Role role;
    private final T defaultValue;
    private final Function<T, Reason.Options> check;
    private final Function<T, String> show;
    private final UnaryOperator<T> copy;

    private OptionSpec(String name, Kind kind, Role role, T defaultValue, Function<T, Reason.Options> check,
                       Function<T, String> show, UnaryOperator<T> copy) {
        this.name = name;
        this.kind = kind;
        this.role = role;
        this.defaultValue = defaultValue;
        this.check = check;
        this.show = show;
        this.copy = copy;
    }

    /** A TLS option with no check, shown as {@code {name,value}} when given. */
    static <T> OptionSpec<T> of(String name, Role role, T defaultValue) {
        return new OptionSpec<>(name, Kind.TLS, role, defaultValue, v -> null, v -> "{" + name + "," + v + "}",
                v -> v);
    }

    /** The same option with a check: a function that returns the problem of a value, or {@code null}. */
    OptionSpec<T> checked(Function<T, Reason.Options> check) {
        return new OptionSpec<>(name, kind, role, defaultValue, Objects.requireNonNull(check), show, copy);
    }

    /** The same option, shown by {@code show} ({@code null}: not shown for that value). */
    OptionSpec<T> shown(Function<T, String> show) {
        return new OptionSpec<>(name, kind, role, defaultValue, check, show, copy);
    }

    /** The same option, never shown. */
    OptionSpec<T> hidden() {
        return shown(v -> null);
    }

    /** The same option, whose values are copied in and out (arrays). */
    OptionSpec<T> copiedBy(UnaryOperator<T> copy) {
        return new OptionSpec<>(name, kind, role, defaultValue, check, show, copy);
    }

    /** The same option of another kind. */
    OptionSpec<T> kind(Kind kind) {
        return new OptionSpec<>(name, kind, role, defaultValue, check, show, copy);
    }

    /** The OTP option name ({@code depth}, {@code alpn_preferred_protocols}). */
    public String name() {
        return name;
    }

    /** What the option configures. */
    public Kind kind() {
        return kind;
    }

    /** Which side reads it. */
    public Role role() {
        return role;
    }

    /** The value when not given; {@code null} where the default depends on the role or on another option. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The problem with {@code value}, or {@code null} if it is fine. */
    Reason.Options problem(Object value) {
        return check.apply(cast(value));
    }

    /** How a given value shows in {@code toString}, or {@code null}. */
    String show(Object value) {
        return show.apply(cast(value));
    }

    /** A copy of a value for storing or handing out (the value itself unless mutable). */
    T copy(T value) {
        return value == null ? null : copy.apply(value);
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    @Override
    public String toString() {
        return name;
    }
}
