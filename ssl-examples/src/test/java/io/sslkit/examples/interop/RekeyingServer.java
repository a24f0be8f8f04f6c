package io.sslkit.examples.interop;

import io.sslkit.How;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.TestPki;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A one-connection echo server on the sslkit API (JDK engine) that starts a renegotiation (TLS 1.2) or a KeyUpdate
 * (TLS 1.3) itself once half of {@code bytes} were echoed: the server-initiated case, which {@code echo-server} has
 * no flag for.
 */
final class RekeyingServer implements AutoCloseable {

    private final Ssl ssl = Ssl.start();
    private final SslListenSocket listen;
    private final CompletableFuture<String> result;

    private RekeyingServer(TestPki pki, String version, long bytes) throws SslException {
        listen = ssl.listen(0, pki.serverOptions(Provider.JDK).versionNames(java.util.List.of(version)).build());
        result = Async.supply(() -> serve(bytes));
    }

    static RekeyingServer start(TestPki pki, String version, long bytes) throws SslException {
        return new RekeyingServer(pki, version, bytes);
    }

    int port() throws SslException {
        return listen.port();
    }

    private String serve(long bytes) {
        try (SslSocket s = listen.transportAccept(Timeout.millis(30_000))) {
            s.handshake(Timeout.millis(30_000));
            long echoed = 0;
            boolean rekeyed = false;
            while (true) {
                byte[] m;
                try {
                    m = s.recv(0, Timeout.millis(30_000));
                } catch (SslException e) {
                    if (e.reason() == Reason.CLOSED) {
                        return rekeyed && echoed == bytes ? "ok" : "closed after " + echoed + " bytes";
                    }
                    throw e;
                }
                s.send(m);
                echoed += m.length;
                if (!rekeyed && echoed >= bytes / 2) {
                    if (s.connectionInfo().protocol() == Protocol.TLS_V1_3) {
                        s.updateKeys(How.WRITE);
                    } else {
                        s.renegotiate();
                    }
                    rekeyed = true;
                }
            }
        } catch (SslException e) {
            return "error " + Ssl.formatError(e.reason());
        }
    }

    /** "ok" once the client closed after every byte was echoed, with the rekey done; else what went wrong. */
    String result() throws Exception {
        return result.get(40, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        listen.close();
        ssl.stop();
    }
}
