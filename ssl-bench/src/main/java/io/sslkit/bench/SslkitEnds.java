package io.sslkit.bench;

import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sslkit ends of a benchmark: options for the benchmark's certificate ({@link KeyType.Pair}) and a connection
 * whose server end was accepted and handshaken on another thread. Only setup; nothing here is measured.
 */
public final class SslkitEnds {

    /** Setup waits this long for the server end of a connection (a broken setup fails rather than hangs). */
    private static final long ACCEPT_SECONDS = 30;

    private SslkitEnds() {
    }

    /** A client and the server end it connected to. */
    public record Connection(SslSocket client, SslSocket server) {
    }

    /** Server options: {@code provider}, {@code version}, the leaf certificate and its key. */
    public static SslOptions serverOptions(Provider provider, Protocol version, KeyType.Pair cert) {
        return SslOptions.builder().provider(provider).versions(version)
                .cert(cert.leaf().certificate()).key(cert.leaf().privateKey()).build();
    }

    /** Client options trusting the benchmark CA, as a builder for the caller's own additions. */
    public static SslOptions.Builder clientOptions(Provider provider, Protocol version, KeyType.Pair cert) {
        return SslOptions.builder().provider(provider).versions(version).cacerts(cert.ca().certificate());
    }

    /** Accepts one connection on {@code listen} and completes its server handshake, on a pool thread. */
    public static CompletableFuture<SslSocket> acceptAsync(SslListenSocket listen) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                SslSocket s = listen.transportAccept();
                s.handshake();
                return s;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Connects a client to {@code listen} and waits for the server end to be accepted and handshaken. */
    public static Connection connect(Ssl ssl, SslListenSocket listen, SslOptions clientOptions) throws Exception {
        CompletableFuture<SslSocket> accepted = acceptAsync(listen);
        SslSocket client = ssl.connect("localhost", listen.port(), clientOptions);
        return new Connection(client, accepted.get(ACCEPT_SECONDS, TimeUnit.SECONDS));
    }
}
