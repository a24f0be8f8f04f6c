package io.sslkit.examples.proxy;

import io.sslkit.netty.proxy.Backend;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One route as the command line or the config file gives it: a server name, and either a certificate and key to
 * terminate with, or neither (pass-through); and a backend. Files are read when the routes are built (and again at
 * each reload).
 *
 * @param name     {@code host}, {@code *.domain}, or {@code *} for the default route
 * @param certfile PEM certificate chain, or {@code null} to pass TLS through
 * @param keyfile  PEM key ({@code null}: in the certfile)
 * @param backend  where the bytes go
 */
public record RouteSpec(String name, Path certfile, Path keyfile, Backend backend) {

    public RouteSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
    }

    /** Parses {@code NAME=CERTFILE,KEYFILE,HOST:PORT} ({@code --route}). */
    public static RouteSpec parseRoute(String text) {
        int eq = text.indexOf('=');
        String[] parts = eq <= 0 ? new String[0] : text.substring(eq + 1).split(",", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("--route needs NAME=CERTFILE,KEYFILE,HOST:PORT: " + text);
        }
        return new RouteSpec(text.substring(0, eq), Path.of(parts[0]), Path.of(parts[1]), Backend.parse(parts[2]));
    }

    /** Parses {@code NAME=HOST:PORT} ({@code --passthrough}). */
    public static RouteSpec parsePassthrough(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--passthrough needs NAME=HOST:PORT: " + text);
        }
        return new RouteSpec(text.substring(0, eq), null, null, Backend.parse(text.substring(eq + 1)));
    }

    public boolean isPassthrough() {
        return certfile == null;
    }
}
