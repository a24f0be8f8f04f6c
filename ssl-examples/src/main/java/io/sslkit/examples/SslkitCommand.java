package io.sslkit.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sslkit} command: runnable programs built on the sslkit API.
 *
 * <pre>
 * java -jar ssl-examples/target/sslkit.jar certs --out certs
 * java -jar ssl-examples/target/sslkit.jar demo
 * java -jar ssl-examples/target/sslkit.jar echo-server --port 4433
 * java -jar ssl-examples/target/sslkit.jar echo-client --host localhost --port 4433 --verify verify_none --bytes 1G
 * java -jar ssl-examples/target/sslkit.jar proxy --listen 8443 --connect localhost:8080
 * </pre>
 *
 * <p>Exit codes ({@link Cli}): 0 success, 1 a TLS, network or data failure, 2 a usage error; each failure is one
 * line on stderr, {@code error <text>}. Without a subcommand it prints its usage on stderr and exits 2.
 */
@Command(name = "sslkit", mixinStandardHelpOptions = true, version = "sslkit 0.1.0",
        description = "Erlang/OTP's ssl API in Java, on Netty: runnable programs.",
        footer = {"", "Exit codes: 0 success, 1 a TLS, network or data failure, 2 a usage error. "
                + "A failure is one line on stderr: error <reason>."},
        subcommands = {CertsCommand.class, DemoCommand.class, EchoServerCommand.class, EchoClientCommand.class,
                ProxyCommand.class})
public final class SslkitCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Whether the process's stderr is a terminal (set by {@link #main}; in-process runs write elsewhere). */
    private final boolean stderrIsTerminal;

    private SslkitCommand(boolean stderrIsTerminal) {
        this.stderrIsTerminal = stderrIsTerminal;
    }

    public static void main(String[] args) {
        System.exit(Cli.configure(new CommandLine(new SslkitCommand(Terminal.stderrIsTerminal()))).execute(args));
    }

    /** The command line as {@link #main} runs it (tests execute it in-process with their own writers). */
    static CommandLine commandLine() {
        return Cli.configure(new CommandLine(new SslkitCommand(false)));
    }

    /** Whether progress lines may be rewritten in place, and are shown without {@code --progress}. */
    boolean stderrIsTerminal() {
        return stderrIsTerminal;
    }

    /** No subcommand: a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return Cli.USAGE;
    }
}
