package io.sslkit.netty.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most N connections at a time: an accepted channel beyond the limit is closed at once (before any TLS byte),
 * and counted as refused. Refusing rather than queueing keeps the waiting in the kernel's accept queue and the
 * client's connect timeout, where a load balancer in front can see it.
 *
 * <h2>Usage</h2>
 * One instance for a listener, shared by its accepted channels, first in each pipeline:
 * <pre>{@code
 * ConnectionLimiter limiter = new ConnectionLimiter(10_000);
 * serverBootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
 *     protected void initChannel(SocketChannel ch) {
 *         ch.pipeline().addLast(limiter, sslContext.newHandler(ch.alloc()), yourHandler);
 *     }
 * });
 * }</pre>
 * or, from an initializer that wants to build nothing for a refused channel, {@link #tryAcquire(Channel)}.
 *
 * <h2>Threading</h2>
 * Counters are atomic: the channels of one listener run on several event loops.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private final int max;
    /** Channels admitted and not yet closed; never above {@link #max}. */
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();

    /** @param max the most connections open at once; {@code 0} or less = no limit */
    public ConnectionLimiter(int max) {
        this.max = max <= 0 ? Integer.MAX_VALUE : max;
    }

    /**
     * Admits {@code channel} if under the limit (released when it closes) and returns {@code true}; otherwise
     * counts it as refused and returns {@code false} (the caller closes it).
     */
    public boolean tryAcquire(Channel channel) {
        while (true) {
            int n = active.get();
            if (n >= max) {
                refused.incrementAndGet();
                return false;
            }
            if (active.compareAndSet(n, n + 1)) {
                channel.closeFuture().addListener(f -> active.decrementAndGet());
                return true;
            }
        }
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        if (tryAcquire(ctx.channel())) {
            ctx.pipeline().remove(this);
            ctx.fireChannelRegistered();
        } else {
            ctx.close();
        }
    }

    /** Connections open now. */
    public int active() {
        return active.get();
    }

    /** Connections closed at accept because the limit was reached, since this limiter was made. */
    public long refused() {
        return refused.get();
    }
}
