package io.sslkit.netty.trust;

import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one connection over loopback and returns what each side reports: null for a side whose handshake and a
 * short exchange succeeded, else its reason. After the handshake each side sends one byte and reads one, so that
 * a TLS 1.3 client whose certificate the server refuses (after the client's handshake is done) sees the alert.
 */
final class AlertProbe {

    record Outcome(Reason client, Reason server) {
        boolean bothOk() {
            return client == null && server == null;
        }
    }

    private AlertProbe() {
    }

    static Outcome run(Ssl ssl, SslOptions server, SslOptions client) throws Exception {
        return run(ssl, server, client, "localhost");
    }

    static Outcome run(Ssl ssl, SslOptions server, SslOptions client, String host) throws Exception {
        try (SslListenSocket listen = ssl.listen(0, server)) {
            CompletableFuture<Reason> serverSide = Async.supply(() -> side(() -> {
                SslSocket s = listen.transportAccept(Timeout.millis(10_000));
                return s;
            }, true));
            Reason c = side(() -> ssl.connect(host, listen.port(), client, Timeout.millis(10_000)), false);
            return new Outcome(c, serverSide.get(20, TimeUnit.SECONDS));
        }
    }

    interface Open {
        SslSocket open() throws SslException;
    }

    private static Reason side(Open open, boolean server) {
        SslSocket s = null;
        try {
            s = open.open();
            if (server) {
                s.handshake(Timeout.millis(10_000));
            }
            try {
                s.send(new byte[] {1});
            } catch (SslException e) {
                // TLS 1.3: a client's handshake ends before the server has judged its certificate; the server's
                // alert may close the connection before this send. The next recv reports it (as newer OTP does).
                if (!(e.reason() instanceof Reason.Atom)) {
                    throw e;
                }
            }
            s.recv(1, Timeout.millis(10_000));
            return null;
        } catch (SslException e) {
            return e.reason();
        } finally {
            if (s != null) {
                s.close();
            }
        }
    }
}
