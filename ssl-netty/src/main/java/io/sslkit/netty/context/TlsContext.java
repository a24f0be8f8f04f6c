package io.sslkit.netty.context;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.sslkit.Provider;
import io.sslkit.SslOptions;
import io.sslkit.netty.engine.Engine;
import javax.net.ssl.SSLEngine;

/**
 * A built {@link SslContext} with what sslkit decided while building it.
 *
 * @param context     the Netty context
 * @param provider    the engine actually used ({@code auto} resolved)
 * @param client      client or server side
 * @param checkHost   a client that checks the server's name (verify_peer, or a verify_fun; and SNI not disabled)
 * @param options     the options it was built from
 */
public record TlsContext(SslContext context, Provider provider, boolean client, boolean checkHost,
                         SslOptions options) {

    /**
     * A handler for a client connection to {@code host}: the SNI name and the name checked are
     * {@code server_name_indication} when given, else {@code host}; with SNI disabled, neither is sent or checked.
     */
    public SslHandler newClientHandler(ByteBufAllocator alloc, String host, int port) {
        return newClientHandler(alloc, sessionKey(host, port));
    }

    /**
     * A handler for a client connection whose engine looks for a session to offer under {@code key} (from
     * {@link #sessionKey}); {@code null}: none, and no SNI.
     */
    public SslHandler newClientHandler(ByteBufAllocator alloc, SessionKey key) {
        SslHandler h = key == null ? context.newHandler(alloc) : context.newHandler(alloc, key.name(), key.port());
        ResumptionRules.apply(engine(), h.engine(), options); // session_tickets
        return h;
    }

    /** The engine of this context: what it can do, the handlers and set-up its connections need. */
    public Engine engine() {
        return Engine.of(provider);
    }

    /**
     * Where both engines' client session caches keep the sessions of a connection to {@code host:port}: the
     * (host name, port) the engine is made with. {@code null} with SNI disabled (the engine gets no name, so
     * it caches nothing).
     */
    public SessionKey sessionKey(String host, int port) {
        if (options.serverNameIndicationDisabled()) {
            return null;
        }
        String name = options.serverNameIndication().orElse(host);
        // Both engines key their client session caches by (host, port): reuse_sessions false gives every
        // connection a key of its own, so nothing cached is ever offered (the host name, checked and sent as SNI,
        // stays the same).
        // session_tickets disabled with TLS 1.3 enabled: neither client engine can be kept from offering the
        // tickets it got (BoringSSL's client ignores SSL_OP_NO_TICKET for TLS 1.3; the JDK caches each ticket),
        // so such a client, too, offers nothing cached: no TLS 1.3 resumption, and no TLS 1.2 resumption either.
        boolean ticketsOff = options.sessionTickets().orElse(null) == io.sslkit.SessionTickets.DISABLED
                && options.versions().contains(io.sslkit.Protocol.TLS_V1_3);
        int key = options.reuseSessions() && !ticketsOff ? port : UNIQUE_KEYS.decrementAndGet();
        return new SessionKey(name, key);
    }

    /**
     * A client session-cache key: the engine's peer host (also the SNI name and the name checked) and port (or a
     * number no real port uses, for a connection that must not share sessions).
     */
    public record SessionKey(String name, int port) {
    }

    /** Cache keys that no real port uses, one per connection with reuse_sessions false. */
    private static final java.util.concurrent.atomic.AtomicInteger UNIQUE_KEYS =
            new java.util.concurrent.atomic.AtomicInteger(-1);

    /**
     * A handler for an accepted connection. {@code honor_cipher_order} is set on its engine
     * ({@code SSLParameters.setUseCipherSuitesOrder}, which both engines honour per connection).
     */
    public SslHandler newServerHandler(ByteBufAllocator alloc) {
        SslHandler h = context.newHandler(alloc);
        SSLEngine engine = h.engine();
        engine().honorCipherOrder(engine, options.honorCipherOrder());
        ResumptionRules.apply(engine(), engine, options); // session_tickets
        if (!options.reuseSessions()) {
            engine().noTickets(engine); // no tickets for this connection (its ID is invalidated after the handshake)
        }
        return h;
    }
}
