package io.sslkit.examples;

import io.sslkit.ConnectionInfo;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.Versions;
import io.sslkit.netty.certs.HeldCertificate;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sslkit demo}: a TLS server and client on loopback, with certificates made on the spot. They greet each
 * other in passive mode, print what each side negotiated, then the client streams a few hundred MB that the server
 * checks byte for byte, once per provider and TLS version, and the throughput is printed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a TLS server and client on loopback and show what sslkit does.")
final class DemoCommand implements Callable<Integer> {

    private static final int BLOCK = 1 << 20;
    private static final Timeout STEP = Timeout.millis(30_000);

    @Option(names = "--megabytes", defaultValue = "256",
            description = "MiB streamed per provider and version (default: ${DEFAULT-VALUE})")
    int megabytes;

    @Option(names = "--provider", split = ",", defaultValue = "openssl,jdk",
            description = "providers to run (default: ${DEFAULT-VALUE})")
    List<String> providers;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        HeldCertificate root = HeldCertificate.builder().commonName("sslkit demo CA").certificateAuthority(0)
                .build();
        HeldCertificate server = HeldCertificate.builder().commonName("localhost")
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1")
                .signedBy(root).build();
        try (Ssl ssl = Ssl.start()) {
            Versions v = ssl.versions();
            out.printf("sslkit %s: TLS %s available, provider %s (%s), transport %s%n", v.sslkitVersion(),
                    v.available(), v.provider(), v.providerVersion(), v.transport());
            List<String> results = new ArrayList<>();
            for (String name : providers) {
                Provider provider = Provider.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
                for (Protocol version : List.of(Protocol.TLS_V1_3, Protocol.TLS_V1_2)) {
                    SslOptions serverOptions = SslOptions.builder().provider(provider).versions(version)
                            .cert(server.certificate()).key(server.privateKey()).build();
                    SslOptions clientOptions = SslOptions.builder().provider(provider).versions(version)
                            .cacerts(root.certificate()).build();
                    results.add(run(ssl, serverOptions, clientOptions));
                }
            }
            out.println();
            out.println("throughput, one connection, client -> server, every byte checked:");
            results.forEach(r -> out.println("  " + r));
        }
        return 0;
    }

    private String run(Ssl ssl, SslOptions serverOptions, SslOptions clientOptions) throws Exception {
        byte[] block = new byte[BLOCK];
        new Random(2026).nextBytes(block);
        long total = (long) megabytes * BLOCK;
        out.println();
        try (SslListenSocket listen = ssl.listen(0, serverOptions)) {
            // the first half of the stream warms the JIT up; the figure is the second half's rate
            java.util.concurrent.atomic.AtomicLong halfway = new java.util.concurrent.atomic.AtomicLong();
            CompletableFuture<Long> serverSide = CompletableFuture.supplyAsync(
                    () -> serve(listen, block, total, halfway));
            try (SslSocket client = ssl.connect("localhost", listen.port(), clientOptions, STEP)) {
                client.send("Hello from the client");
                String reply = new String(client.recv(0, STEP), StandardCharsets.UTF_8);
                ConnectionInfo info = client.connectionInfo();
                out.printf("client: connected to %s, server says \"%s\"%n", client.peername(), reply);
                out.printf("client connectionInfo: %s%n", info);
                out.printf("client peercert: %s%n", client.peercert().certificate().getSubjectX500Principal());
                long t0 = System.nanoTime();
                ByteBuffer view = ByteBuffer.wrap(block);
                for (long sent = 0; sent < total; sent += BLOCK) {
                    client.send(view.clear());
                }
                long checked = join(serverSide);
                long end = System.nanoTime();
                double seconds = (end - t0) / 1e9;
                double warm = (checked - checked / 2) / (double) BLOCK / ((end - halfway.get()) / 1e9);
                return String.format("%-7s %-7s %-28s %5d MiB in %5.2f s = %7.1f MiB/s (warmed up: %7.1f MiB/s)",
                        info.provider(), info.protocol(), info.cipherSuite(), checked / BLOCK, seconds,
                        checked / BLOCK / seconds, warm);
            }
        }
    }

    /**
     * The server side: greet, then receive {@code total} bytes in passive mode and check each one; notes in
     * {@code halfway} when half of them have come.
     */
    private long serve(SslListenSocket listen, byte[] block, long total,
                       java.util.concurrent.atomic.AtomicLong halfway) {
        try (SslSocket s = listen.transportAccept(STEP)) {
            s.handshake(STEP);
            String hello = new String(s.recv(0, STEP), StandardCharsets.UTF_8);
            s.send("Hello back, you said \"" + hello + "\"");
            out.printf("server connectionInfo: %s%n", s.connectionInfo());
            long received = 0;
            while (received < total) {
                byte[] chunk = s.recv(0, STEP);
                check(block, received, chunk);
                if (received < total / 2 && received + chunk.length >= total / 2) {
                    halfway.set(System.nanoTime());
                }
                received += chunk.length;
            }
            return received;
        } catch (SslException e) {
            throw new IllegalStateException("server: " + Ssl.formatError(e.reason()), e);
        }
    }

    /** Compares a received chunk with the repeating block at stream position {@code pos}. */
    private static void check(byte[] block, long pos, byte[] chunk) {
        int off = 0;
        while (off < chunk.length) {
            int at = (int) ((pos + off) % block.length);
            int n = Math.min(chunk.length - off, block.length - at);
            if (!Arrays.equals(chunk, off, off + n, block, at, at + n)) {
                throw new IllegalStateException("data corrupted near byte " + (pos + off));
            }
            off += n;
        }
    }

    private static long join(CompletableFuture<Long> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
