package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.ProcessStats;
import io.sslkit.netty.testing.TestPki;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak (loopback, {@code sslkit.soak.seconds}, default 20): four workers mix connects, exchanges in every
 * mode, renegotiations, key updates and closes on one runtime. Afterwards the process has no more threads, open files
 * or heap than a warm-up round left it with (within a small allowance).
 */
class SoakTest {

    private static final long SECONDS = Long.getLong("sslkit.soak.seconds", 20);

    @Test
    void aLongMixOfWorkLeavesNoGrowthInMemoryThreadsOrFiles() throws Exception {
        TestPki pki = TestPki.ec();
        try (Ssl ssl = Ssl.start()) {
            round(ssl, pki, new Random(1), System.nanoTime() + TimeUnit.SECONDS.toNanos(3)); // warm-up
            long files = ProcessStats.openFiles();
            int threads = ProcessStats.threads();
            long heap = ProcessStats.heapAfterGc();
            AtomicLong operations = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            List<CompletableFuture<Void>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Random random = new Random(100 + w);
                workers.add(Async.run(() -> {
                    try {
                        operations.addAndGet(round(ssl, pki, random, end));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            CompletableFuture.allOf(workers.toArray(new CompletableFuture[0])).get(SECONDS + 60, TimeUnit.SECONDS);
            long filesAfter = ProcessStats.openFiles();
            int threadsAfter = ProcessStats.threads();
            long heapAfter = ProcessStats.heapAfterGc();
            System.out.printf("soak %d s, %d connections: open files %d -> %d, threads %d -> %d, heap %.1f -> %.1f"
                            + " MiB%n", SECONDS, operations.get(), files, filesAfter, threads, threadsAfter,
                    heap / 1048576.0, heapAfter / 1048576.0);
            assertThat(operations.get()).isGreaterThan(20);
            assertThat(filesAfter).isLessThanOrEqualTo(files + 8);
            assertThat(threadsAfter).isLessThanOrEqualTo(threads + 4); // common-pool workers may linger
            assertThat(heapAfter).isLessThan(heap + 32L * 1024 * 1024);
        }
    }

    /** Connections until {@code end}: each picks a provider, version and mode, exchanges data, maybe renegotiates. */
    private static long round(Ssl ssl, TestPki pki, Random random, long end) throws Exception {
        long n = 0;
        while (System.nanoTime() < end) {
            Provider p = random.nextBoolean() ? Provider.OPENSSL : Provider.JDK;
            Protocol v = random.nextBoolean() ? Protocol.TLS_V1_2 : Protocol.TLS_V1_3;
            Mailbox mailbox = new Mailbox();
            SslOptions client = pki.clientOptions(p).versions(v).owner(mailbox).build();
            try (Pair pair = Loopback.connect(ssl, pki.serverOptions(p).versions(v).build(), client)) {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    exchange(pair, mailbox, random);
                }
                if (p == Provider.JDK && random.nextInt(3) == 0) {
                    if (v == Protocol.TLS_V1_2) {
                        CompletableFuture<byte[]> reader = Async.supply(() -> {
                            try {
                                return pair.server().recv(5, Timeout.millis(30_000));
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
                        pair.client().renegotiate(); // the server reads meanwhile, so it sees the new handshake
                        pair.client().send("after");
                        assertThat(reader.get(30, TimeUnit.SECONDS)).hasSize(5);
                    } else {
                        pair.client().updateKeys(io.sslkit.How.READ_WRITE);
                    }
                }
            }
            n++;
        }
        return n;
    }

    private static void exchange(Pair pair, Mailbox mailbox, Random random) throws Exception {
        byte[] data = new byte[1 + random.nextInt(50_000)];
        random.nextBytes(data);
        pair.server().send(data);
        int got = 0;
        switch (random.nextInt(3)) {
            case 0 -> {
                while (got < data.length) {
                    got += pair.client().recv(0, Timeout.millis(30_000)).length;
                }
            }
            case 1 -> {
                while (got < data.length) {
                    pair.client().setopts(Opt.ACTIVE.of(Active.ONCE));
                    got += ((SslMessage.Data) mailbox.receive(Timeout.millis(30_000)).orElseThrow()).bytes().length;
                }
            }
            default -> {
                pair.client().setopts(Opt.ACTIVE.of(Active.TRUE));
                while (got < data.length) {
                    got += ((SslMessage.Data) mailbox.receive(Timeout.millis(30_000)).orElseThrow()).bytes().length;
                }
                pair.client().setopts(Opt.ACTIVE.of(Active.FALSE));
            }
        }
        assertThat(got).isEqualTo(data.length);
    }
}
