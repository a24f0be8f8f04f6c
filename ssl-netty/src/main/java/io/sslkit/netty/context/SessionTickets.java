package io.sslkit.netty.context;

import io.netty.handler.ssl.SslContext;
import io.sslkit.SslException;
import io.sslkit.netty.engine.Engine;
import java.util.List;

/**
 * Session-ticket keys of a BoringSSL server context: set at {@code listen} and replaced at any time (rotation).
 * Servers that share keys resume each other's sessions, which is what a fleet behind a load balancer needs.
 */
public final class SessionTickets {

    private SessionTickets() {
    }

    /**
     * Replaces the keys: the first encrypts new tickets, every one decrypts (so keep the previous key in the list for
     * a while after a rotation, and tickets issued under it still resume).
     *
     * @param keys 48 bytes each: 16 name, 16 HMAC key, 16 AES key
     * @throws SslException {@code notsup} for a JDK context (it has no ticket-key API)
     */
    public static void set(SslContext ctx, List<byte[]> keys) throws SslException {
        Engine.of(ctx).setTicketKeys(ctx, keys);
    }
}
