package io.sslkit.netty.handler;

import io.sslkit.Reason;
import io.sslkit.netty.internal.Errors;
import io.sslkit.netty.internal.PosixErrors;
import java.util.Optional;
import java.util.function.Function;

/**
 * The public mapping from what a Netty TLS pipeline throws to Erlang's reasons ({@code {tls_alert, …}},
 * {@code closed}, POSIX codes, ...): what a Netty user of {@link ActiveModeHandler} (its {@code errorMapper}) or of
 * {@code SslHandler} needs, without reaching into sslkit's internals. No OTP counterpart: OTP's {@code ssl}
 * produces these reasons itself.
 *
 * <pre>{@code
 * pipeline.addLast(sslHandler)
 *         .addLast(new ActiveModeHandler(TlsErrors.mapper(TlsAlert.Role.CLIENT)));
 * }</pre>
 *
 * <p>The mapping is typed at the source where the engine allows it; it follows the running engine and JDK.
 */
public final class TlsErrors {

    private TlsErrors() {
    }

    /** The mapper for one side of a connection, for {@link ActiveModeHandler#ActiveModeHandler(Function)}. */
    public static Function<Throwable, Reason> mapper(Reason.TlsAlert.Role role) {
        return Errors.mapper(role == Reason.TlsAlert.Role.CLIENT);
    }

    /**
     * The POSIX reason of a socket failure ({@code eaddrinuse}, {@code econnrefused}, ...; a native transport's
     * errno or a JDK socket exception, in {@code t} or its causes); empty for anything else, a TLS failure included.
     */
    public static Optional<Reason> posixReasonOf(Throwable t) {
        return PosixErrors.reasonOf(t);
    }

    /** The reason one failure maps to, on the given side of a connection. */
    public static Reason reasonOf(Throwable failure, Reason.TlsAlert.Role role) {
        return Errors.reasonOf(failure, role == Reason.TlsAlert.Role.CLIENT);
    }
}
