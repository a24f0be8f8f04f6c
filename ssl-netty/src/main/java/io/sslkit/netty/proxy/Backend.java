package io.sslkit.netty.proxy;

import java.util.Objects;

/**
 * Where a proxied connection goes: a host and a TCP port.
 *
 * @param host a name or an address (IPv6 without brackets)
 * @param port 1..65535
 */
public record Backend(String host, int port) {

    public Backend {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("backend needs HOST:PORT: " + host + ":" + port);
        }
    }

    /** Parses {@code HOST:PORT} ({@code [::1]:443} for IPv6); IAE with the text when it is not that. */
    public static Backend parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("needs HOST:PORT: " + text);
        }
        String host = text.substring(0, colon).replaceAll("^\\[|]$", "");
        try {
            return new Backend(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("needs HOST:PORT: " + text, e);
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
