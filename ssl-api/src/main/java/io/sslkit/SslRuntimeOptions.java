package io.sslkit;

/**
 * How a runtime ({@link Ssl#start(SslRuntimeOptions)}) is set up: the Java side of {@code ssl:start/1}.
 *
 * @param eventLoopThreads how many event-loop threads serve all sockets; 0 = one per available processor
 * @param transport        {@code AUTO}: epoll where its native library loads, NIO elsewhere
 */
public record SslRuntimeOptions(int eventLoopThreads, Transport transport) {

    /** The network transport under every socket. */
    public enum Transport { AUTO, EPOLL, NIO }

    public SslRuntimeOptions {
        if (eventLoopThreads < 0) {
            throw new IllegalArgumentException("eventLoopThreads must be >= 0: " + eventLoopThreads);
        }
        if (transport == null) {
            throw new NullPointerException("transport");
        }
    }

    /** One event loop per processor, epoll where it loads. */
    public static SslRuntimeOptions defaults() {
        return new SslRuntimeOptions(0, Transport.AUTO);
    }
}
