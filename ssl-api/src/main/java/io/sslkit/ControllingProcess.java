package io.sslkit;

/**
 * The owner of a socket: where its active-mode messages go ({@code {ssl, S, Data}}, {@code {ssl_closed, S}},
 * {@code {ssl_error, S, Reason}}, {@code {ssl_passive, S}}). A Java program has no processes, so the owner is an
 * object: a {@link Mailbox} to {@code receive} from, or a callback.
 *
 * <h2>Threading</h2>
 * {@link #deliver} is called on the socket's event loop, one message at a time and in order. A callback that
 * blocks holds up every socket on that event loop (and is how a callback slows its own socket down: while it runs
 * nothing more is read). A callback that throws does not close the socket: the exception is logged
 * (logger {@code io.sslkit}, through Netty's logging: SLF4J, Log4j 2 or {@code java.util.logging},
 * whichever the application has) and the message counts as delivered.
 *
 * <h2>Ownership</h2>
 * The object itself is the proof of ownership: {@link SslSocket#controllingProcess(ControllingProcess,
 * ControllingProcess)} moves a socket only for a caller that presents the current owner.
 */
@FunctionalInterface
public interface ControllingProcess {

    /** Takes one message. Called on the socket's event loop; must not block for long. */
    void deliver(SslMessage message);
}
