package io.sslkit.netty;

import io.sslkit.Ssl;
import io.sslkit.SslRuntimeOptions;
import io.sslkit.spi.SslRuntimeFactory;

/** The {@link SslRuntimeFactory} that {@code Ssl.start()} finds with {@link java.util.ServiceLoader}. */
public final class NettySslFactory implements SslRuntimeFactory {

    @Override
    public Ssl start(SslRuntimeOptions options) {
        return new NettySsl(options);
    }
}
