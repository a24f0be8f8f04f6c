package io.sslkit.netty.conn;

import io.netty.channel.Channel;
import io.sslkit.netty.handler.StreamEnd;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The one owner of a socket connection's life cycle: where it is ({@link Phase}), which of its halves are shut, how
 * the peer's stream ended, and the emulated options in force. Not API: the socket facade and its helpers share it.
 *
 * <h2>Why one object</h2>
 * These facts used to live in five places (the socket's state, its {@code readClosed} and {@code readEnd}, the
 * sender's {@code outputClosed}, the handler's end flags) and were written under different locks: the handshake
 * could write {@code OPEN} over a concurrent {@code CLOSED}. Here they are one immutable {@link State} value,
 * replaced by compare-and-set, so every transition sees the state it changes and none can undo another.
 *
 * <h2>Threading</h2>
 * Any thread. Transitions are atomic and say whether they happened; readers get a consistent snapshot. The decrypted
 * stream itself (queue, demand, end delivery) is owned by the {@code ActiveModeHandler} on the event loop.
 */
public final class TlsConnection {

    /** Where a connection is in its life. Only moves forward: ACCEPTED → HANDSHAKING → OPEN → CLOSED. */
    public enum Phase {
        /** A server socket from {@code transport_accept}: TCP only, no TLS yet. */
        ACCEPTED,
        /** The first handshake is running. */
        HANDSHAKING,
        /** The handshake is done and this side has not closed. */
        OPEN,
        /** This side closed (close, a failed handshake, a downgrade). Final. */
        CLOSED
    }

    /**
     * One snapshot of the life cycle.
     *
     * @param phase     where the connection is
     * @param readShut  {@code shutdown(read)} was called: {@code recv} says closed (only moves false → true)
     * @param writeShut {@code shutdown(write)} or a downgrade closed the output: {@code send} says closed (only
     *                  moves false → true)
     * @param peerEnd   how the peer's stream ended, or {@code null} while it is open (set once, never replaced)
     */
    public record State(Phase phase, boolean readShut, boolean writeShut, StreamEnd peerEnd) {

        State with(Phase p) {
            return new State(p, readShut, writeShut, peerEnd);
        }
    }

    private final Channel channel;
    /** The life cycle; replaced whole by compare-and-set, so a transition never overwrites another. */
    private final AtomicReference<State> state;
    /** mode, packet, header, ...: configuration, replaced whole by {@code setopts} (readers never see half). */
    private volatile Emulated emulated;

    public TlsConnection(Channel channel, Phase initial, Emulated emulated) {
        this.channel = channel;
        this.state = new AtomicReference<>(new State(initial, false, false, null));
        this.emulated = emulated;
    }

    public Channel channel() {
        return channel;
    }

    public State state() {
        return state.get();
    }

    public Phase phase() {
        return state.get().phase();
    }

    public Emulated emulated() {
        return emulated;
    }

    public void emulated(Emulated e) {
        this.emulated = e;
    }

    /** Moves {@code from} → {@code to}; returns whether it did (false: the phase was another). */
    public boolean move(Phase from, Phase to) {
        return transition(s -> s.phase() == from ? s.with(to) : s).phase() == from;
    }

    /** Closes; returns the phase it had before ({@code CLOSED}: it was closed already, nothing changed). */
    public Phase close() {
        return transition(s -> s.with(Phase.CLOSED)).phase();
    }

    /** {@code shutdown(read)}. */
    public void shutRead() {
        transition(s -> new State(s.phase(), true, s.writeShut(), s.peerEnd()));
    }

    /** Closes the output once; returns whether this call did (false: it was shut already). */
    public boolean shutWrite() {
        return !transition(s -> new State(s.phase(), s.readShut(), true, s.peerEnd())).writeShut();
    }

    /**
     * The peer's stream ended (the first end wins). With {@code exit_on_close} on an open connection, a clean end
     * closes the channel: OTP's default is that once the peer has closed its side the connection is over (queued
     * data stays readable).
     */
    public void peerEnded(StreamEnd end) {
        State before = transition(s -> s.peerEnd() != null ? s : new State(s.phase(), s.readShut(), s.writeShut(), end));
        if (before.peerEnd() == null && end.isClean() && emulated.exitOnClose() && before.phase() == Phase.OPEN) {
            channel.close();
        }
    }

    /** Whether this side closed the connection (its owner then gets no more messages, as in OTP). */
    public boolean closedLocally() {
        return phase() == Phase.CLOSED;
    }

    /** Applies {@code f} atomically; returns the state before. */
    private State transition(UnaryOperator<State> f) {
        return state.getAndUpdate(f);
    }

    @Override
    public String toString() {
        return state.get().toString();
    }
}
