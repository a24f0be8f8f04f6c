package io.sslkit.netty.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy for tests, on loopback only, that misbehaves on purpose in the server-to-client direction: it delays,
 * splits into single bytes, truncates (FIN), corrupts one byte, resets (RST) or stalls, once {@code after} bytes have
 * passed — in the handshake (small {@code after}) or in the middle of application records (large {@code after}).
 * The client-to-server direction is passed through untouched. Threads per connection; bounded by the test's own
 * timeouts; {@link #close()} ends everything.
 */
public final class FaultProxy implements AutoCloseable {

    /** What goes wrong. */
    public enum Fault { NONE, DELAY, SPLIT, TRUNCATE, CORRUPT, RESET, STALL }

    /** How many bytes SPLIT sends one at a time (a few records' worth: enough to cut records and headers). */
    private static final int SPLIT_BYTES = 4096;

    private final ServerSocket listen;
    private volatile InetSocketAddress target;
    private final Fault fault;
    private final long after;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CountDownLatch faulted = new CountDownLatch(1);
    /** Counted down by {@link #close()}: a stalled connection waits for it. */
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile boolean closed;

    /**
     * @param target where the server listens
     * @param fault  what to do
     * @param after  how many server-to-client bytes pass untouched first
     */
    public FaultProxy(InetSocketAddress target, Fault fault, long after) throws IOException {
        this(0, target, fault, after);
    }

    /** A proxy on a given local port (0: any), e.g. to stand in for a load balancer that keeps its address. */
    public FaultProxy(int port, InetSocketAddress target, Fault fault, long after) throws IOException {
        this.listen = new ServerSocket();
        this.listen.setReuseAddress(true);
        this.listen.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        this.target = target;
        this.fault = fault;
        this.after = after;
        Thread t = new Thread(this::acceptLoop, "fault-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Sends later connections to another server (a load balancer moving a client). */
    public void retarget(InetSocketAddress to) {
        this.target = to;
    }

    /** The port clients connect to. */
    public int port() {
        return listen.getLocalPort();
    }

    /** Waits until the fault has been applied (or the timeout passes). */
    public boolean awaitFault(long millis) throws InterruptedException {
        return faulted.await(millis, TimeUnit.MILLISECONDS);
    }

    private void acceptLoop() {
        try {
            while (!closed) {
                Socket client = listen.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                pump("c2s", client, server, false);
                pump("s2c", server, client, true);
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void pump(String name, Socket from, Socket to, boolean faulty) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                copy(in, out, to, faulty);
            } catch (IOException e) {
                // one side went away: the other is closed below
            } finally {
                if (!(faulty && fault == Fault.STALL)) {
                    quietlyShutdownOutput(to);
                }
            }
        }, "fault-proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    private void copy(InputStream in, OutputStream out, Socket to, boolean faulty) throws IOException {
        byte[] buf = new byte[16 * 1024];
        long passed = 0;
        boolean applied = false;
        int n;
        while ((n = in.read(buf)) >= 0) {
            // SPLIT splits the next SPLIT_BYTES bytes; the other faults happen once; then bytes pass untouched
            boolean untouched = applied && (fault != Fault.SPLIT || passed > after + SPLIT_BYTES);
            if (!faulty || fault == Fault.NONE || untouched || passed + n <= after) {
                out.write(buf, 0, n);
                out.flush();
                passed += n;
                continue;
            }
            int clean = (int) Math.max(0, after - passed);
            out.write(buf, 0, clean);
            out.flush();
            passed += clean;
            applied = true;
            if (!applyFault(buf, clean, n, out, to)) {
                return;
            }
            passed += n - clean;
        }
    }

    /** Applies the fault to {@code buf[from, to)}; returns whether copying goes on. */
    private boolean applyFault(byte[] buf, int from, int to, OutputStream out, Socket socket) throws IOException {
        faulted.countDown();
        switch (fault) {
            case DELAY -> {
                sleepQuietly(200); // the proxy's own behaviour, not a test's synchronisation
                out.write(buf, from, to - from);
                out.flush();
                return true;
            }
            case SPLIT -> {
                for (int i = from; i < to; i++) {
                    out.write(buf[i]);
                    out.flush();
                }
                return true;
            }
            case CORRUPT -> {
                if (to > from) {
                    buf[from] ^= 0x5a;
                }
                out.write(buf, from, to - from);
                out.flush();
                return true; // one byte only
            }
            case TRUNCATE -> {
                return false; // the finally block sends FIN
            }
            case RESET -> {
                socket.setSoLinger(true, 0);
                socket.close(); // RST
                return false;
            }
            case STALL -> {
                awaitQuietly(closedLatch); // hold the connection, silent, until the proxy is closed
                return false;
            }
            default -> throw new IllegalStateException(fault.toString());
        }
    }

    /** DELAY's own pause: the fault being simulated, not a wait for anything. */
    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void quietlyShutdownOutput(Socket s) {
        try {
            if (!s.isClosed()) {
                s.shutdownOutput();
            }
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        closedLatch.countDown();
        listen.close();
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (SocketException e) {
                // already closed
            }
        }
    }
}
