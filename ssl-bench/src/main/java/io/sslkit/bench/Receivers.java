package io.sslkit.bench;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.SslMessage;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.nio.ByteBuffer;

/**
 * The ways an sslkit server end reads a bulk stream, each counting into a {@link Progress}; the names are the bulk
 * benchmarks' {@code receiver} / {@code sslkitEnd} parameter values.
 * <ul>
 *   <li>{@code recv0}: passive, a thread in a {@code recv(0)} loop.</li>
 *   <li>{@code zerocopy}: passive, a thread in a {@code recv(ByteBuffer)} loop into one 64 KiB direct buffer.</li>
 *   <li>{@code once}: {@code {active, once}} to a {@link Mailbox}, a thread that receives one message and re-arms
 *   with {@code setopts(active, once)}.</li>
 *   <li>{@code true}: {@code {active, true}} to a {@link Mailbox}, a thread receiving.</li>
 *   <li>{@code callback}: {@code {active, true}} to a callback owner that counts on the event loop (no thread).</li>
 * </ul>
 */
final class Receivers {

    /** A receiver that gets nothing for this long fails the benchmark instead of hanging it. */
    private static final Timeout WAIT = Timeout.millis(30_000);

    private Receivers() {
    }

    /**
     * Starts {@code receiver} on {@code server}; its thread (if any) is a loop of {@code workers} named after the
     * mode plus {@code suffix}.
     */
    static void start(String receiver, String suffix, SslSocket server, Workers workers, Progress progress)
            throws Exception {
        switch (receiver) {
            case "recv0" -> workers.loop("recv0" + suffix, () -> progress.add(server.recv(0).length));
            case "zerocopy" -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
                workers.loop("zerocopy" + suffix, () -> progress.add(server.recv(buf.clear(), Timeout.INFINITY)));
            }
            case "once" -> {
                Mailbox mailbox = new Mailbox();
                server.controllingProcess(null, mailbox);
                server.setopts(Opt.ACTIVE.of(Active.ONCE));
                workers.loop("once" + suffix, () -> {
                    progress.add(data(mailbox).size());
                    server.setopts(Opt.ACTIVE.of(Active.ONCE));
                });
            }
            case "true" -> {
                Mailbox mailbox = new Mailbox();
                server.controllingProcess(null, mailbox);
                server.setopts(Opt.ACTIVE.of(Active.TRUE));
                workers.loop("active" + suffix, () -> progress.add(data(mailbox).size()));
            }
            case "callback" -> {
                server.controllingProcess(null, m -> {
                    if (m instanceof SslMessage.Data d) {
                        progress.add(d.size());
                    } else if (workers.running()) {
                        progress.fail(new IllegalStateException("unexpected " + m));
                    }
                });
                server.setopts(Opt.ACTIVE.of(Active.TRUE));
            }
            default -> throw new IllegalArgumentException("receiver " + receiver);
        }
    }

    /** The next message, which must be data: anything else (closed, error) ends the stream. */
    private static SslMessage.Data data(Mailbox mailbox) throws InterruptedException {
        SslMessage m = mailbox.receive(WAIT).orElseThrow();
        if (!(m instanceof SslMessage.Data d)) {
            throw new IllegalStateException("unexpected " + m);
        }
        return d;
    }
}
