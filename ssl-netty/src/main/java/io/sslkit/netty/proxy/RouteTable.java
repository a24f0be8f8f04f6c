package io.sslkit.netty.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The routes of a proxy by server name (SNI): exact names first, then {@code *.domain} wildcards (longest domain
 * first), then the default route for unknown names and for clients that send no SNI. Immutable: a reload builds a
 * new table and swaps it in ({@link TlsProxy#setRoutes}), so connections already routed keep theirs.
 */
public final class RouteTable {

    private final Route fallback;
    private final Map<String, Route> exact = new LinkedHashMap<>();
    private final List<Route> wildcards = new ArrayList<>();

    /**
     * @param fallback the route for unknown or missing names (its name is ignored)
     * @param routes   the named routes; a name given twice is an IAE
     */
    public RouteTable(Route fallback, List<Route> routes) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        for (Route r : routes) {
            if (r.name().startsWith("*.")) {
                if (wildcards.stream().anyMatch(w -> w.name().equals(r.name()))) {
                    throw new IllegalArgumentException("route given twice: " + r.name());
                }
                wildcards.add(r);
            } else if (exact.putIfAbsent(r.name(), r) != null) {
                throw new IllegalArgumentException("route given twice: " + r.name());
            }
        }
        wildcards.sort((a, b) -> Integer.compare(b.name().length(), a.name().length()));
    }

    /** A table with one route for every name. */
    public static RouteTable single(Route route) {
        return new RouteTable(route, List.of());
    }

    /** The route for a server name ({@code null}: the client sent none). */
    public Route lookup(String serverName) {
        if (serverName == null) {
            return fallback;
        }
        String host = serverName.toLowerCase(Locale.ROOT);
        Route r = exact.get(host);
        if (r != null) {
            return r;
        }
        for (Route w : wildcards) {
            if (w.matches(host)) {
                return w;
            }
        }
        return fallback;
    }

    /** Whether any route depends on the server name (if not, the proxy skips reading the ClientHello). */
    public boolean routesByName() {
        return !exact.isEmpty() || !wildcards.isEmpty();
    }

    /** The default route. */
    public Route fallback() {
        return fallback;
    }
}
