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
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

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

    @Option(names = "--megabytes", defaultValue = "256", paramLabel = "N", converter = Flags.MegabytesConverter.class,
            description = "MiB streamed per provider and version, 1..1048576 (default: ${DEFAULT-VALUE})")
    int megabytes;

    @Option(names = "--provider", split = ",", defaultValue = "openssl,jdk", paramLabel = "P",
            converter = Flags.ProviderConverter.class,
            description = "providers to run: auto, openssl, jdk (default: ${DEFAULT-VALUE})")
    List<Provider> providers;

    @Option(names = "--progress", negatable = true, description = "a progress line on stderr for each stream "
            + "(bytes, rate, time left); default: when stderr is a terminal, rewritten in place")
    Boolean progress;

    @Spec
    CommandSpec spec;

    @ParentCommand
    SslkitCommand parent;

    private PrintWriter out;

    @Override
    public Integer call() throws SslException, Cli.Failure, InterruptedException {
        out = spec.commandLine().getOut();
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
            for (Provider provider : providers) {
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
        out.flush();
        return Cli.OK;
    }

    private String run(Ssl ssl, SslOptions serverOptions, SslOptions clientOptions)
            throws SslException, Cli.Failure, InterruptedException {
        byte[] block = new byte[BLOCK];
        new Random(2026).nextBytes(block);
        long total = (long) megabytes * BLOCK;
        out.println();
        out.flush();
        Progress bar = new Progress(spec.commandLine().getErr(),
                Progress.Style.of(progress, parent != null && parent.stderrIsTerminal()),
                serverOptions.provider().optionName() + " " + serverOptions.versions().get(0), total);
        try (SslListenSocket listen = ssl.listen(0, serverOptions)) {
            // the first half of the stream warms the JIT up; the figure is the second half's rate
            java.util.concurrent.atomic.AtomicLong halfway = new java.util.concurrent.atomic.AtomicLong();
            CompletableFuture<Long> serverSide = CompletableFuture.supplyAsync(
                    () -> serve(listen, block, total, bar, halfway));
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
                bar.finish(checked);
                out.flush();
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
    private long serve(SslListenSocket listen, byte[] block, long total, Progress bar,
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
                bar.update(received);
            }
            return received;
        } catch (SslException | Cli.Failure e) {
            throw new CompletionException(e);
        }
    }

    /** Compares a received chunk with the repeating block at stream position {@code pos}. */
    private static void check(byte[] block, long pos, byte[] chunk) throws Cli.Failure {
        int off = 0;
        while (off < chunk.length) {
            int at = (int) ((pos + off) % block.length);
            int n = Math.min(chunk.length - off, block.length - at);
            if (!Arrays.equals(chunk, off, off + n, block, at, at + n)) {
                throw new Cli.Failure("the server received corrupted data near byte " + (pos + off));
            }
            off += n;
        }
    }

    /** The server side's result, or its failure as it was thrown there. */
    private static long join(CompletableFuture<Long> f) throws SslException, Cli.Failure, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException w && w.getCause() != null ? w.getCause()
                    : e.getCause();
            if (c instanceof SslException s) {
                throw s;
            }
            if (c instanceof Cli.Failure d) {
                throw d;
            }
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        }
    }
}
