package io.sslkit;

import java.net.InetSocketAddress;

/**
 * A listening socket: the {@code ListenSocket} of {@code ssl:listen/2}. Only {@link #transportAccept},
 * {@link #sockname} and {@link #close} mean anything on it; connection operations belong to {@link SslSocket}
 * (in Erlang they return {@code enotconn} on a listen socket).
 */
public interface SslListenSocket extends AutoCloseable {

    /** {@code ssl:transport_accept/1}: waits for a TCP connection without limit. */
    default SslSocket transportAccept() throws SslException {
        return transportAccept(Timeout.INFINITY);
    }

    /**
     * {@code ssl:transport_accept/2}: waits for a TCP connection. The returned socket has done no handshake yet:
     * call {@link SslSocket#handshake(Timeout)} on it.
     *
     * @throws SslException {@code timeout}, or {@code closed} if the listen socket is (or gets) closed while waiting
     */
    SslSocket transportAccept(Timeout timeout) throws SslException;

    /**
     * {@code ssl:setopts/2} on a listen socket: the options sockets accepted from now on inherit (emulated and TCP
     * options; {@code backlog} and {@code ip} cannot change: {@code einval}).
     */
    void setopts(SocketOpt<?>... options) throws SslException;

    /** {@code ssl:getopts/2} on a listen socket: what accepted sockets inherit. */
    java.util.Map<Opt<?>, Object> getopts(Opt<?>... keys) throws SslException;

    /** {@code ssl:getopts/2} for one option. */
    default <T> T getopt(Opt<T> key) throws SslException {
        return key.cast(getopts(key).get(key));
    }

    /**
     * Replaces the session-ticket keys of this listen socket (BoringSSL only): rotation for a fleet whose servers
     * share keys. 48 bytes each; the first encrypts new tickets, all decrypt.
     *
     * @throws SslException {@code notsup} on the JDK engine, an options reason for a key of the wrong size
     */
    void sessionTicketKeys(java.util.List<byte[]> keys) throws SslException;

    /** {@code ssl:sockname/1}: the bound address (with the real port for port 0). */
    InetSocketAddress sockname() throws SslException;

    /** The bound port, for convenience ({@code sockname().getPort()}). */
    default int port() throws SslException {
        return sockname().getPort();
    }

    /**
     * {@code ssl:close/1}: stops listening. A {@code transportAccept} blocked in another thread fails with
     * {@code closed}; connections accepted earlier go on. Idempotent.
     */
    @Override
    void close();
}
