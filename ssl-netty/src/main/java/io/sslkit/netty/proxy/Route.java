package io.sslkit.netty.proxy;

import io.sslkit.netty.context.TlsContext;
import java.util.Locale;
import java.util.Objects;

/**
 * What the proxy does with the connections for one server name: terminate TLS with {@code context} and forward
 * the plain bytes to {@code backend}, or, for a pass-through route ({@code context == null}), forward the TLS bytes
 * untouched (ClientHello included) to {@code backend}, which terminates TLS itself.
 *
 * @param name    the server name it serves: {@code www.example.com}, {@code *.example.com} (one label, as RFC 6125
 *                wildcards), or {@code *} for the default route
 * @param context the server context clients meet, or {@code null} to pass through
 * @param backend where the bytes go
 */
public record Route(String name, TlsContext context, Backend backend) {

    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        name = name.toLowerCase(Locale.ROOT);
        if (context != null && context.client()) {
            throw new IllegalArgumentException("a route needs a server context: " + name);
        }
        if (name.isEmpty() || name.indexOf('*') > 0 || (name.startsWith("*") && !name.equals("*")
                && !name.startsWith("*."))) {
            throw new IllegalArgumentException("route name must be NAME, *.DOMAIN or *: " + name);
        }
    }

    /** A route that terminates TLS. */
    public static Route terminate(String name, TlsContext context, Backend backend) {
        return new Route(name, Objects.requireNonNull(context, "context"), backend);
    }

    /** A route that forwards the TLS bytes untouched (SNI routing without terminating). */
    public static Route passthrough(String name, Backend backend) {
        return new Route(name, null, backend);
    }

    /** Whether TLS passes through untouched. */
    public boolean isPassthrough() {
        return context == null;
    }

    /** Whether this route serves {@code host} (already lower case): exactly, or as a one-label wildcard. */
    boolean matches(String host) {
        if (name.equals("*")) {
            return true;
        }
        if (name.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(name.substring(1));
        }
        return name.equals(host);
    }
}
