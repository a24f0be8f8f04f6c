package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Pattern;
import io.sslkit.netty.testing.TestPki;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 1,000 concurrent connections on one runtime, every client in {@code active once} with one shared {@link Mailbox}:
 * each server sends 64 KiB of its own pattern and closes; every client gets exactly its bytes, then Closed.
 */
class ManyConnectionsTest {

    private static final int CONNECTIONS = 1_000;
    private static final int BYTES = 64 << 10;

    @Test
    void aThousandOnceConnectionsOnOneRuntimeKeepEveryByte() throws Exception {
        TestPki pki = TestPki.ec();
        Mailbox mailbox = new Mailbox();
        // separate pools: connecting clients wait for server handshakes, which must not queue behind them
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ExecutorService serverPool = Executors.newFixedThreadPool(9);
        try (Ssl ssl = Ssl.start();
             SslListenSocket listen = ssl.listen(0, pki.serverOptions(Provider.AUTO).build())) {
            SslOptions client = pki.clientOptions(Provider.AUTO).owner(mailbox).active(Active.ONCE).build();
            CompletableFuture<Void> servers = CompletableFuture.runAsync(() -> serveAll(listen, serverPool), serverPool);
            List<CompletableFuture<SslSocket>> clients = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ssl.connect("localhost", listen.port(), client, Timeout.millis(60_000));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, pool));
            }
            Map<SslSocket, Long> received = new HashMap<>();
            for (CompletableFuture<SslSocket> c : clients) {
                received.put(c.get(60, TimeUnit.SECONDS), 0L);
            }
            int closed = 0;
            Map<SslSocket, Pattern> patterns = new HashMap<>();
            while (closed < CONNECTIONS) {
                SslMessage m = mailbox.receive(Timeout.millis(60_000)).orElseThrow();
                SslSocket s = m.socket();
                if (m instanceof SslMessage.Data d) {
                    byte[] bytes = d.bytes();
                    long at = received.get(s);
                    // each server writes its port first (8 bytes) so the client knows whose pattern it reads
                    Pattern pattern = patterns.get(s);
                    if (at == 0) {
                        pattern = new Pattern(ByteBuffer.wrap(bytes, 0, 8).getLong());
                        patterns.put(s, pattern);
                        assertThat(pattern.firstMismatch(java.util.Arrays.copyOfRange(bytes, 8, bytes.length), 0))
                                .isEqualTo(-1);
                    } else {
                        assertThat(pattern.firstMismatch(bytes, at - 8)).isEqualTo(-1);
                    }
                    received.put(s, at + bytes.length);
                    s.setopts(Opt.ACTIVE.of(Active.ONCE));
                } else {
                    assertThat(m).isInstanceOf(SslMessage.Closed.class);
                    assertThat(received.get(s)).isEqualTo(8L + BYTES);
                    s.close();
                    closed++;
                }
            }
            servers.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            serverPool.shutdownNow();
        }
    }

    private static void serveAll(SslListenSocket listen, ExecutorService pool) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                SslSocket s = listen.transportAccept(Timeout.millis(60_000));
                all.add(CompletableFuture.runAsync(() -> serveOne(s), pool));
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        all.forEach(CompletableFuture::join);
    }

    private static void serveOne(SslSocket s) {
        try {
            s.handshake(Timeout.millis(60_000));
            long seed = s.peername().getPort();
            byte[] data = new byte[8 + BYTES];
            ByteBuffer.wrap(data).putLong(seed);
            new Pattern(seed).fill(data, 8, BYTES, 0);
            s.send(data);
            s.close();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
