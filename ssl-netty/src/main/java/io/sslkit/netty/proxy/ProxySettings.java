package io.sslkit.netty.proxy;

import io.sslkit.netty.context.TlsContext;
import java.util.Objects;

/**
 * How a {@link TlsProxy} treats its connections, apart from the routes: limits, timeouts, re-encryption and the
 * PROXY protocol. Immutable; made with {@link #builder()}, whose setters state the defaults.
 */
public final class ProxySettings {

    /** PROXY protocol header sent to backends. */
    public enum SendProxy {
        /** No header (the default). */
        NONE,
        /** Text header: addresses only. */
        V1,
        /** Binary header, with TLS TLVs (version, cipher, SNI, client certificate CN) when TLS is terminated. */
        V2
    }

    private final int maxConnections;
    private final long handshakeTimeoutMillis;
    private final long idleTimeoutMillis;
    private final long connectTimeoutMillis;
    private final TlsContext backContext;
    private final SendProxy sendProxy;
    private final boolean acceptProxy;
    private final ProxyListener listener;

    private ProxySettings(Builder b) {
        this.maxConnections = b.maxConnections;
        this.handshakeTimeoutMillis = b.handshakeTimeoutMillis;
        this.idleTimeoutMillis = b.idleTimeoutMillis;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.backContext = b.backContext;
        this.sendProxy = b.sendProxy;
        this.acceptProxy = b.acceptProxy;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxConnections() {
        return maxConnections;
    }

    public long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /** The client context to re-encrypt to backends with, or {@code null} (plain TCP). */
    public TlsContext backContext() {
        return backContext;
    }

    public SendProxy sendProxy() {
        return sendProxy;
    }

    public boolean acceptProxy() {
        return acceptProxy;
    }

    public ProxyListener listener() {
        return listener;
    }

    /** Builds {@link ProxySettings}. */
    public static final class Builder {
        private int maxConnections;
        private long handshakeTimeoutMillis = 10_000;
        private long idleTimeoutMillis;
        private long connectTimeoutMillis = 10_000;
        private TlsContext backContext;
        private SendProxy sendProxy = SendProxy.NONE;
        private boolean acceptProxy;
        private ProxyListener listener = ProxyListener.NONE;

        private Builder() {
        }

        /** Connections open at once; beyond, new ones are closed at accept. Default 0 = no limit. */
        public Builder maxConnections(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxConnections must be >= 0: " + n);
            }
            this.maxConnections = n;
            return this;
        }

        /** From accept to the end of the client's handshake (ClientHello included). Default 10 000 ms; 0 = none. */
        public Builder handshakeTimeoutMillis(long ms) {
            this.handshakeTimeoutMillis = nonNegative("handshakeTimeoutMillis", ms);
            return this;
        }

        /** A connection with no byte either way for this long is closed (close_notify). Default 0 = never. */
        public Builder idleTimeoutMillis(long ms) {
            this.idleTimeoutMillis = nonNegative("idleTimeoutMillis", ms);
            return this;
        }

        /** TCP connect to a backend. Default 10 000 ms; must be > 0. */
        public Builder connectTimeoutMillis(long ms) {
            if (ms <= 0 || ms > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("connectTimeoutMillis must be 1.." + Integer.MAX_VALUE + ": " + ms);
            }
            this.connectTimeoutMillis = ms;
            return this;
        }

        /** Re-encrypt to the backends of terminating routes with this client context. Default {@code null}: TCP. */
        public Builder backContext(TlsContext context) {
            if (context != null && !context.client()) {
                throw new IllegalArgumentException("backContext must be a client context");
            }
            this.backContext = context;
            return this;
        }

        /** The PROXY protocol header sent first to each backend. Default {@link SendProxy#NONE}. */
        public Builder sendProxy(SendProxy version) {
            this.sendProxy = Objects.requireNonNull(version, "sendProxy");
            return this;
        }

        /**
         * Expect a PROXY protocol header (v1 or v2) first on every accepted connection, from a load balancer in
         * front; its source address becomes the client's. Default {@code false}. A connection without a valid
         * header is closed. Dangerous when clients can reach the port directly: they could claim any address.
         */
        public Builder acceptProxy(boolean accept) {
            this.acceptProxy = accept;
            return this;
        }

        /** Told of each connection, for access logs and metrics. Default {@link ProxyListener#NONE}. */
        public Builder listener(ProxyListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public ProxySettings build() {
            return new ProxySettings(this);
        }

        private static long nonNegative(String what, long ms) {
            if (ms < 0) {
                throw new IllegalArgumentException(what + " must be >= 0: " + ms);
            }
            return ms;
        }
    }
}
