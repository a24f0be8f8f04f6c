package io.sslkit.examples;

import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslOptionsException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * What the commands that serve until killed ({@code echo-server}, {@code proxy}) print and how they end:
 * {@code listening <port>} on stdout once they listen, then block; {@code error <reason>} and exit code 1 if they
 * cannot start.
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
     * Runs {@code serve}; returns exit code 0 when it ends, or prints {@code error <reason>} and returns 1 when
     * sslkit refuses its options or cannot listen.
     */
    static int serve(PrintWriter out, Serve serve) throws InterruptedException {
        try {
            serve.run();
            return 0;
        } catch (SslException e) {
            return error(out, e.reason());
        } catch (SslOptionsException e) {
            return error(out, e.reason());
        }
    }

    private static int error(PrintWriter out, Reason reason) {
        out.println("error " + EchoServer.oneLine(reason));
        out.flush();
        return 1;
    }

    /** Ends the wait of {@link #listeningUntilStopped} (tests; the command itself runs until its process is killed). */
    final void stop() {
        stop.countDown();
    }
}
