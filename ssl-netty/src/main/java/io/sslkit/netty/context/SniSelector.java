package io.sslkit.netty.context;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code sni_hosts}/{@code sni_fun}: Netty's {@link SniHandler} with sslkit's contexts. It reads the ClientHello's
 * SNI name, picks the options for it (a {@link TlsContext} built once per name and kept), and replaces itself with
 * that context's {@code SslHandler}, reported through {@link #selected()} so the socket can follow the handshake.
 *
 * <pre>{@code
 * SniSelector.Contexts contexts = new SniSelector.Contexts(TlsContexts.forServer(listenOptions));
 * pipeline.addLast(new SniSelector(contexts, channel.eventLoop().newPromise()));
 * }</pre>
 */
public final class SniSelector extends SniHandler {

    /** The contexts of one listen socket, by SNI name; no name or an unknown one gets the default. */
    public static final class Contexts {
        private final TlsContext fallback;
        private final Map<String, TlsContext> byName = new ConcurrentHashMap<>();
        private final Map<SslContext, TlsContext> byContext =
                java.util.Collections.synchronizedMap(new IdentityHashMap<>());

        public Contexts(TlsContext fallback) {
            this.fallback = fallback;
            byContext.put(fallback.context(), fallback);
        }

        /** The context for an SNI name ({@code null}: none sent). */
        TlsContext lookup(String name) throws SslException {
            if (name == null) {
                return fallback;
            }
            String key = name.toLowerCase(Locale.ROOT);
            TlsContext known = byName.get(key);
            if (known != null) {
                return known;
            }
            SslOptions o = fallback.options();
            Optional<SslOptions> chosen = o.sniFun().isPresent() ? o.sniFun().get().apply(name)
                    : Optional.ofNullable(o.sniHosts().get(key));
            TlsContext tls = chosen.isPresent() ? TlsContexts.forServer(chosen.get()) : fallback;
            byContext.put(tls.context(), tls);
            byName.putIfAbsent(key, tls);
            return byName.get(key);
        }

        TlsContext of(SslContext ctx) {
            return byContext.getOrDefault(ctx, fallback);
        }
    }

    private final Contexts contexts;
    private final Promise<SslHandler> selected;

    /**
     * @param selected completed with the {@code SslHandler} put in this handler's place (or failed with why none was)
     */
    public SniSelector(Contexts contexts, Promise<SslHandler> selected) {
        super((io.netty.util.AsyncMapping<String, SslContext>) (name, promise) -> {
            try {
                return promise.setSuccess(contexts.lookup(name).context());
            } catch (Exception | Error e) {
                return promise.setFailure(e);
            }
        }, 0L); // no timeout of its own: the handshake's deadline covers the ClientHello too
        this.contexts = contexts;
        this.selected = selected;
    }

    /** The handler that took this one's place, once the ClientHello is read. */
    public Promise<SslHandler> selected() {
        return selected;
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator alloc) {
        SslHandler h = contexts.of(context).newServerHandler(alloc);
        h.setHandshakeTimeoutMillis(0);
        selected.trySuccess(h);
        return h;
    }

    @Override
    public void handlerRemoved0(io.netty.channel.ChannelHandlerContext ctx) throws Exception {
        super.handlerRemoved0(ctx);
        selected.tryFailure(new java.nio.channels.ClosedChannelException()); // no-op once selected
    }
}
