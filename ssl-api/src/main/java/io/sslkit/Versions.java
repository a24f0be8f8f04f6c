package io.sslkit;

import java.util.List;

/**
 * What {@code ssl:versions/0} reports, plus which engine and transport this runtime uses.
 *
 * @param sslkitVersion  the implementation version ({@code ssl_app})
 * @param supported      the versions used by default ({@code supported})
 * @param available      every version the provider can do ({@code available})
 * @param provider       the engine {@code auto} selects on this machine
 * @param providerVersion e.g. {@code BoringSSL} or {@code JDK 17.0.15}
 * @param transport      {@code epoll} or {@code nio}
 */
public record Versions(
        String sslkitVersion,
        List<Protocol> supported,
        List<Protocol> available,
        Provider provider,
        String providerVersion,
        String transport) {

    public Versions {
        supported = List.copyOf(supported);
        available = List.copyOf(available);
    }

    @Override
    public String toString() {
        return "[{ssl_app,\"" + sslkitVersion + "\"},{supported," + supported + "},{available," + available
                + "},{provider," + provider + ",\"" + providerVersion + "\"},{transport," + transport + "}]";
    }
}
