package io.sslkit.examples;

import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code sslkit echo-client}: connects, sends data while reading the echo, checks it byte for byte (see
 * {@link EchoClient}). Prints {@code ok <bytes> <protocol> <cipher>} and exits 0; the throughput, and the progress
 * of a long run, go to stderr. A failure is one line on stderr, {@code error <text>}, exit code 1 (see {@link Cli}).
 */
@Command(name = "echo-client", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends data to a TLS echo server while reading the echo, and checks it byte for byte.",
                "Prints 'ok <bytes> <protocol> <cipher>' (exit 0) or 'error <reason>' on stderr (exit 1); "
                        + "the throughput and progress go to stderr."})
final class EchoClientCommand implements Callable<Integer> {

    @Option(names = "--host", required = true, paramLabel = "H", description = "server host")
    String host;

    @Option(names = "--port", required = true, paramLabel = "P", converter = Flags.PortConverter.class,
            description = "server port")
    int port;

    @Mixin
    ClientTlsFlags tls;

    @Option(names = "--packet", paramLabel = "raw|1|2|4|line", converter = Flags.PacketConverter.class,
            defaultValue = "raw", description = "how messages are framed (default: ${DEFAULT-VALUE}); with 'line' "
                    + "the data is text lines, --bytes rounded up to whole lines")
    PacketType packet;

    @ArgGroup(exclusive = true)
    What what = new What();

    /** {@code --bytes N} or {@code --message TEXT}. */
    static final class What {
        @Option(names = "--bytes", paramLabel = "N", converter = SizeConverter.class,
                description = "send N pseudo-random bytes; K, M, G suffixes are powers of 1024 (default: 1M)")
        Long bytes;

        @Option(names = "--message", paramLabel = "TEXT", description = "send TEXT (UTF-8) instead")
        String message;
    }

    @Option(names = "--renegotiate", description = "half-way through: renegotiate (TLS 1.2) or update keys "
            + "(TLS 1.3); only the JDK engine can, so --provider auto means jdk here")
    boolean renegotiate;

    @Option(names = "--half-close", description = "end with shutdown(write), then read the rest of the echo")
    boolean halfClose;

    @Option(names = "--progress", negatable = true, description = "a progress line on stderr (bytes, rate, "
            + "time left); default: when stderr is a terminal, rewritten in place")
    Boolean progress;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ParentCommand
    SslkitCommand parent;

    @Override
    public Integer call() throws SslException, EchoClient.MismatchException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Ssl ssl = Ssl.start()) {
            SslOptions.Builder b = tls.builder().set(Opt.PACKET, packet);
            if (renegotiate) {
                b.renegotiation(true); // only the JDK engine can (and can send a KeyUpdate): auto picks it
            }
            EchoData data = data();
            Progress bar = new Progress(err, Progress.Style.of(progress, parent != null && parent.stderrIsTerminal()),
                    "", data.size());
            EchoClient client = new EchoClient(b.build(), data, renegotiate, halfClose, bar::update);
            EchoClient.Result r = client.run(ssl, host, port);
            bar.finish(r.bytes());
            double seconds = r.nanos() / 1e9;
            out.println("ok " + r.bytes() + " " + r.info().protocol() + " " + r.info().cipherSuite());
            err.printf(Locale.ROOT, "%d bytes echoed in %.3f s: %.1f MiB/s each way (%s%s, %s)%n", r.bytes(),
                    seconds, r.bytes() / seconds / (1 << 20), r.info().provider(),
                    r.info().negotiatedProtocol().map(p -> ", alpn " + p).orElse(""),
                    Threads.virtual() ? "virtual threads" : "platform threads");
            return Cli.OK;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private EchoData data() {
        if (what.message != null) {
            String text = what.message;
            if (packet == PacketType.LINE && !text.endsWith("\n")) {
                text += "\n"; // a line server delivers whole lines only
            }
            return EchoData.message(text.getBytes(StandardCharsets.UTF_8));
        }
        long n = what.bytes == null ? 1 << 20 : what.bytes;
        long seed = System.nanoTime();
        return packet == PacketType.LINE ? EchoData.lines(n, seed) : EchoData.random(n, seed);
    }

    /** {@code 1000}, {@code 64K}, {@code 512M}, {@code 10G}. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            int shift = v.endsWith("K") ? 10 : v.endsWith("M") ? 20 : v.endsWith("G") ? 30 : 0;
            try {
                long n = Long.parseLong(shift == 0 ? v : v.substring(0, v.length() - 1));
                if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
                    throw new TypeConversionException("'" + value + "' is not a positive size");
                }
                return n << shift;
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a size (N, NK, NM or NG)");
            }
        }
    }
}
