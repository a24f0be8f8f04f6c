package io.sslkit.netty.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import javax.net.ssl.SSLEngine;

/**
 * Remembers the TLS version a server handshake negotiates, read when the engine's first flight goes out (placed
 * right before its {@code SslHandler}); then removes itself. The engines forget the version when a handshake fails,
 * and some failures send a different alert per version (a missing client certificate: handshake_failure on TLS 1.2,
 * certificate_required on 1.3, from BoringSSL and from newer JDKs), so {@link Errors} needs it to name the alert that
 * was sent.
 */
public final class VersionWitness extends ChannelOutboundHandlerAdapter {

    private final SSLEngine engine;
    private volatile String version;

    public VersionWitness(SSLEngine engine) {
        this.engine = engine;
    }

    /** {@code TLSv1.3}, {@code TLSv1.2}, or {@code null} before the first flight. */
    public String version() {
        return version;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // the JDK engine shows the version only on its handshake session; BoringSSL on its session too
        javax.net.ssl.SSLSession hs = engine.getHandshakeSession();
        String v = hs != null ? hs.getProtocol() : engine.getSession().getProtocol();
        ctx.write(msg, promise);
        if (v != null && v.startsWith("TLS")) {
            version = v;
            ctx.pipeline().remove(this);
        }
    }
}
