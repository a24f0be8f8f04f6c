package io.sslkit;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A plain TCP connection left after a TLS downgrade ({@link SslSocket#downgrade}): what Erlang gets as the
 * {@code gen_tcp} socket of {@code {ok, TcpSocket}} from {@code ssl:close(S, {NewOwner, Timeout})}, which OTP hands
 * over as {@code [{active, false}, {packet, 0}, {mode, binary}]}.
 *
 * <p>So this is a passive byte stream: no active mode, no packet framing, bytes in and bytes out. Nothing is read
 * from the kernel while nobody calls {@link #recv}, so a fast sender is held back by TCP. The caller owns it (Erlang's
 * {@code NewOwner}): it sends no messages to anyone and must be {@link #close() closed} by its owner.
 *
 * <p>Every method may be called from any thread except an event-loop thread of the runtime. Failures are
 * {@link SslException}s with the {@code gen_tcp} reasons: {@code closed}, {@code timeout}, POSIX codes.
 */
public interface PlainSocket extends AutoCloseable {

    /**
     * {@code gen_tcp:send/2}: sends the bytes as they are. Returns once they are queued for the connection; blocks
     * while the transport's write buffer is above its high-water mark (TCP back-pressure).
     *
     * @throws SslException {@code closed}
     */
    void send(byte[] data) throws SslException;

    /** {@code gen_tcp:send/2} with the remaining bytes of a buffer (its position moves to its limit). */
    void send(ByteBuffer data) throws SslException;

    /** {@code gen_tcp:send/2} with text, encoded as UTF-8. */
    default void send(CharSequence text) throws SslException {
        send(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code gen_tcp:recv/2}: {@link #recv(int, Timeout)} without a time limit. */
    default byte[] recv(int length) throws SslException {
        return recv(length, Timeout.INFINITY);
    }

    /**
     * {@code gen_tcp:recv/3} with {@code {packet, 0}}: {@code length == 0} waits for at least one byte and returns
     * all that is buffered; {@code length > 0} waits for exactly that many (the surplus stays buffered). A timeout
     * consumes nothing. After the peer closed, buffered bytes are still returned, then {@code closed} on every call.
     *
     * @throws SslException {@code closed}, {@code timeout}, {@code einval} (negative length)
     */
    byte[] recv(int length, Timeout timeout) throws SslException;

    /** {@code inet:peername/1}. @throws SslException {@code einval} after close */
    InetSocketAddress peername() throws SslException;

    /** {@code inet:sockname/1}. @throws SslException {@code einval} after close */
    InetSocketAddress sockname() throws SslException;

    /** {@code gen_tcp:close/1}: closes the connection. Idempotent; bytes not yet read are dropped. */
    @Override
    void close();
}
