package io.sslkit.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sslkit} command: runnable programs built on the sslkit API.
 *
 * <pre>
 * java -jar ssl-examples/target/sslkit.jar demo
 * java -jar ssl-examples/target/sslkit.jar echo-server --port 4433
 * java -jar ssl-examples/target/sslkit.jar echo-client --host localhost --port 4433 --verify verify_none --bytes 1G
 * java -jar ssl-examples/target/sslkit.jar proxy --listen 8443 --connect localhost:8080
 * </pre>
 *
 * <p>Exit codes: 0 success, 1 a TLS or data failure (reported as {@code error <text>}), 2 a usage error.
 */
@Command(name = "sslkit", mixinStandardHelpOptions = true, version = "sslkit 0.1.0",
        description = "Erlang/OTP's ssl API in Java, on Netty: runnable programs.",
        subcommands = {DemoCommand.class, EchoServerCommand.class, EchoClientCommand.class, ProxyCommand.class})
public final class SslkitCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it (tests execute it in-process with their own writers). */
    static CommandLine commandLine() {
        return new CommandLine(new SslkitCommand());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
