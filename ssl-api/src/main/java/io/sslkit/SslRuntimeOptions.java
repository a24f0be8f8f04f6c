package io.sslkit;

import java.util.Objects;

/**
 * How a runtime ({@link Ssl#start(SslRuntimeOptions)}) is set up: the Java side of {@code ssl:start/1}.
 *
 * @param eventLoopThreads how many event-loop threads serve all sockets; 0 = one per available processor
 * @param transport        {@code AUTO}: the platform's native transport where its library loads (epoll on Linux,
 *                         kqueue on macOS), NIO elsewhere
 * @param handshakeTimeout the longest a handshake may take when the caller gives no timeout
 *                         ({@code handshake()}, {@code connect(host, port, opts)}): a peer that connects and sends
 *                         nothing is dropped then. OTP waits forever ({@code infinity}); sslkit's default is 60 s,
 *                         because a server exposed to the network must not keep silent connections forever. Give
 *                         {@link Timeout#INFINITY} for OTP's behaviour.
 */
public record SslRuntimeOptions(int eventLoopThreads, Transport transport, Timeout handshakeTimeout) {

    /** sslkit's default handshake timeout. */
    public static final Timeout DEFAULT_HANDSHAKE_TIMEOUT = Timeout.millis(60_000);

    /**
     * The network transport under every socket. {@code AUTO} picks the native one that loads and falls back to NIO;
     * {@code EPOLL} (Linux) and {@code KQUEUE} (macOS) fail {@link Ssl#start(SslRuntimeOptions)} where theirs does not
     * load; {@code NIO} works everywhere.
     */
    public enum Transport { AUTO, EPOLL, KQUEUE, NIO }

    public SslRuntimeOptions {
        if (eventLoopThreads < 0) {
            throw new IllegalArgumentException("eventLoopThreads must be >= 0: " + eventLoopThreads);
        }
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }

    /** One event loop per processor, epoll where it loads, a 60 s default handshake timeout. */
    public static SslRuntimeOptions defaults() {
        return new SslRuntimeOptions(0, Transport.AUTO, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /** These options with another number of event-loop threads. */
    public SslRuntimeOptions withEventLoopThreads(int threads) {
        return new SslRuntimeOptions(threads, transport, handshakeTimeout);
    }

    /** These options with another transport. */
    public SslRuntimeOptions withTransport(Transport t) {
        return new SslRuntimeOptions(eventLoopThreads, t, handshakeTimeout);
    }

    /** These options with another default handshake timeout. */
    public SslRuntimeOptions withHandshakeTimeout(Timeout t) {
        return new SslRuntimeOptions(eventLoopThreads, transport, t);
    }
}
