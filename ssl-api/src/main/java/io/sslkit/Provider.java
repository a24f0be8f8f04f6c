package io.sslkit;

/**
 * The TLS engine under a connection ({@code provider} option; no Erlang equivalent).
 *
 * <p>{@link #AUTO} picks BoringSSL (netty-tcnative) when its native library loads on this machine and the JDK's
 * engine otherwise. {@link #OPENSSL} insists on BoringSSL and fails with an {@code {options, …}} reason where it
 * cannot load; {@link #JDK} always uses the JDK's {@code SSLEngine}.
 */
public enum Provider {
    AUTO("auto"),
    OPENSSL("openssl"),
    JDK("jdk");

    private final String optionName;

    Provider(String optionName) {
        this.optionName = optionName;
    }

    /** The option value as written on a command line: {@code auto}, {@code openssl}, {@code jdk}. */
    public String optionName() {
        return optionName;
    }

    @Override
    public String toString() {
        return optionName;
    }
}
