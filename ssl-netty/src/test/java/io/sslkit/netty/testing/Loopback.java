package io.sslkit.netty.testing;

import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Makes a connected, handshaken client/server pair over 127.0.0.1. */
public final class Loopback {

    private Loopback() {
    }

    /** A client and the server side of its connection; closing the pair closes both. */
    public record Pair(SslSocket client, SslSocket server) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
            server.close();
        }
    }

    /** Listens, connects to {@code localhost}, accepts and handshakes; the listen socket is closed after. */
    public static Pair connect(Ssl ssl, SslOptions server, SslOptions client) throws Exception {
        try (SslListenSocket listen = ssl.listen(0, server)) {
            CompletableFuture<SslSocket> accepted = Async.supply(() -> {
                try {
                    SslSocket s = listen.transportAccept(Timeout.millis(20_000));
                    s.handshake(Timeout.millis(20_000));
                    return s;
                } catch (SslException e) {
                    throw new RuntimeException(e);
                }
            });
            SslSocket c;
            try {
                c = ssl.connect("localhost", listen.port(), client, Timeout.millis(20_000));
            } catch (SslException e) {
                accepted.handle((s, t) -> {
                    if (s != null) {
                        s.close();
                    }
                    return null;
                });
                throw e;
            }
            try {
                return new Pair(c, accepted.get(20, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                c.close();
                Throwable cause = e.getCause() instanceof RuntimeException r && r.getCause() != null
                        ? r.getCause() : e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                throw e;
            }
        }
    }
}
