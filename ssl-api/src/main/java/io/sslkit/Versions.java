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
 * @param transport      {@code epoll}, {@code kqueue} or {@code nio}
 * @param providerChoice  the engine {@code auto} selects and why, e.g. {@code openssl (BoringSSL, native,
 *                        linux-x86_64)} or {@code jdk (BoringSSL unavailable: <cause>)}
 * @param transportChoice the transport and why, e.g. {@code epoll (native, linux-x86_64)} or
 *                        {@code nio (epoll unavailable: <cause>)}
 */
public record Versions(
        String sslkitVersion,
        List<Protocol> supported,
        List<Protocol> available,
        Provider provider,
        String providerVersion,
        String transport,
        String providerChoice,
        String transportChoice) {

    public Versions {
        supported = List.copyOf(supported);
        available = List.copyOf(available);
    }

    /** Without the reasons of the choices (each is then just the name). */
    public Versions(String sslkitVersion, List<Protocol> supported, List<Protocol> available, Provider provider,
                    String providerVersion, String transport) {
        this(sslkitVersion, supported, available, provider, providerVersion, transport,
                provider.toString(), transport);
    }

    @Override
    public String toString() {
        return "[{ssl_app,\"" + sslkitVersion + "\"},{supported," + supported + "},{available," + available
                + "},{provider," + provider + ",\"" + providerVersion + "\"},{transport," + transport
                + "},{choices,\"" + providerChoice + "\",\"" + transportChoice + "\"}]";
    }
}
