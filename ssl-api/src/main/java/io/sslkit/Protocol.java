package io.sslkit;

import java.util.Arrays;
import java.util.Optional;

/**
 * A TLS protocol version, named as Erlang names it ({@code 'tlsv1.2'}) and as Java names it ({@code TLSv1.2}).
 *
 * <p>sslkit speaks TLS 1.2 and 1.3 only (OTP 26+ defaults); older versions are refused at option time with an
 * {@code {options, {Version, {versions, List}}}} reason.
 */
public enum Protocol {
    TLS_V1_2("tlsv1.2", "TLSv1.2"),
    TLS_V1_3("tlsv1.3", "TLSv1.3");

    private final String erlangName;
    private final String javaName;

    Protocol(String erlangName, String javaName) {
        this.erlangName = erlangName;
        this.javaName = javaName;
    }

    /** The Erlang atom, e.g. {@code tlsv1.3}. */
    public String erlangName() {
        return erlangName;
    }

    /** The JSSE protocol name, e.g. {@code TLSv1.3}. */
    public String javaName() {
        return javaName;
    }

    /** Looks a version up by its Erlang or its Java name, ignoring case. */
    public static Optional<Protocol> fromName(String name) {
        return Arrays.stream(values())
                .filter(p -> p.erlangName.equalsIgnoreCase(name) || p.javaName.equalsIgnoreCase(name))
                .findFirst();
    }

    @Override
    public String toString() {
        return erlangName;
    }
}
