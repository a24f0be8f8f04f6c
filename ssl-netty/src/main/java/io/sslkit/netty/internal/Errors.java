package io.sslkit.netty.internal;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslClosedEngineException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.sslkit.Alert;
import io.sslkit.Reason;
import io.sslkit.Reason.TlsAlert.Origin;
import io.sslkit.Reason.TlsAlert.Role;
import io.sslkit.netty.engine.AlertDecoder;
import io.sslkit.netty.engine.Engine;
import io.sslkit.netty.trust.CertificateRejectedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Turns what Netty and the TLS engines throw into Erlang reasons. One place, so that every path (handshake,
 * {@code recv}, active delivery) reports the same failure the same way.
 *
 * <p>When our verify_fun trust manager stopped the handshake, its {@link CertificateRejectedException} records the
 * alert it made the engine send, and the reason ({@code {bad_cert, hostname_check_failed}}) becomes the alert's
 * detail. Otherwise the engine's {@link AlertDecoder} reads which alert the peer sent or this side sent (BoringSSL:
 * from its error codes; the JDK: see {@link io.sslkit.netty.engine.JdkEngine}).
 */
public final class Errors {

    private Errors() {
    }

    /** A mapper for one side of a connection. */
    public static java.util.function.Function<Throwable, Reason> mapper(boolean client) {
        return t -> reasonOf(t, client);
    }

    /** The reason for a failure on the client ({@code client = true}) or server side. */
    public static Reason reasonOf(Throwable t, boolean client) {
        return reasonOf(t, client, null);
    }

    /**
     * As {@link #reasonOf(Throwable, boolean)}, for a handshake that got as far as choosing {@code version}
     * ({@code TLSv1.3}, {@code TLSv1.2}; {@code null} if unknown), which decides some of the alerts sent.
     */
    public static Reason reasonOf(Throwable t, boolean client, String version) {
        return reasonOf(t, client, version, null);
    }

    /**
     * As {@link #reasonOf(Throwable, boolean, String)}, for a failure of {@code engine} ({@code null}: told from the
     * failure itself, {@link Engine#ofFailure}), whose {@link AlertDecoder} reads the alert.
     */
    public static Reason reasonOf(Throwable t, boolean client, String version, Engine engine) {
        Throwable c = unwrap(t);
        if (c instanceof SslHandshakeTimeoutException || c instanceof ConnectTimeoutException
                || c instanceof java.util.concurrent.TimeoutException) {
            return Reason.TIMEOUT;
        }
        if (c instanceof UnknownHostException) {
            return Reason.NXDOMAIN;
        }
        Optional<Reason> posix = PosixErrors.reasonOf(c); // an errno (native transports) or the JDK's socket error
        if (posix.isPresent()) {
            return posix.get();
        }
        if (c instanceof ConnectException) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            return m.contains("refused") ? Reason.ECONNREFUSED
                    : m.contains("unreachable") ? new Reason.Posix("ehostunreach") : Reason.ECONNREFUSED;
        }
        if (c instanceof NoRouteToHostException) {
            return new Reason.Posix("ehostunreach");
        }
        if (c instanceof ClosedChannelException) {
            return Reason.CLOSED;
        }
        if (c instanceof io.sslkit.netty.handler.RenegotiationRejectedException) {
            return Reason.Atom.RENEGOTIATION_REJECTED;
        }
        if (c instanceof io.sslkit.netty.handler.MalformedRecordException m) {
            return new Reason.TlsAlert(m.alert(), Origin.LOCAL, client ? Role.CLIENT : Role.SERVER, m.getMessage());
        }
        if (c instanceof SSLException ssl) {
            return sslReason(ssl, client, version, engine);
        }
        if (c instanceof IOException io) {
            String m = String.valueOf(io.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("connection reset")) {
                return Reason.ECONNRESET;
            }
            if (m.contains("broken pipe")) {
                return new Reason.Posix("epipe");
            }
            return Reason.CLOSED;
        }
        return new Reason.Unexpected(c.getClass().getSimpleName() + ": " + c.getMessage());
    }

    private static Reason sslReason(SSLException e, boolean client, String version, Engine engine) {
        Role role = client ? Role.CLIENT : Role.SERVER;
        Optional<CertificateRejectedException> rejected = rejection(e);
        if (rejected.isPresent()) {
            // Our verify_fun stopped the handshake: the alert the engine was made to send, and why (OTP prints
            // "... Handshake Failure\n {bad_cert,hostname_check_failed}").
            CertificateRejectedException r = rejected.get();
            return new Reason.TlsAlert(r.sentAlert(), Origin.LOCAL, role, "{bad_cert," + r.reason().erlangName()
                    + "}");
        }
        AlertDecoder alerts = (engine != null ? engine : Engine.ofFailure(e)).alerts();
        Optional<Alert> received = alerts.received(e);
        if (received.isPresent()) {
            return received.get() == Alert.CLOSE_NOTIFY ? Reason.CLOSED
                    : new Reason.TlsAlert(received.get(), Origin.PEER, role, "");
        }
        if (closed(e)) {
            return Reason.CLOSED;
        }
        return new Reason.TlsAlert(alerts.sent(e, version), Origin.LOCAL, role, firstLine(e));
    }

    /**
     * A connection that closed under the engine, not a TLS failure. Netty's {@link SslClosedEngineException} is a
     * type; Netty's "Connection closed while SSL/TLS handshake was in progress" and the engines' closed-engine
     * failures are plain {@code SSLException}s that only their text tells apart, so it is read here.
     */
    private static boolean closed(SSLException e) {
        if (e instanceof SslClosedEngineException) {
            return true;
        }
        String lower = messages(e).toLowerCase(Locale.ROOT);
        return lower.contains("closed while") || lower.contains("connection closed") || lower.contains("closed engine")
                || lower.contains("engine closed") || lower.contains("sslengine closed");
    }

    /** The verify_fun failure in the cause chain (or among suppressed exceptions: BoringSSL keeps extra ones). */
    static Optional<CertificateRejectedException> rejection(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> todo = new ArrayDeque<>();
        todo.add(t);
        while (!todo.isEmpty() && seen.size() < 32) {
            Throwable c = todo.poll();
            if (!seen.add(c)) {
                continue;
            }
            if (c instanceof CertificateRejectedException r) {
                return Optional.of(r);
            }
            if (c.getCause() != null) {
                todo.add(c.getCause());
            }
            todo.addAll(Arrays.asList(c.getSuppressed()));
        }
        return Optional.empty();
    }

    /** Strips Netty's wrappers so that the engine's exception is seen. */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof DecoderException || c instanceof java.util.concurrent.ExecutionException
                || c instanceof java.util.concurrent.CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 4096; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
