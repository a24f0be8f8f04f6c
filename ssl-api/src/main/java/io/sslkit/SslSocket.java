package io.sslkit;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A TLS connection: Erlang's {@code sslsocket()} for a connected (or accepted) socket.
 *
 * <p>Every method may be called from any thread, platform or virtual. Blocking calls ({@link #recv}, {@link
 * #handshake}, {@link #send} while TCP pushes back) park the caller, never the event loop; their overloads without a
 * {@link Timeout} wait without limit, as the Erlang arities without {@code Timeout} do.
 *
 * <p>Failures are {@link SslException}s whose {@link SslException#reason() reason} is the Erlang reason:
 * {@code closed} once the connection is gone, {@code {tls_alert, …}} for alerts, {@code timeout}, ...
 */
public interface SslSocket extends AutoCloseable {

    /**
     * {@code ssl:handshake/2} (and {@code ssl_accept/2}): runs the server side of the handshake on a socket from
     * {@link SslListenSocket#transportAccept()}; the same object is then the connected socket.
     *
     * @throws SslException {@code timeout} (the TCP connection is closed), {@code closed} (the client went away),
     *                      {@code {tls_alert, …}}, or {@code einval} if the socket is already handshaken or is a
     *                      client
     */
    default void handshake() throws SslException {
        handshake(Timeout.INFINITY);
    }

    /** {@code ssl:handshake/2} with a timeout. */
    void handshake(Timeout timeout) throws SslException;

    /**
     * {@code ssl:send/2}: sends the bytes. Returns once they are queued for the connection; blocks while the
     * transport's write buffer is above its high-water mark (TCP back-pressure).
     *
     * @throws SslException {@code closed}
     */
    void send(byte[] data) throws SslException;

    /** {@code ssl:send/2} with the remaining bytes of a buffer (its position moves to its limit). */
    void send(ByteBuffer data) throws SslException;

    /** {@code ssl:send/2} with text, encoded as UTF-8. */
    default void send(CharSequence text) throws SslException {
        send(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code ssl:recv/2}: {@link #recv(int, Timeout)} without a time limit. */
    default byte[] recv(int length) throws SslException {
        return recv(length, Timeout.INFINITY);
    }

    /**
     * {@code ssl:recv/3}: reads from a passive socket.
     *
     * <ul>
     *   <li>{@code length == 0}: waits for at least one byte and returns all that is buffered.</li>
     *   <li>{@code length > 0}: waits for exactly {@code length} bytes; any surplus stays buffered for the next
     *   call.</li>
     *   <li>On {@code timeout} nothing is consumed: the bytes that had arrived are returned by a later call.</li>
     *   <li>After the peer closed, buffered bytes are still returned; then {@code closed}, on every call. A
     *   {@code recv(N)} that can no longer be met fails with {@code closed} but, unlike OTP, leaves the partial
     *   bytes readable by {@code recv(0)} (nothing is dropped).</li>
     * </ul>
     *
     * @throws SslException {@code closed}, {@code timeout}, {@code einval} (negative length), or the alert that
     *                      ended the connection
     */
    byte[] recv(int length, Timeout timeout) throws SslException;

    /**
     * {@code ssl:recv/3} giving the data in the shape {@code mode}, {@code header} and {@code packet} ask for:
     * {@code byte[]} (binary), a {@link String} of bytes (list), {@link HeaderData} ({@code header N}) or an
     * {@link HttpPacket} (the HTTP packet types) — the same shapes as {@link SslMessage.Data#data()}. {@link #recv}
     * gives plain bytes whatever the mode, and fails with {@code einval} on an HTTP packet.
     *
     * <p>With a {@code packet} type other than raw, {@code length} is ignored: one whole packet (as OTP).
     */
    Object recvData(int length, Timeout timeout) throws SslException;

    /**
     * Reads into a buffer of the caller's, without a {@code byte[]} per call: a zero-copy read beside the
     * Erlang-shaped {@link #recv(int, Timeout)}. It has no OTP counterpart (Erlang has no caller-owned buffers).
     * Waits like {@code recv(0)} for at least one byte, then copies as many buffered bytes as fit in
     * {@code dst.remaining()}; the rest stays buffered for the next call. Same guarantees as {@code recv}: nothing
     * is lost on {@code timeout}, bytes come once and in order, and after the peer closed the buffered bytes come
     * first, then {@code closed}. Only for {@code packet raw}.
     *
     * @return how many bytes were copied ({@code dst}'s position moved by as many); 0 only if {@code dst} is full
     * @throws SslException {@code closed}, {@code timeout}, {@code einval} (an active socket, or a packet type
     *                      other than raw), or the alert that ended the connection
     */
    int recv(java.nio.ByteBuffer dst, Timeout timeout) throws SslException;

    /**
     * {@code ssl:setopts/2}: changes socket options. All are checked first; if one is wrong nothing changes.
     *
     * <p>{@code active}: {@code N} adds to a current count; a total {@code <= 0} makes the socket passive and sends
     * {@link SslMessage.Passive}; with data queued, {@code once}/{@code N}/{@code true} deliver at once; after the
     * peer closed, {@code once} delivers what is left and then {@link SslMessage.Closed}.
     *
     * @throws SslException {@code {options, {socket_options, …}}} (e.g. an active count out of -32768..32767, or
     *                      an active mode without an owner), {@code closed}
     */
    void setopts(SocketOpt<?>... options) throws SslException;

    /**
     * {@code ssl:getopts/2}: the current values, in the order asked (OTP answers in reverse order; a Java map keyed
     * by option makes the order moot). {@code active} reads {@code false} once an {@code once} has fired.
     *
     * @throws SslException {@code closed}
     */
    java.util.Map<Opt<?>, Object> getopts(Opt<?>... keys) throws SslException;

    /** {@code ssl:getopts/2} for one option. */
    default <T> T getopt(Opt<T> key) throws SslException {
        return key.cast(getopts(key).get(key));
    }

    /**
     * {@code ssl:controlling_process/2}: makes {@code next} the owner; messages not yet delivered go to it.
     *
     * <p>Only the current owner may do this, and a Java caller proves it by presenting the current owner object
     * ({@code current == owner}, by identity). A socket without an owner accepts {@code current == null}.
     *
     * @throws SslException {@code not_owner} if {@code current} is not the owner, {@code closed}
     */
    void controllingProcess(ControllingProcess current, ControllingProcess next) throws SslException;

    /**
     * {@code ssl:shutdown/2}: closes one direction.
     *
     * <ul>
     *   <li>{@link How#WRITE}: the peer sees the end of the stream ({@code closed} on its {@code recv},
     *   {@link SslMessage.Closed} if active) while this side keeps reading. Sent as a TCP FIN without close_notify,
     *   as OTP 25 does: a TLS 1.2 peer, and BoringSSL at any version, must stop writing when it receives
     *   close_notify (RFC 5246 §7.2.1), and the gen_tcp contract is that a peer with {@code exit_on_close false}
     *   may go on sending. The peer therefore sees an end without close_notify
     *   ({@link ConnectionInfo#peerClose()} {@code TRUNCATED}): a half-closed stream and a truncation look alike on
     *   the wire, so a protocol that needs to tell them apart must mark its own end.</li>
     *   <li>{@link How#READ_WRITE}: sends close_notify, then closes TCP both ways; {@code send}/{@code recv} say
     *   {@code closed}.</li>
     *   <li>{@link How#READ}: stops reading (TCP); {@code recv} says {@code closed}; sending goes on.</li>
     * </ul>
     *
     * @throws SslException {@code closed}, {@code einval} before the handshake
     */
    void shutdown(How how) throws SslException;

    /**
     * {@code ssl:renegotiate/1}: a new TLS 1.2 handshake on this connection (RFC 5746 secure renegotiation only).
     * Data keeps flowing both ways while it runs and none is lost.
     *
     * <p>Only the JDK engine can renegotiate (BoringSSL cannot; ask for {@code SslOptions.renegotiation(true)}, which
     * selects the JDK engine). On TLS 1.3, as in OTP 26+, there is no renegotiation: use {@link #updateKeys}.
     *
     * <p>Unlike OTP, where a server answers a client's second renegotiation within 12 s with
     * {@code renegotiation_rejected}, an sslkit (JDK-engine) server makes it wait until 12 s after the previous one;
     * this call then returns {@code ok} late (see {@code SslOptions.Builder.clientRenegotiation}).
     *
     * @throws SslException {@code notsup} (TLS 1.3, or an engine that cannot; the connection stays usable),
     *                      {@code renegotiation_rejected} (the peer refused; unlike OTP the connection is then
     *                      over: the JDK engine ends a handshake on any warning alert, an OTP server's
     *                      {@code no_renegotiation} included, and a BoringSSL server's refusal is fatal anyway),
     *                      {@code closed}
     */
    void renegotiate() throws SslException;

    /**
     * {@code ssl:update_keys/2}: a TLS 1.3 KeyUpdate; {@link How#READ_WRITE} also asks the peer to update its keys.
     *
     * @throws SslException {@code notsup} (TLS 1.2, or an engine that cannot: only the JDK's can),
     *                      {@code einval} for {@link How#READ} (OTP: {@code {illegal_parameter, read}}), {@code closed}
     */
    void updateKeys(How how) throws SslException;

    /**
     * {@code ssl:close/2} with a timeout: sends close_notify, waits up to {@code timeout} for the peer's close_notify
     * (reading and dropping any data before it), then closes TCP. The socket is closed whatever happens.
     *
     * @throws SslException {@code timeout} if the peer did not answer in time, {@code closed} if it closed TCP
     *                      without answering or the socket was already closed
     */
    void close(Timeout timeout) throws SslException;

    /**
     * {@code ssl:close/2} with {@code {NewOwner, Timeout}}: a TLS downgrade (the reverse of STARTTLS). Sends
     * close_notify, waits up to {@code timeout} for the peer's, and keeps the TCP connection: Erlang's
     * {@code {ok, TcpSocket}} / {@code {ok, TcpSocket, FirstBytes}} is a {@link Downgraded} whose
     * {@link PlainSocket} (passive, raw bytes: OTP's {@code [{active,false},{packet,0},{mode,binary}]}) the caller
     * owns from now on — Java has no processes, so {@code NewOwner} is whoever called.
     *
     * <ul>
     *   <li>The peer must answer close_notify without closing TCP: typically it downgrades too.</li>
     *   <li>Bytes the peer sent after its close_notify are never decrypted: those already received are
     *   {@link Downgraded#firstBytes()}, the rest come from the plain socket's {@code recv}.</li>
     *   <li>Decrypted bytes from before the peer's close_notify that nobody had read are returned in
     *   {@link Downgraded#unreadTlsData()}; the owner gets no more messages.</li>
     *   <li>This socket is closed afterwards, whatever the outcome: every call says {@code closed}. The plain
     *   connection runs on the runtime's event loops: {@code Ssl.stop()} closes it (without a message to
     *   anyone).</li>
     *   <li>Order matters. Once read from, a socket reads ahead (as OTP's ssl does), so the peer's close_notify
     *   is taken in as soon as it arrives, also before this call. Then, with {@code exit_on_close} (the default)
     *   that ends the connection and the result is {@code closed}; with {@code exit_on_close false} the downgrade
     *   still works. So one side downgrades first; the other, with {@code exit_on_close false}, waits for its
     *   close_notify (a {@code recv} that says {@code closed}), then downgrades and speaks first in plain: the
     *   first side may be done before the other's TLS handler is gone, and plain bytes that reach that handler
     *   are lost with the JDK engine (Netty's SslHandler decodes on after a close_notify and drops them as a bad
     *   record; BoringSSL leaves them for {@code firstBytes}).</li>
     * </ul>
     *
     * @throws SslException {@code timeout} if the peer did not answer in time (the connection is closed, as OTP),
     *                      {@code closed} if the socket was closed or the peer closed TCP without answering,
     *                      {@code einval} before the handshake, or the alert that ended the connection
     */
    Downgraded downgrade(Timeout timeout) throws SslException;

    /**
     * {@code ssl:close/1}: sends close_notify and closes the connection. Idempotent: closing a closed socket
     * succeeds. Bytes not yet read are released.
     */
    @Override
    void close();

    /** {@code ssl:peername/1}: the peer's address. @throws SslException {@code einval} after close (as OTP 25) */
    InetSocketAddress peername() throws SslException;

    /** {@code ssl:sockname/1}: the local address. @throws SslException {@code einval} after close */
    InetSocketAddress sockname() throws SslException;

    /**
     * {@code ssl:connection_information/1}: version, suite, SNI, ALPN, session resumption.
     *
     * @throws SslException {@code closed}, or {@code einval} before the handshake
     */
    ConnectionInfo connectionInfo() throws SslException;

    /**
     * {@code ssl:negotiated_protocol/1}: the ALPN protocol both sides agreed on.
     *
     * @throws SslException {@code protocol_not_negotiated} when there is none, {@code closed}
     */
    default String negotiatedProtocol() throws SslException {
        return connectionInfo().negotiatedProtocol()
                .orElseThrow(() -> new SslException(Reason.Atom.PROTOCOL_NOT_NEGOTIATED));
    }

    /**
     * {@code ssl:peercert/1}: the certificate the peer presented.
     *
     * @throws SslException {@code no_peercert} when the peer sent none (a client without client
     *                      authentication), {@code closed}
     */
    PeerCert peercert() throws SslException;

    /**
     * The session of this client connection, saved for explicit resumption: OTP's {@code {reuse_sessions, save}}
     * with {@code connection_information(S, [session_id, session_data])}. Give it to a later {@code connect} with
     * {@link SslOptions.Builder#reuseSession(SavedSession)}, which resumes it (the server willing) even when
     * {@code reuse_sessions} is {@code false} or the address differs.
     *
     * <p>For TLS 1.3 the resumable session comes with the server's first ticket, after the handshake: save it once
     * data has arrived from the server (tickets come before it).
     *
     * @throws SslException {@code einval} on a server socket or before the handshake, {@code closed}
     */
    SavedSession session() throws SslException;
}
