package io.sslkit.netty;

import io.netty.channel.Channel;
import io.sslkit.Active;
import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.Reason;
import io.sslkit.SocketOpt;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.netty.conn.Emulated;
import io.sslkit.netty.conn.TlsConnection;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.handler.packet.PacketDecoder;
import io.sslkit.netty.handler.packet.PacketDecoders;
import io.sslkit.netty.internal.Await;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * {@code ssl:setopts/2} and {@code ssl:getopts/2} on a TLS socket, as OTP's {@code handle_options}: every option is
 * checked before any changes. Each option goes where its {@link Opt.Kind} says: emulated ones to the connection's
 * {@link Emulated} snapshot (and the packet decoder), {@code active} to the handler's demand, inet ones to the
 * channel.
 *
 * <h2>All or nothing</h2>
 * The checks that need no socket (bind options, {@code active} without an owner) run on the caller's thread; the
 * rest runs as one event-loop task, so no delivery, demand change or other {@code setopts} comes in between: the
 * {@code active} sums are checked, then the inet options are set (undone if the channel refuses one), then the
 * emulated snapshot and the decoder change, then the demand. {@code {active, once}} and {@code true} alone do not
 * wait for that task (the Erlang idiom re-arms {@code once} after every message; it cannot fail).
 */
final class SocketOptions {

    private final TlsConnection conn;
    private final ActiveModeHandler active;
    private final SslOptions madeWith;

    SocketOptions(TlsConnection conn, ActiveModeHandler active, SslOptions madeWith) {
        this.conn = conn;
        this.active = active;
        this.madeWith = madeWith;
    }

    /** The decoder for a packet type; null (raw) for {@code raw}. */
    static PacketDecoder decoderFor(Emulated e) {
        return e.packet() == PacketType.RAW ? null : PacketDecoders.forType(e.packet(), e.packetSize());
    }

    void setopts(boolean hasOwner, SocketOpt<?>... options) throws SslException {
        SocketConfig.checkSettable(options);
        List<Active> actives = new ArrayList<>();
        for (SocketOpt<?> o : options) {
            if (o.key() == Opt.ACTIVE) {
                Active a = (Active) o.value();
                if (!Active.FALSE.equals(a) && !hasOwner) {
                    throw new SslException(new Reason.Options("socket_options", o.toString(), "no_owner"));
                }
                actives.add(a);
            }
        }
        Channel ch = conn.channel();
        io.netty.util.concurrent.Future<Void> f;
        try {
            f = ch.eventLoop().submit(() -> {
                applyOnLoop(actives, options);
                return null;
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new SslException(Reason.CLOSED); // the runtime stopped: its loops closed the connection
        }
        if (actives.size() == options.length && actives.stream().allMatch(SocketOptions::cannotFail)) {
            return; // applied in order, before any later call's task
        }
        try {
            Await.get(f, Long.MAX_VALUE);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SslException failure) {
                throw new SslException(failure.reason(), failure.getCause());
            }
            throw new SslException(Reason.CLOSED, e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
    }

    private static boolean cannotFail(Active a) {
        return a.kind() == Active.Kind.ONCE || a.kind() == Active.Kind.TRUE;
    }

    /** The checks that need the handler's demand, then every change (event loop). */
    private void applyOnLoop(List<Active> actives, SocketOpt<?>[] options) throws SslException {
        if (!active.acceptsActive(actives)) {
            String opt = "{active," + actives.get(actives.size() - 1) + "}";
            throw new SslException(Reason.Options.of("socket_options", opt)); // the sum leaves -32768..32767
        }
        SocketConfig.setAll(conn.channel(), madeWith, options); // all or none
        Emulated before = conn.emulated();
        Emulated after = before.with(options);
        conn.emulated(after);
        if (after.packet() != before.packet() || after.packetSize() != before.packetSize()) {
            active.setDecoder(decoderFor(after)); // applies from the next packet on
        }
        for (Active a : actives) {
            active.setActive(a); // on the loop: applied now (checked above)
        }
    }

    Map<Opt<?>, Object> getopts(Opt<?>... keys) throws SslException {
        Map<Opt<?>, Object> out = new LinkedHashMap<>();
        for (Opt<?> k : keys) {
            if (k == Opt.ACTIVE) {
                out.put(k, onLoop());
            } else if (Emulated.handles(k)) {
                out.put(k, conn.emulated().get(k));
            } else {
                out.put(k, SocketConfig.get(conn.channel(), k, madeWith));
            }
        }
        return out;
    }

    private Active onLoop() throws SslException {
        try {
            return Await.get(conn.channel().eventLoop().submit(active::active), Long.MAX_VALUE);
        } catch (ExecutionException e) {
            throw new SslException(new Reason.Unexpected(String.valueOf(e.getCause())), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new SslException(Reason.CLOSED);
        }
    }
}
