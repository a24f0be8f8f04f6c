package io.sslkit.netty.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Routes a TLS connection by the server name of its ClientHello, before any TLS is spoken: reads (without
 * consuming) the ClientHello, looks the name up in a {@link RouteTable}, tells the caller, then either replaces
 * itself with an {@link SslHandler} of the route's context (terminate) or removes itself (pass-through). In both
 * cases the ClientHello bytes go on down the pipeline untouched, so a pass-through backend sees exactly what the
 * client sent.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * channel.config().setAutoRead(false);              // optional: it reads what it needs
 * pipeline.addLast(new SniRouter(() -> table, 10_000, (sni, route) -> connectTo(route.backend())))
 *         .addLast(yourHandler);                    // after an SslHandler, or raw TLS bytes when passed through
 * }</pre>
 * The table is asked per connection, so a new table (a reload) applies to the next ClientHello. A client that sends
 * nothing for {@code handshakeTimeoutMillis} gets its channel closed; one that does not speak TLS, or sends no SNI,
 * gets the default route. Netty fires {@code SniCompletionEvent} as usual.
 *
 * <h2>Threading</h2>
 * Event loop only; {@code routed} is called there, before the route's handler is in place.
 */
public final class SniRouter extends AbstractSniHandler<Route> {

    private final Supplier<RouteTable> routes;
    private final BiConsumer<String, Route> routed;

    /**
     * @param routes                 the current table, asked once per connection
     * @param handshakeTimeoutMillis how long to wait for the ClientHello, and the new {@code SslHandler}'s
     *                               handshake timeout; 0 = none
     * @param routed                 told the server name ({@code null} if none) and the route chosen
     */
    public SniRouter(Supplier<RouteTable> routes, long handshakeTimeoutMillis, BiConsumer<String, Route> routed) {
        super(handshakeTimeoutMillis);
        this.routes = routes;
        this.routed = routed;
    }

    @Override
    protected Future<Route> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(routes.get().lookup(hostname));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<Route> future) {
        Route route = future.getNow();
        routed.accept(hostname, route);
        if (route.isPassthrough()) {
            ctx.pipeline().remove(this);
        } else {
            SslHandler ssl = route.context().newServerHandler(ctx.alloc());
            ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
            ctx.pipeline().replace(this, "ssl", ssl);
        }
    }
}
