package io.sslkit.netty;

import io.sslkit.SslSocket;

/** For tests in other packages: what an sslkit socket knows about itself that its API does not say. */
public final class SocketProbes {

    private SocketProbes() {
    }

    /** How long a sender of {@code s} has been blocked in {@code send} without a break, in ms (0: none is). */
    public static long sendBlockedMillis(SslSocket s) {
        return ((NettySslSocket) s).sendBlockedMillis();
    }
}
