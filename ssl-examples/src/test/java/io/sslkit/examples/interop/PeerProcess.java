package io.sslkit.examples.interop;

import io.sslkit.examples.Lines;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real peer as a child process: stdout and stderr collected as {@link Lines} by two threads, a deadline for
 * every wait, and {@link #close()} that kills it (and anything it started) whatever happened.
 */
public final class PeerProcess implements AutoCloseable {

    private final List<String> command;
    private final Process process;
    private final Lines out = new Lines();
    private final Lines err = new Lines();

    private PeerProcess(List<String> command, boolean echo) throws IOException {
        this.command = command;
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("ERL_FLAGS"); // the peer's behaviour must not depend on the developer's shell
        this.process = pb.start();
        if (echo) {
            echo(process.getInputStream(), process.getOutputStream());
        } else {
            pump(process.getInputStream(), out, "out");
        }
        pump(process.getErrorStream(), err, "err");
    }

    /** Starts {@code command}. */
    public static PeerProcess start(List<String> command) throws IOException {
        return new PeerProcess(command, false);
    }

    /**
     * Starts {@code command} with its stdout copied back to its stdin, byte for byte: a server that prints what it
     * receives and sends what it reads ({@code openssl s_server -quiet}) becomes an echo server.
     */
    public static PeerProcess startEcho(List<String> command) throws IOException {
        return new PeerProcess(command, true);
    }

    private void echo(InputStream from, OutputStream to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            int n;
            try (from; to) {
                while ((n = from.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                out.close();
            }
        }, "peer-echo");
        t.setDaemon(true);
        t.start();
    }

    private void pump(InputStream in, Lines to, String name) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                to.close();
            }
        }, "peer-" + name);
        t.setDaemon(true);
        t.start();
    }

    public Lines out() {
        return out;
    }

    public Lines err() {
        return err;
    }

    public OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Waits for the {@code listening <port>} line and returns the port. */
    public int awaitListening(Duration timeout) throws InterruptedException {
        String line = out.awaitPrefix("listening ", timeout).orElseThrow(() -> new AssertionError(
                "no 'listening' line from " + this + "\nstdout: " + out.text() + "\nstderr: " + err.text()));
        return Integer.parseInt(line.substring("listening ".length()).trim());
    }

    /** Waits for the exit; kills the process and fails if it takes longer than {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + this + "\nstdout: "
                    + out.text() + "\nstderr: " + err.text());
        }
        // let the pumps reach the end of the streams
        out.await(l -> false, Duration.ofSeconds(2));
        err.await(l -> false, Duration.ofSeconds(2));
        return process.exitValue();
    }

    /**
     * Sends SIGTERM (a graceful stop request) and goes on reading the process's output. Through its
     * {@code ProcessHandle}: {@link Process#destroy()} would also close our ends of its stdout and stderr.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** The process id (to send it other signals with {@code kill}). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process tree (idempotent). */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
