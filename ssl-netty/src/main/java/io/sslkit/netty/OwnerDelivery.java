package io.sslkit.netty;

import io.sslkit.ControllingProcess;
import io.sslkit.Mailbox;
import io.sslkit.SslMessage;
import io.sslkit.SslSocket;
import io.sslkit.netty.conn.TlsConnection;
import io.sslkit.netty.handler.ActiveSink;
import io.sslkit.netty.handler.StreamEnd;

/**
 * Turns the active-mode handler's output into {@link SslMessage}s for the socket's owner. Data flows one way: the
 * handler gives a message, this shapes it by the connection's emulated options and hands it to the owner; the
 * handler's consumption callback goes with it inside the {@code Data} message.
 *
 * <h2>Flow control</h2>
 * A {@link Mailbox} marks a {@code Data} consumed when {@code receive} returns it; any other owner when its
 * {@code deliver} returns. The handler holds the unconsumed bytes under its high watermark (the
 * {@code owner_high_watermark} option), so with {@code active=true} the socket's memory is bounded by it plus one
 * read.
 *
 * <h2>Threading</h2>
 * Called on the event loop; {@link #owner} may be swapped from any thread (volatile).
 */
final class OwnerDelivery implements ActiveSink {

    private static final io.netty.util.internal.logging.InternalLogger LOG = io.netty.util.internal.logging.InternalLoggerFactory.getInstance("io.sslkit");

    /** The socket messages name (identity only: nothing is called on it). */
    private final SslSocket socket;
    private final TlsConnection conn;
    private volatile ControllingProcess owner;
    /** Whether the owner got its Closed/Error already (at most one end message). */
    private volatile boolean endSent;

    OwnerDelivery(SslSocket socket, TlsConnection conn, ControllingProcess owner) {
        this.socket = socket;
        this.conn = conn;
        this.owner = owner;
    }

    ControllingProcess owner() {
        return owner;
    }

    void owner(ControllingProcess next) {
        this.owner = next;
    }

    @Override
    public void data(Object message, int size) {
        data(message, size, () -> { });
    }

    @Override
    public void data(Object message, int size, Runnable consumed) {
        Object payload = conn.emulated().shape(message); // byte[], String (list mode), HeaderData or HttpPacket
        send(new SslMessage.Data(socket, payload, size, consumed));
    }

    @Override
    public void streamEnded(StreamEnd end) {
        conn.peerEnded(end);
    }

    @Override
    public void passive() {
        send(new SslMessage.Passive(socket));
    }

    @Override
    public void end(StreamEnd end) {
        send(end.isClean() ? new SslMessage.Closed(socket) : new SslMessage.Error(socket, end.reason()));
    }

    /** The runtime stopped under the socket: the owner gets a last {@code Closed} (any thread). */
    void tellClosed() {
        ControllingProcess to = owner;
        if (to != null && !endSent) {
            endSent = true;
            try {
                to.deliver(new SslMessage.Closed(socket));
            } catch (Throwable t) {
                LOG.warn("owner of " + socket + " threw while taking its close", t);
            }
        }
    }

    private void send(SslMessage m) {
        ControllingProcess to = owner;
        if (conn.closedLocally() || to == null) {
            // OTP sends nothing to the owner after its own close; a socket without owner is never active.
            if (m instanceof SslMessage.Data d) {
                d.markConsumed();
            }
            return;
        }
        if (m instanceof SslMessage.Closed || m instanceof SslMessage.Error) {
            endSent = true;
        }
        try {
            to.deliver(m);
        } catch (Throwable t) {
            // The owner's failure must not take the connection down: report it, count the message as delivered.
            LOG.warn("owner of " + socket + " threw while taking " + m, t);
        }
        if (!(to instanceof Mailbox) && m instanceof SslMessage.Data d) {
            d.markConsumed();
        }
    }
}
