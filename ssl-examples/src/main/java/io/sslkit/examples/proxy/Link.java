package io.sslkit.examples.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import io.sslkit.Protocol;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.netty.handler.StreamEnd;
import io.sslkit.netty.handler.TlsErrors;
import javax.net.ssl.SSLSession;

/**
 * One proxied connection: the client's channel and the server's, their two {@link Relay}s, and how the pair
 * starts and ends. Touched on the connection's event loop only (both channels share it).
 *
 * <h3>Lifecycle</h3>
 * <ol>
 *   <li>The client's TLS handshake and the connection to the server (plus its handshake when re-encrypting) run
 *   at the same time; nothing is read from either side until both are done ({@link #ready}).</li>
 *   <li>Then both relays deliver, each paused while the other side's channel is above its high-water mark.</li>
 *   <li>The client's end of stream is passed on as a TCP half-close to the server, whose answer keeps flowing;
 *   the server's end closes both (the client gets close_notify after the last byte). Any failure closes both.</li>
 * </ol>
 */
final class Link {

    private final TlsProxy proxy;
    private final String peer;
    Relay client;
    Relay server;
    private boolean clientReady;
    private boolean serverReady;
    private boolean started;
    private boolean clientEnded;
    private boolean done;

    Link(TlsProxy proxy, String peer) {
        this.proxy = proxy;
        this.peer = peer;
    }

    boolean started() {
        return started;
    }

    /** A side finished its setup (handshake, or TCP connect for a plain server side). */
    void ready(Relay r) {
        if (r.clientSide()) {
            clientReady = true;
            proxy.log(peer + " " + describe(r.channel()) + " -> " + proxy.target());
        } else {
            serverReady = true;
        }
        if (clientReady && serverReady && !started && !done) {
            started = true;
            client.start();
            server.start();
        }
    }

    /** A side's stream ended cleanly, after everything it sent was forwarded. */
    void inputEnded(Relay r) {
        if (r.clientSide()) {
            clientEnded = true; // the server may still answer
        } else {
            finish(); // the server is done: the client gets the rest, then close_notify
        }
    }

    /** Something failed, or a side ended before relaying began: close both, once, logging why. */
    void fail(Relay r, StreamEnd end) {
        if (done) {
            return;
        }
        if (!end.isClean() || !started) {
            String where = r.clientSide() ? "" : "server " + proxy.target() + ": ";
            proxy.log(peer + " error " + where + oneLine(end.reason()));
        }
        done = true;
        closeQuietly(client);
        closeQuietly(server);
    }

    /** The server could not be reached. */
    void connectFailed(Throwable cause) {
        fail(server, new StreamEnd(TlsErrors.reasonOf(cause, Reason.TlsAlert.Role.CLIENT), cause));
    }

    /** A listener that fails the link when a write fails. */
    ChannelFutureListener closeOnFailure() {
        return f -> {
            if (!f.isSuccess()) {
                Relay to = f.channel() == client.channel() ? client : server;
                fail(to, new StreamEnd(reason(to, f.cause()), f.cause()));
            }
        };
    }

    void notePending(long bytes) {
        proxy.notePending(bytes);
    }

    /** The Erlang reason of a failure on a side: the client side is a TLS server, the server side a client. */
    Reason reason(Relay r, Throwable cause) {
        return TlsErrors.reasonOf(cause,
                r.clientSide() ? Reason.TlsAlert.Role.SERVER : Reason.TlsAlert.Role.CLIENT);
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        // Whether or not the client had ended its side (clientEnded), the exchange is over: close_notify after the
        // last byte tells it so.
        Channel c = client.channel();
        c.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        server.channel().close();
    }

    private static void closeQuietly(Relay r) {
        if (r != null && r.channel() != null) {
            r.channel().close();
        }
    }

    private String describe(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        SSLSession s = ssl.engine().getSession();
        String protocol = Protocol.fromName(s.getProtocol()).map(Protocol::toString).orElse(s.getProtocol());
        return protocol + " " + s.getCipherSuite() + " " + proxy.frontProvider();
    }

    static String oneLine(Reason reason) {
        return Ssl.formatError(reason).strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
