package io.sslkit.netty.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import io.sslkit.Protocol;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.netty.handler.StreamEnd;
import io.sslkit.netty.internal.Errors;
import java.net.InetSocketAddress;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * One proxied connection: the client's channel and the server's, their two {@link Relay}s, and how the pair
 * starts and ends. Touched on the connection's event loop only (both channels share it).
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>The route is chosen (at once, or from the ClientHello's server name by {@link SniRouter}); the connection
 *   to its backend then runs alongside the rest of the client's handshake, or after it when a PROXY v2 header
 *   must carry the handshake's results. Nothing is read from either side until both are ready.</li>
 *   <li>Then both relays deliver, each paused while the other side's channel is above its high-water mark.</li>
 *   <li>The client's end of stream is passed on as a TCP half-close to the server, whose answer keeps flowing;
 *   the server's end closes both (the client gets close_notify after the last byte). Any failure closes both; a
 *   backend that cannot be reached closes the client cleanly (close_notify) once its handshake is done.</li>
 * </ol>
 */
final class Link {

    private final TlsProxy proxy;
    private final Channel clientChannel;
    private final long startNanos = System.nanoTime();
    /** The client's address: the socket's, or the source of an accepted PROXY header. */
    private String peer;
    Relay client;
    Relay server;
    private Route route;
    private String sni;
    private String protocol;
    private String cipher;
    private String alpn;
    /** Bytes forwarded client → backend and backend → client. */
    private long bytesIn;
    private long bytesOut;
    private boolean clientReady;
    private boolean serverConnected;
    private boolean serverReady;
    /** The backend connect was started (once). */
    private boolean connecting;
    /** The backend failed before the client's handshake ended: close the client cleanly once it does. */
    private StreamEnd backendFailure;
    private boolean started;
    private boolean done;
    /** How it ended: {@code null} until the first failure (or clean end) decides it. */
    private String outcome;
    private String reason;

    Link(TlsProxy proxy, Channel clientChannel) {
        this.proxy = proxy;
        this.clientChannel = clientChannel;
        InetSocketAddress a = (InetSocketAddress) clientChannel.remoteAddress();
        this.peer = a.getAddress().getHostAddress() + ":" + a.getPort();
        clientChannel.closeFuture().addListener(f -> closed());
    }

    boolean started() {
        return started;
    }

    String peer() {
        return peer;
    }

    Route route() {
        return route;
    }

    String sni() {
        return sni;
    }

    Channel clientChannel() {
        return clientChannel;
    }

    /** A PROXY header from a load balancer named the real client. */
    void clientAddress(String address, int port) {
        peer = (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** The route is known: connect now, or after the client's handshake when the backend header needs it. */
    void routed(String serverName, Route chosen) {
        this.sni = serverName;
        this.route = chosen;
        if (chosen.isPassthrough()) {
            clientReady = true; // nothing to wait for: the TLS bytes are the backend's business
            proxy.log(peer + " passthrough " + (serverName == null ? "-" : serverName) + " -> " + chosen.backend());
        }
        if (clientReady || !proxy.connectsAfterHandshake()) {
            connect();
        }
    }

    private void connect() {
        if (!connecting && !done) {
            connecting = true;
            proxy.connect(this);
        }
    }

    /** A side finished its setup (handshake, or TCP connect for a plain server side). */
    void ready(Relay r) {
        if (r.clientSide()) {
            clientReady = true;
            recordHandshake(r.channel());
            proxy.listener().handshake("ok", null, System.nanoTime() - startNanos);
            proxy.log(peer + " " + protocol + " " + cipher + " " + proxy.providerOf(route) + " -> "
                    + route.backend());
            if (backendFailure != null) {
                fail(server, backendFailure); // clientReady now: closes both, the client with close_notify
                return;
            }
            connect();
        } else {
            serverReady = true;
        }
        if (clientReady && serverReady && !started && !done) {
            started = true;
            client.start();
            server.start();
        }
    }

    /** The client's handshake failed (or timed out). */
    void handshakeFailed(Relay r, StreamEnd end) {
        if (!done) {
            Reason why = end.reason();
            String kind = why == Reason.TIMEOUT ? "timeout" : why instanceof Reason.TlsAlert ? "alert" : "closed";
            String alert = why instanceof Reason.TlsAlert a ? a.alert().erlangName() : null;
            proxy.listener().handshake(kind, alert, System.nanoTime() - startNanos);
            decide(why == Reason.TIMEOUT ? "timeout" : "handshake_failed", why);
        }
        fail(r, end);
    }

    /** A side's stream ended cleanly, after everything it sent was forwarded. */
    void inputEnded(Relay r) {
        if (!r.clientSide()) {
            finish(); // the server is done: the client gets the rest, then close_notify
        }
        // the client half-closed: the server may still answer
    }

    /** No byte either way for the idle timeout: close both, the client with close_notify. */
    void idle() {
        if (!done) {
            decide(clientReady ? "idle" : "timeout", Reason.TIMEOUT);
            proxy.log(peer + " error " + (clientReady ? "idle " : "handshake ") + oneLine(Reason.TIMEOUT));
            done = true;
            closeBoth();
        }
    }

    /** Something failed, or a side ended before relaying began: close both, once, logging why. */
    void fail(Relay r, StreamEnd end) {
        if (done) {
            return;
        }
        if (r != null && !r.clientSide() && !clientReady) {
            // the backend failed while the client is still in its handshake: close it cleanly once that is done
            if (backendFailure == null || backendFailure.reason() == Reason.CLOSED) {
                backendFailure = end;
            }
            return;
        }
        if (!end.isClean() || !started) {
            String where = r == null || r.clientSide() ? "" : "server " + target() + ": ";
            proxy.log(peer + " error " + where + oneLine(end.reason()));
            decide(r == null || r.clientSide() ? "error" : "backend_failed", end.reason());
        }
        done = true;
        closeBoth();
    }

    /** The server could not be reached (refused, timed out): the client is closed cleanly, not left hanging. */
    void connectFailed(Throwable cause) {
        fail(server, new StreamEnd(Errors.reasonOf(cause, true), cause));
    }

    /** The backend's TCP connection is up (its TLS handshake, if any, follows). */
    void serverConnected() {
        serverConnected = true;
    }

    /** Whether the backend's TCP connection came up (before that, its channel's end is the connect failure's). */
    boolean isServerConnected() {
        return serverConnected;
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

    void count(boolean fromClient, int bytes) {
        if (fromClient) {
            bytesIn += bytes;
        } else {
            bytesOut += bytes;
        }
    }

    void notePending(long bytes) {
        proxy.notePending(bytes);
    }

    /** The Erlang reason of a failure on a side: the client side is a TLS server, the server side a client. */
    Reason reason(Relay r, Throwable cause) {
        return Errors.reasonOf(cause, !r.clientSide());
    }

    /** The handshake's results, for the PROXY v2 header; {@code null} fields when passed through. */
    String protocol() {
        return protocol;
    }

    String cipher() {
        return cipher;
    }

    SSLSession clientSession() {
        SslHandler ssl = clientChannel.pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.engine().getSession();
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        decide("ok", null);
        // Whether or not the client had ended its side, the exchange is over: close_notify after the last byte.
        clientChannel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        if (server != null && server.channel() != null) {
            server.channel().close();
        }
    }

    private void closeBoth() {
        // SslHandler's close sends close_notify first (after the handshake; a client mid-handshake just closes).
        clientChannel.close();
        if (server != null && server.channel() != null) {
            server.channel().close();
        }
    }

    private void decide(String how, Reason why) {
        if (outcome == null) {
            outcome = how;
            reason = why == null ? null : oneLine(why);
        }
    }

    /** The client channel closed: the record of the connection goes to the listener. */
    private void closed() {
        if (server != null && server.channel() != null) {
            server.channel().close();
        }
        decide(proxy.stopping() ? "stopped" : started ? "ok" : "error", started ? null : Reason.CLOSED);
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        proxy.listener().closed(new ConnectionRecord(peer, sni, alpn, protocol, cipher,
                route == null ? null : route.backend().toString(), bytesIn, bytesOut, millis, outcome, reason));
    }

    private String target() {
        return route == null ? "?" : route.backend().toString();
    }

    private void recordHandshake(Channel ch) {
        SslHandler ssl = ch.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return; // passed through
        }
        SSLSession s = ssl.engine().getSession();
        protocol = Protocol.fromName(s.getProtocol()).map(Protocol::toString).orElse(s.getProtocol());
        cipher = s.getCipherSuite();
        String p = ssl.applicationProtocol();
        alpn = p == null || p.isEmpty() ? null : p;
        if (sni == null && s instanceof ExtendedSSLSession x) { // routed without reading the ClientHello
            for (SNIServerName n : x.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    sni = h.getAsciiName();
                }
            }
        }
    }

    static String oneLine(Reason reason) {
        return Ssl.formatError(reason).strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
