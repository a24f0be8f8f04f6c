package io.sslkit.netty;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.sslkit.Opt;
import io.sslkit.Reason;
import io.sslkit.SocketOpt;
import io.sslkit.SslException;
import io.sslkit.SslOptions;

/**
 * The TCP options of {@link Opt} on Netty channels: applied when a socket is made ({@code connect}/{@code listen}),
 * changed by {@code setopts}, read back by {@code getopts}. Emulated options ({@code active}, {@code packet}, ...) are
 * not here: they live in the socket and its handlers.
 */
final class SocketConfig {

    private SocketConfig() {
    }

    /** Applies every TCP option of {@code o} to a bootstrap's channel options (client, or accepted children). */
    static void applyToChildren(ServerBootstrap b, SslOptions o) {
        b.childOption(ChannelOption.TCP_NODELAY, o.get(Opt.NODELAY));
        b.childOption(ChannelOption.SO_KEEPALIVE, o.get(Opt.KEEPALIVE));
        if (o.get(Opt.SNDBUF) > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, o.get(Opt.SNDBUF));
        }
        if (o.get(Opt.RECBUF) > 0) {
            b.childOption(ChannelOption.SO_RCVBUF, o.get(Opt.RECBUF));
        }
        b.childOption(ChannelOption.SO_LINGER, o.get(Opt.LINGER));
        b.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(o));
    }

    /** Applies every TCP option of {@code o} to a client bootstrap. */
    static void apply(AbstractBootstrap<?, ?> b, SslOptions o) {
        b.option(ChannelOption.TCP_NODELAY, o.get(Opt.NODELAY));
        b.option(ChannelOption.SO_KEEPALIVE, o.get(Opt.KEEPALIVE));
        b.option(ChannelOption.SO_REUSEADDR, o.get(Opt.REUSEADDR));
        if (o.get(Opt.SNDBUF) > 0) {
            b.option(ChannelOption.SO_SNDBUF, o.get(Opt.SNDBUF));
        }
        if (o.get(Opt.RECBUF) > 0) {
            b.option(ChannelOption.SO_RCVBUF, o.get(Opt.RECBUF));
        }
        b.option(ChannelOption.SO_LINGER, o.get(Opt.LINGER));
        b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(o));
    }

    private static WriteBufferWaterMark waterMark(SslOptions o) {
        int high = o.get(Opt.HIGH_WATERMARK);
        int low = Math.min(o.get(Opt.LOW_WATERMARK), high);
        return new WriteBufferWaterMark(low, high);
    }

    /**
     * Checks what {@code setopts} may change, before anything changes: {@linkplain Opt.Kind#BIND bind} options
     * ({@code backlog}, {@code ip}) are fixed when the socket is made.
     *
     * @throws SslException {@code {options, {socket_options, {Name, Value}, einval}}}
     */
    static void checkSettable(SocketOpt<?>... options) throws SslException {
        for (SocketOpt<?> o : options) {
            if (!o.key().settable()) {
                throw new SslException(new Reason.Options("socket_options", o.toString(), "einval"));
            }
        }
    }

    /**
     * Sets the {@linkplain Opt.Kind#INET inet} options among {@code options} on a live channel, all or none: if
     * the channel refuses one, those already set get their earlier values back before the error is thrown.
     *
     * @throws SslException {@code {options, {socket_options, {Name, Value}, einval}}} naming the refused option
     */
    static void setAll(Channel ch, SslOptions madeWith, SocketOpt<?>... options) throws SslException {
        java.util.ArrayDeque<Earlier> undo = new java.util.ArrayDeque<>();
        for (SocketOpt<?> o : options) {
            if (o.key().kind() != Opt.Kind.INET) {
                continue;
            }
            Object before = get(ch, o.key(), madeWith);
            boolean set;
            try {
                set = set(ch, o.key(), o.value());
            } catch (RuntimeException e) { // a ChannelException from the socket
                set = false;
            }
            if (!set) {
                undo.forEach(u -> restore(ch, u));
                throw new SslException(new Reason.Options("socket_options", o.toString(), "einval"));
            }
            undo.push(new Earlier(o.key(), before));
        }
    }

    /** An option's value before {@link #setAll} changed it. */
    private record Earlier(Opt<?> key, Object value) {
    }

    private static void restore(Channel ch, Earlier earlier) {
        try {
            set(ch, earlier.key(), earlier.value());
        } catch (RuntimeException e) {
            // best effort: the socket that refused a value may be going away
        }
    }

    /**
     * Sets one TCP option on a live channel.
     *
     * @return false if TCP does not allow changing it now ({@code backlog}, {@code ip})
     */
    static boolean set(Channel ch, Opt<?> key, Object value) {
        ChannelConfig c = ch.config();
        if (key == Opt.NODELAY) {
            return c.setOption(ChannelOption.TCP_NODELAY, (Boolean) value);
        } else if (key == Opt.KEEPALIVE) {
            return c.setOption(ChannelOption.SO_KEEPALIVE, (Boolean) value);
        } else if (key == Opt.REUSEADDR) {
            return c.setOption(ChannelOption.SO_REUSEADDR, (Boolean) value);
        } else if (key == Opt.SNDBUF) {
            return (Integer) value == 0 || c.setOption(ChannelOption.SO_SNDBUF, (Integer) value);
        } else if (key == Opt.RECBUF) {
            return (Integer) value == 0 || c.setOption(ChannelOption.SO_RCVBUF, (Integer) value);
        } else if (key == Opt.LINGER) {
            return c.setOption(ChannelOption.SO_LINGER, (Integer) value);
        } else if (key == Opt.HIGH_WATERMARK) {
            WriteBufferWaterMark m = c.getWriteBufferWaterMark();
            c.setWriteBufferWaterMark(new WriteBufferWaterMark(Math.min(m.low(), (Integer) value), (Integer) value));
            return true;
        } else if (key == Opt.LOW_WATERMARK) {
            WriteBufferWaterMark m = c.getWriteBufferWaterMark();
            c.setWriteBufferWaterMark(new WriteBufferWaterMark((Integer) value, Math.max(m.high(), (Integer) value)));
            return true;
        }
        return false;
    }

    /** Reads one TCP option from a live channel; {@code null} if it is not a TCP option. */
    static Object get(Channel ch, Opt<?> key, SslOptions madeWith) {
        ChannelConfig c = ch.config();
        if (key == Opt.NODELAY) {
            return c.getOption(ChannelOption.TCP_NODELAY);
        } else if (key == Opt.KEEPALIVE) {
            return c.getOption(ChannelOption.SO_KEEPALIVE);
        } else if (key == Opt.REUSEADDR) {
            return c.getOption(ChannelOption.SO_REUSEADDR);
        } else if (key == Opt.SNDBUF) {
            return c.getOption(ChannelOption.SO_SNDBUF);
        } else if (key == Opt.RECBUF) {
            return c.getOption(ChannelOption.SO_RCVBUF);
        } else if (key == Opt.LINGER) {
            return c.getOption(ChannelOption.SO_LINGER);
        } else if (key == Opt.HIGH_WATERMARK) {
            return c.getWriteBufferWaterMark().high();
        } else if (key == Opt.LOW_WATERMARK) {
            return c.getWriteBufferWaterMark().low();
        } else if (key == Opt.BACKLOG) {
            return madeWith.get(Opt.BACKLOG);
        } else if (key == Opt.IP) {
            Object local = ch.localAddress();
            return local instanceof java.net.InetSocketAddress a ? a.getAddress() : null;
        }
        return null;
    }
}
