package io.sslkit.netty.testing;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TLS echo server in its own JVM, for load tests whose two ends would not fit one process's open-file limit.
 * Arguments: certfile keyfile. Prints {@code listening <port>}; then on each {@code stats} line from stdin prints
 * {@code stats <connections> <heapAfterGc> <residentBytes>}; exits at end of input.
 */
public final class EchoServerProcess {

    private EchoServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Mailbox mailbox = new Mailbox();
        Set<SslSocket> open = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (Ssl ssl = Ssl.start();
             SslListenSocket listen = ssl.listen(0, SslOptions.builder().certfile(Path.of(args[0]))
                     .keyfile(Path.of(args[1])).owner(mailbox).active(Active.TRUE).set(Opt.BACKLOG, 4096).build())) {
            System.out.println("listening " + listen.port());
            System.out.flush();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        SslSocket s = listen.transportAccept();
                        pool.execute(() -> {
                            try {
                                s.handshake(Timeout.millis(120_000));
                                open.add(s);
                            } catch (Exception e) {
                                s.close();
                            }
                        });
                    }
                } catch (Exception e) {
                    // listen socket closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            for (int i = 0; i < 4; i++) {
                pool.execute(() -> echo(mailbox, open));
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("stats")) {
                    System.out.println("stats " + open.size() + " " + ProcessStats.heapAfterGc() + " "
                            + ProcessStats.residentBytes());
                    System.out.flush();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void echo(Mailbox mailbox, Set<SslSocket> open) {
        try {
            while (true) {
                SslMessage m = mailbox.receive();
                if (m instanceof SslMessage.Data d) {
                    d.socket().send(d.bytes());
                } else {
                    m.socket().close();
                    open.remove(m.socket());
                }
            }
        } catch (Exception e) {
            // interrupted at shutdown
        }
    }
}
