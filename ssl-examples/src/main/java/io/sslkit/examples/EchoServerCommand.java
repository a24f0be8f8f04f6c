package io.sslkit.examples;

import io.sslkit.Active;
import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.Ssl;
import io.sslkit.SslOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sslkit echo-server}: a TLS echo server (see {@link EchoServer}). Prints {@code listening <port>} first, then
 * serves until killed. Exit code 1 if it cannot listen (the formatted reason on stderr, as {@code error <text>}).
 */
@Command(name = "echo-server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A TLS echo server: echoes every message of every connection, half-closes after the client "
                + "does, prints 'listening <port>' first and one line per connection on stderr. Runs until killed."})
final class EchoServerCommand extends ServingCommand implements Callable<Integer> {

    @Option(names = "--port", required = true, paramLabel = "N", converter = Flags.ListenPortConverter.class,
            description = "port to listen on (0 = any free one)")
    int port;

    @Mixin
    ServerTlsFlags tls;

    @Option(names = "--packet", paramLabel = "raw|1|2|4|line", converter = Flags.PacketConverter.class,
            defaultValue = "raw", description = "how messages are framed (default: ${DEFAULT-VALUE})")
    PacketType packet;

    @Option(names = "--active", paramLabel = "true|false|once|N", converter = Flags.ActiveConverter.class,
            defaultValue = "false", description = "how the server reads (default: ${DEFAULT-VALUE}: passive recv)")
    Active active;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (active.kind() == Active.Kind.COUNT && active.count() <= 0) {
            throw new ParameterException(spec.commandLine(), "--active N needs N > 0: " + active);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return serve(out, () -> {
            try (Ssl ssl = Ssl.start()) {
                SslOptions options = tls.builder().set(Opt.PACKET, packet).build();
                try (EchoServer server = new EchoServer(ssl, options, active, err)) {
                    listeningUntilStopped(out, server.start(port));
                }
            }
        });
    }
}
