package io.sslkit.spi;

import io.sslkit.Ssl;
import io.sslkit.SslRuntimeOptions;

/**
 * Service-provider interface: how {@link Ssl#start()} finds its implementation with {@link java.util.ServiceLoader}.
 * {@code ssl-netty} provides one; the first one found on the class path is used.
 */
public interface SslRuntimeFactory {

    /** Starts a runtime: event loops, allocator and engines. */
    Ssl start(SslRuntimeOptions options);
}
