package io.sslkit.examples;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Runs the {@code sslkit} command in this JVM, exactly as {@code main} parses it, with its stdout and stderr captured:
 * the interop tests drive the real flags without paying a JVM start per case.
 */
public final class Sslkit {

    private Sslkit() {
    }

    /** A finished run: exit code and output. */
    public record Run(int exitCode, Lines out, Lines err) {
        /** The first stdout line, or "" if none. */
        public String firstLine() {
            return out.lines().isEmpty() ? "" : out.lines().get(0);
        }

        /** The failure line on stderr ({@code error <text>}), or "" if none. */
        public String errorLine() {
            return err.lines().stream().filter(l -> l.startsWith("error ")).findFirst().orElse("");
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", stdout: " + out.text() + ", stderr: " + err.text();
        }
    }

    /** Runs a command that ends by itself ({@code echo-client ...}). */
    public static Run run(String... args) {
        Lines out = new Lines();
        Lines err = new Lines();
        CommandLine cl = SslkitCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        out.close();
        err.close();
        return new Run(code, out, err);
    }

    /** A server command ({@code echo-server}, {@code proxy}) running on its own thread until {@link #close()}. */
    public static final class Server implements AutoCloseable {
        private final Thread thread;
        private final Runnable stop;
        private final Lines out = new Lines();
        private final Lines err = new Lines();
        private volatile int exitCode = -1;
        private int port;

        private Server(String... args) {
            CommandLine cl = SslkitCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            Object command = cl.getSubcommands().get(args[0]).getCommand();
            stop = command instanceof EchoServerCommand e ? e::stop : ((ProxyCommand) command)::stop;
            thread = new Thread(() -> {
                exitCode = cl.execute(args);
                out.close();
                err.close();
            }, "sslkit-" + args[0]);
            thread.setDaemon(true);
            thread.start();
        }

        /** The port from the {@code listening <port>} line. */
        public int port() {
            return port;
        }

        /** stderr: one line per connection. */
        public Lines err() {
            return err;
        }

        public Lines out() {
            return out;
        }

        @Override
        public void close() throws InterruptedException {
            stop.run();
            thread.join(10_000);
        }
    }

    /** Starts {@code args} (an {@code echo-server} or {@code proxy} command line) and waits for its port. */
    public static Server start(String... args) throws InterruptedException {
        Server s = new Server(args);
        String line = s.out.awaitPrefix("", Duration.ofSeconds(30)).orElseThrow(
                () -> new AssertionError(args[0] + " printed nothing: " + s.err.text()));
        if (!line.startsWith("listening ")) {
            s.close();
            throw new AssertionError(args[0] + " did not start: " + line + " " + s.err.text());
        }
        s.port = Integer.parseInt(line.substring("listening ".length()).trim());
        return s;
    }
}
