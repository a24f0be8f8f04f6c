package io.sslkit.netty.context;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.sslkit.Reason;
import io.sslkit.SslException;
import java.util.Arrays;
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
        if (!(ctx.sessionContext() instanceof OpenSslSessionContext openssl)) {
            throw new SslException(Reason.Atom.NOTSUP);
        }
        OpenSslSessionTicketKey[] k = new OpenSslSessionTicketKey[keys.size()];
        for (int i = 0; i < k.length; i++) {
            byte[] b = keys.get(i);
            if (b.length != 48) {
                throw new SslException(new Reason.Options("session_ticket_keys", b.length + " bytes", "not_48_bytes"));
            }
            k[i] = new OpenSslSessionTicketKey(Arrays.copyOfRange(b, 0, 16), Arrays.copyOfRange(b, 16, 32),
                    Arrays.copyOfRange(b, 32, 48));
        }
        openssl.setTicketKeys(k);
    }
}
