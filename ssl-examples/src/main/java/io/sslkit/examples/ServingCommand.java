package io.sslkit.examples;

import io.sslkit.SslException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * What the commands that serve until killed ({@code echo-server}, {@code proxy}) print and how they end:
 * {@code listening <port>} on stdout once they listen, then block; {@code error <reason>} on stderr and exit code 1 if
 * they cannot start (see {@link Cli}).
 */
abstract class ServingCommand {

    private final CountDownLatch stop = new CountDownLatch(1);

    /** Prints {@code listening <port>} (the line scripts and tests wait for), then blocks until {@link #stop()}. */
    final void listeningUntilStopped(PrintWriter out, int port) throws InterruptedException {
        out.println("listening " + port);
        out.flush();
        stop.await();
    }

    /** A command's work: start listening, then {@link #listeningUntilStopped}. */
    @FunctionalInterface
    interface Serve {
        void run() throws SslException, InterruptedException;
    }

    /**
     * Runs {@code serve}; returns exit code 0 when it ends. When sslkit cannot listen ({@code eaddrinuse}, a PEM
     * file it cannot use, ...) the failure goes to {@link Cli}'s handler, which prints the one line
     * {@code error <reason>} on stderr and exits 1.
     *
     * @param out unused: kept so that the commands' calls stay as they are
     */
    static int serve(PrintWriter out, Serve serve) throws InterruptedException {
        try {
            serve.run();
            return Cli.OK;
        } catch (SslException e) {
            throw new Cli.Unchecked(e);
        }
    }

    /** Ends the wait of {@link #listeningUntilStopped} (tests; the command itself runs until its process is killed). */
    final void stop() {
        stop.countDown();
    }
}
