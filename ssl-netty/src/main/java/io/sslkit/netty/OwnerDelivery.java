package io.sslkit.netty;

import io.netty.channel.EventLoop;
import io.sslkit.ControllingProcess;
import io.sslkit.Mailbox;
import io.sslkit.SslMessage;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.handler.ActiveSink;
import io.sslkit.netty.handler.StreamEnd;

/**
 * Turns the active-mode handler's output into {@link SslMessage}s for the socket's owner, and keeps a slow owner from
 * making the socket buffer without bound.
 *
 * <h3>Flow control</h3>
 * {@link #unconsumed} counts the bytes of {@code Data} messages handed to the owner and not yet taken: a
 * {@link Mailbox} marks a message consumed when {@code receive} returns it; any other owner when its
 * {@code deliver} returns. Above the high-water mark the handler is paused (no delivery, so no read, so TCP holds the
 * sender back); at half of it, it resumes. So with {@code active=true} the socket's memory is bounded by the
 * high-water mark plus one read.
 *
 * <h3>Threading</h3>
 * Called on the event loop; {@link #owner} may be swapped from any thread (volatile); consumption callbacks hop back
 * onto the event loop.
 */
final class OwnerDelivery implements ActiveSink {

    private static final io.netty.util.internal.logging.InternalLogger LOG = io.netty.util.internal.logging.InternalLoggerFactory.getInstance("io.sslkit");

    private final NettySslSocket socket;
    private final EventLoop loop;
    private final int highWatermark;
    private ActiveModeHandler handler;
    private volatile ControllingProcess owner;
    /** Bytes delivered to the owner and not yet consumed (event loop only). */
    private long unconsumed;
    /** Whether the owner got its Closed/Error already (at most one end message). */
    private volatile boolean endSent;
    /** Whether this delivery paused the handler (event loop only). */
    private boolean paused;

    OwnerDelivery(NettySslSocket socket, EventLoop loop, ControllingProcess owner, int highWatermark) {
        this.socket = socket;
        this.loop = loop;
        this.owner = owner;
        this.highWatermark = highWatermark;
    }

    void attach(ActiveModeHandler handler) {
        this.handler = handler;
    }

    ControllingProcess owner() {
        return owner;
    }

    void owner(ControllingProcess next) {
        this.owner = next;
    }

    @Override
    public void data(Object message, int size) {
        Object payload = socket.shape(message); // byte[], String (list mode), HeaderData or HttpPacket
        unconsumed += size;
        if (!paused && unconsumed > highWatermark) {
            paused = true;
            handler.setPaused(true);
        }
        send(new SslMessage.Data(socket, payload, size, () -> consumed(size)));
    }

    private void consumed(int size) {
        if (loop.inEventLoop()) {
            unconsumed -= size;
            if (paused && unconsumed <= highWatermark / 2) {
                paused = false;
                handler.setPaused(false);
            }
        } else {
            loop.execute(() -> consumed(size));
        }
    }

    @Override
    public void streamEnded(StreamEnd end) {
        socket.onStreamEnded(end);
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
        if (socket.closedLocally() || to == null) {
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
