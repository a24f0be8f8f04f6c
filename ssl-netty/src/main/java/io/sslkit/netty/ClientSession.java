package io.sslkit.netty;

import io.sslkit.Protocol;
import io.sslkit.Reason;
import io.sslkit.SavedSession;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.netty.context.TlsContext;
import java.util.HexFormat;

/**
 * A client session saved for explicit resumption ({@link SavedSession}). Neither engine can hand a session to
 * another context (the JDK has no API for it; Netty's BoringSSL sessions live in their context's cache), so what is
 * saved is where the engine keeps the session: the context that made it and the (host name, port) key of that
 * context's client cache. A later connection made with the same context and key is offered that session by the
 * engine itself, whatever address it goes to.
 *
 * @param context  the context of the connection that made the session
 * @param key      the client-cache key that connection's engine had
 * @param id       the session id it reported
 * @param protocol its version
 */
record ClientSession(TlsContext context, TlsContext.SessionKey key, byte[] id, Protocol protocol)
        implements SavedSession {

    ClientSession {
        id = id.clone();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    /**
     * The saved session these client options ask to resume, or {@code null}.
     *
     * @throws SslException an options error for a session not made by sslkit's Netty runtime, or one made with
     *                      another engine than the options name
     */
    static ClientSession of(SslOptions options) throws SslException {
        SavedSession s = options.reuseSession().orElse(null);
        if (s == null) {
            return null;
        }
        if (!(s instanceof ClientSession c)) {
            throw new SslException(new Reason.Options("reuse_session", String.valueOf(s), "foreign_session"));
        }
        if (options.provider() != io.sslkit.Provider.AUTO && options.provider() != c.context().provider()) {
            throw new SslException(new Reason.Options("reuse_session", c.toString(), "other_provider"));
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientSession c && c.context == context && c.key.equals(key)
                && java.util.Arrays.equals(c.id, id);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(context) * 31 + java.util.Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "{" + HexFormat.of().formatHex(id) + "," + protocol + "}";
    }
}
