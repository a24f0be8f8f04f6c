package io.sslkit.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sslkit} command: runnable programs built on the sslkit API.
 *
 * <pre>
 * java -jar ssl-examples/target/sslkit.jar demo
 * </pre>
 */
@Command(name = "sslkit", mixinStandardHelpOptions = true, version = "sslkit 0.1.0",
        description = "Erlang/OTP's ssl API in Java, on Netty: runnable programs.",
        subcommands = {DemoCommand.class})
public final class SslkitCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SslkitCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
