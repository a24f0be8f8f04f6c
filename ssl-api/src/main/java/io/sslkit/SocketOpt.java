package io.sslkit;

import java.util.Objects;

/**
 * An option and its value, as {@code {Name, Value}} in an Erlang option list.
 *
 * @param key   the option
 * @param value its value
 * @param <T>   the value type
 */
public record SocketOpt<T>(Opt<T> key, T value) {

    public SocketOpt {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "{" + key.name() + "," + value + "}";
    }
}
