package io.sslkit.examples;

import io.sslkit.Active;
import io.sslkit.ConnectionInfo;
import io.sslkit.How;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * An echo server on the sslkit API: {@code ssl:listen}, a {@code transport_accept} loop, and one thread per
 * connection (virtual where the JVM has them, see {@link Threads}) that handshakes and echoes every message back.
 *
 * <h3>Per connection</h3>
 * <ul>
 *   <li>Passive ({@code active false}): {@code recv(0)} and {@code send} of each message, in a loop.</li>
 *   <li>Active ({@code true}, {@code once}, {@code N}): the connection's thread becomes its owner (a
 *   {@link Mailbox}), then echoes each {@code Data} message; {@code once} is re-armed after each message and
 *   {@code N} on each {@code Passive} message, as an Erlang owner does.</li>
 *   <li>Half-close: sockets run with {@code exit_on_close false}. When the client's stream ends ({@code closed} from
 *   {@code recv}, or a {@code Closed} message) everything received has already been echoed, so the server sends
 *   its own end with {@code shutdown(write)} and closes.</li>
 *   <li>One line on the log for each connection once its handshake ends: {@code <peer> <protocol> <cipher>
 *   <provider>}, or {@code <peer> error <formatError text>}. A connection that fails later (an alert, a reset)
 *   adds an {@code error} line.</li>
 * </ul>
 *
 * <p>Flow control is sslkit's: {@code send} blocks while the client does not read, and nothing is read from the
 * client meanwhile, so a client that does not read its echo is held back by TCP.
 */
final class EchoServer implements AutoCloseable {

    private static final Timeout HANDSHAKE = Timeout.millis(30_000);

    private final Ssl ssl;
    private final SslOptions options;
    private final Active active;
    private final PrintWriter log;
    private final ExecutorService threads = Threads.perTask("echo");
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile SslListenSocket listen;

    /**
     * @param options the listen options; {@code active} and {@code exit_on_close} are set per connection here
     * @param active  the mode connections echo in
     * @param log     where the per-connection lines go (flushed after each)
     */
    EchoServer(Ssl ssl, SslOptions options, Active active, PrintWriter log) {
        this.ssl = ssl;
        this.options = options.toBuilder().active(Active.FALSE).set(Opt.EXIT_ON_CLOSE, false).build();
        this.active = active;
        this.log = log;
    }

    /** Listens on {@code port} (0 = any free one) and starts accepting; returns the port. */
    int start(int port) throws SslException {
        listen = ssl.listen(port, options);
        int bound = listen.port();
        threads.execute(this::acceptLoop);
        return bound;
    }

    private void acceptLoop() {
        SslListenSocket l = listen;
        while (true) {
            SslSocket s;
            try {
                s = l.transportAccept();
            } catch (SslException e) {
                if (e.reason() != Reason.CLOSED) {
                    line("accept error " + oneLine(e.reason()));
                }
                return; // the listen socket was closed
            }
            open.add(s);
            threads.execute(() -> serve(s));
        }
    }

    private void serve(SslSocket s) {
        String peer = "?";
        try {
            peer = peer(s.peername());
            s.handshake(HANDSHAKE);
            ConnectionInfo info = s.connectionInfo();
            line(peer + " " + info.protocol() + " " + info.cipherSuite() + " " + info.provider()
                    + info.negotiatedProtocol().map(p -> " alpn=" + p).orElse(""));
            if (active.equals(Active.FALSE)) {
                echoPassive(s);
            } else {
                echoActive(s);
            }
            halfClose(s);
        } catch (SslException e) {
            if (e.reason() != Reason.CLOSED) {
                line(peer + " error " + oneLine(e.reason()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            s.close();
            open.remove(s);
        }
    }

    /**
     * The client's end came and everything before it was echoed: now ours. A client that closed entirely (rather
     * than half-closed) is gone already, and there is nobody left to tell.
     */
    private static void halfClose(SslSocket s) {
        try {
            s.shutdown(How.WRITE);
        } catch (SslException e) {
            // closed (or a channel error saying so): the client closed both ways
        }
    }

    private static void echoPassive(SslSocket s) throws SslException {
        while (true) {
            byte[] message;
            try {
                message = s.recv(0);
            } catch (SslException e) {
                if (e.reason() == Reason.CLOSED) {
                    return; // exit_on_close false: the socket stays open for our half
                }
                throw e;
            }
            s.send(message);
        }
    }

    private void echoActive(SslSocket s) throws SslException, InterruptedException {
        Mailbox mailbox = new Mailbox();
        s.controllingProcess(null, mailbox);
        s.setopts(Opt.ACTIVE.of(active));
        while (true) {
            SslMessage m = mailbox.receive();
            if (m instanceof SslMessage.Data d) {
                s.send(d.bytes());
                if (active.equals(Active.ONCE)) {
                    s.setopts(Opt.ACTIVE.of(Active.ONCE));
                }
            } else if (m instanceof SslMessage.Passive) {
                s.setopts(Opt.ACTIVE.of(active)); // {active, N} ran out: N more
            } else if (m instanceof SslMessage.Closed) {
                return;
            } else if (m instanceof SslMessage.Error e) {
                throw new SslException(e.reason());
            }
        }
    }

    private void line(String text) {
        synchronized (log) {
            log.println(text);
            log.flush();
        }
    }

    static String peer(InetSocketAddress a) {
        return (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort();
    }

    /** {@link Ssl#formatError} on one line (alert texts carry the engine's detail on a second line). */
    static String oneLine(Reason reason) {
        return Cli.oneLine(reason);
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        SslListenSocket l = listen;
        if (l != null) {
            l.close();
        }
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                // closing is best effort
            }
        }
        threads.shutdownNow();
    }
}
