package io.sslkit;

import io.sslkit.spi.SslRuntimeFactory;
import java.util.ServiceLoader;

/**
 * The {@code ssl} module: a running TLS runtime that makes client and listen sockets.
 *
 * <pre>{@code
 * try (Ssl ssl = Ssl.start()) {
 *     SslListenSocket listen = ssl.listen(0, serverOptions);
 *     SslSocket client = ssl.connect("localhost", listen.port(), clientOptions);   // on another thread
 *     SslSocket server = listen.transportAccept();
 *     server.handshake();
 *     client.send("hello");
 *     byte[] got = server.recv(5);
 * }
 * }</pre>
 *
 * <p>A runtime owns its event loops (epoll on Linux where it loads, NIO elsewhere) and one buffer allocator shared
 * by all its sockets. {@link #stop()} closes every socket it made. Runtimes are independent: a program may run
 * several. The implementation is found with {@link ServiceLoader} ({@link SslRuntimeFactory}); {@code ssl-netty}
 * is the one sslkit ships.
 */
public interface Ssl extends AutoCloseable {

    /** {@code ssl:start/0}: starts a runtime with {@link SslRuntimeOptions#defaults()}. */
    static Ssl start() {
        return start(SslRuntimeOptions.defaults());
    }

    /**
     * {@code ssl:start/1}: starts a runtime.
     *
     * @throws IllegalStateException if no implementation is on the class path
     */
    static Ssl start(SslRuntimeOptions options) {
        for (SslRuntimeFactory factory : ServiceLoader.load(SslRuntimeFactory.class, Ssl.class.getClassLoader())) {
            return factory.start(options);
        }
        throw new IllegalStateException("no sslkit implementation on the class path (add io.sslkit:ssl-netty)");
    }

    /** {@code ssl:connect/3}: {@link #connect(String, int, SslOptions, Timeout)} without a time limit. */
    default SslSocket connect(String host, int port, SslOptions options) throws SslException {
        return connect(host, port, options, Timeout.INFINITY);
    }

    /**
     * {@code ssl:connect/4}: opens a TCP connection and runs the client handshake. The timeout covers both.
     *
     * @throws SslException {@code econnrefused}, {@code nxdomain}, {@code timeout}, {@code closed} (the peer
     *                      closed during the handshake), {@code {tls_alert, …}}, or {@code {options, …}} for an
     *                      option that cannot be used (a missing file, a wrong password, a client that should
     *                      verify but trusts no CA)
     */
    SslSocket connect(String host, int port, SslOptions options, Timeout timeout) throws SslException;

    /**
     * {@code ssl:connect/3} on a connected plain socket (STARTTLS): runs the client handshake over it and returns the
     * TLS socket. The plain channel must not be read from by anyone else from now on, and bytes the caller already
     * read from it are not seen by TLS. Options come from {@code options} (a Java channel has no emulated options
     * to inherit).
     *
     * @param tcp a connected {@link java.nio.channels.SocketChannel}; it is switched to non-blocking and owned by
     *            the returned socket (closing that closes it)
     */
    SslSocket connect(java.nio.channels.SocketChannel tcp, SslOptions options, Timeout timeout) throws SslException;

    /**
     * {@code ssl:handshake/2,3} on a connected plain socket: the server side of STARTTLS.
     *
     * @see #connect(java.nio.channels.SocketChannel, SslOptions, Timeout)
     */
    SslSocket accept(java.nio.channels.SocketChannel tcp, SslOptions options, Timeout timeout) throws SslException;

    /**
     * {@code ssl:listen/2}: listens on {@code port} (0 = any free port) on all local addresses.
     *
     * @throws SslException {@code {options, …}} (e.g. no certificate for a server), or a POSIX reason such as
     *                      {@code eaddrinuse}
     */
    SslListenSocket listen(int port, SslOptions options) throws SslException;

    /**
     * {@code ssl:cipher_suites/1}: the suites the engine {@code provider auto} picks here can use, named in the given
     * format ({@link Format#ERLANG} tuples as text, {@link Format#OPENSSL} or {@link Format#IANA} names).
     */
    java.util.List<String> cipherSuites(Format format);

    /** {@code ssl:cipher_suites/0}: the same suites with every name and their parts. */
    java.util.List<CipherSuite> cipherSuites();

    /** {@code ssl:versions/0}. */
    Versions versions();

    /**
     * {@code ssl:stop/0}: closes every socket this runtime made (sending close_notify where it can) and stops
     * its event loops. Idempotent. Later calls on its sockets fail with {@code closed}; new work is refused
     * with {@link IllegalStateException}.
     */
    void stop();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }

    /**
     * {@code ssl:format_error/1}: a sentence for a reason, for people. Never fails: an unknown reason gives
     * {@code "Unexpected error: " + reason}.
     */
    static String formatError(Reason reason) {
        return ErrorFormatter.format(reason);
    }
}
