package io.sslkit;

import java.util.Objects;

/**
 * The result of a TLS downgrade, {@code ssl:close(S, {NewOwner, Timeout})}: Erlang's {@code {ok, TcpSocket}} or
 * {@code {ok, TcpSocket, FirstBytes}}.
 *
 * <p>The plain stream the peer sent after its close_notify starts with {@link #firstBytes()} (bytes that had already
 * arrived with or after the close_notify when the downgrade finished; often empty) and goes on with what
 * {@link #socket()}'s {@code recv} returns. Read {@code firstBytes} first: they are not repeated by {@code recv}.
 *
 * <p>{@link #unreadTlsData()} is what the peer sent <em>under TLS</em> before its close_notify and nobody had read
 * yet (from a passive socket's buffer, or messages an active socket had not delivered): OTP would have handed it to
 * the owner before the downgrade; a Java caller gets it here instead, so that nothing is lost. Usually empty.
 *
 * @param socket        the plain connection, now owned by the caller
 * @param firstBytes    plain bytes already received after the peer's close_notify (possibly empty)
 * @param unreadTlsData decrypted bytes from before the peer's close_notify, not yet read (possibly empty)
 */
public record Downgraded(PlainSocket socket, byte[] firstBytes, byte[] unreadTlsData) {

    public Downgraded {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(firstBytes, "firstBytes");
        Objects.requireNonNull(unreadTlsData, "unreadTlsData");
    }
}
