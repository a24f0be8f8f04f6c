package io.sslkit.netty.internal;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.sslkit.Alert;
import io.sslkit.Reason;
import io.sslkit.Reason.TlsAlert.Origin;
import io.sslkit.Reason.TlsAlert.Role;
import io.sslkit.netty.trust.CertificateRejectedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.BadPaddingException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns what Netty and the TLS engines throw into Erlang reasons. One place, so that every path (handshake,
 * {@code recv}, active delivery) reports the same failure the same way.
 *
 * <p>Alerts the peer sent are read from the engines' messages: the JDK says {@code Received fatal alert: unknown_ca},
 * BoringSSL says {@code ...:TLSV1_ALERT_UNKNOWN_CA}. Alerts we sent are inferred from the failure (the engines do not
 * say which alert they sent), except when our verify_fun trust manager stopped the handshake: its
 * {@link CertificateRejectedException} records the alert it made the engine send, and the reason
 * ({@code {bad_cert, hostname_check_failed}}) becomes the alert's detail. Which alert each engine can send is in
 * {@link io.sslkit.netty.trust.VerifyFunTrustManagerFactory}.
 */
public final class Errors {

    private static final Pattern JDK_RECEIVED = Pattern.compile("Received fatal alert: ([a-z_]+)");
    private static final Pattern OPENSSL_ALERT = Pattern.compile("(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)");

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
        Throwable c = unwrap(t);
        if (c instanceof SslHandshakeTimeoutException || c instanceof ConnectTimeoutException
                || c instanceof java.util.concurrent.TimeoutException) {
            return Reason.TIMEOUT;
        }
        if (c instanceof UnknownHostException) {
            return Reason.NXDOMAIN;
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
            return sslReason(ssl, client, version);
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

    private static Reason sslReason(SSLException e, boolean client, String version) {
        Role role = client ? Role.CLIENT : Role.SERVER;
        Optional<CertificateRejectedException> rejected = rejection(e);
        if (rejected.isPresent()) {
            // Our verify_fun stopped the handshake: the alert the engine was made to send, and why (OTP prints
            // "... Handshake Failure\n {bad_cert,hostname_check_failed}").
            CertificateRejectedException r = rejected.get();
            return new Reason.TlsAlert(r.sentAlert(), Origin.LOCAL, role, "{bad_cert," + r.reason().erlangName()
                    + "}");
        }
        String msg = messages(e);
        Optional<Alert> received = receivedAlert(msg);
        if (received.isPresent()) {
            return received.get() == Alert.CLOSE_NOTIFY ? Reason.CLOSED
                    : new Reason.TlsAlert(received.get(), Origin.PEER, role, "");
        }
        String lower = msg.toLowerCase(Locale.ROOT);
        if (lower.contains("closed while") || lower.contains("connection closed") || lower.contains("closed engine")
                || lower.contains("engine closed") || lower.contains("sslengine closed")) {
            return Reason.CLOSED;
        }
        return new Reason.TlsAlert(sentAlert(e, msg, version), Origin.LOCAL, role, firstLine(e));
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

    /** The alert the peer sent, if the engine's messages name one. */
    static Optional<Alert> receivedAlert(String msg) {
        Matcher m = JDK_RECEIVED.matcher(msg);
        if (m.find()) {
            return Alert.fromName(m.group(1));
        }
        m = OPENSSL_ALERT.matcher(msg);
        if (m.find()) {
            return Alert.fromName(m.group(1).toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    /** Our best knowledge of the alert the engine sent for a local failure. */
    private static Alert sentAlert(SSLException e, String msg, String version) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BadPaddingException) {
                // JDK: a record that fails to decrypt (AEADBadTagException "Tag mismatch") is sent as bad_record_mac
                return Alert.BAD_RECORD_MAC;
            }
            if (c instanceof javax.crypto.AEADBadTagException || c instanceof javax.crypto.BadPaddingException) {
                return Alert.BAD_RECORD_MAC; // a record that does not decrypt: the JDK sends bad_record_mac
            }
            if (c instanceof CertificateExpiredException || c instanceof CertificateNotYetValidException) {
                return Alert.CERTIFICATE_EXPIRED;
            }
            if (c instanceof CertPathValidatorException v && v.getReason() != null) {
                String r = v.getReason().toString();
                if (r.equals("EXPIRED") || r.equals("NOT_YET_VALID")) {
                    return Alert.CERTIFICATE_EXPIRED;
                }
            }
        }
        String upper = msg.toUpperCase(Locale.ROOT);
        if (upper.contains("EMPTY CLIENT CERTIFICATE CHAIN") && Runtime.version().feature() <= 17) {
            return Alert.BAD_CERTIFICATE; // the JDK 17 server, on TLS 1.2 and 1.3 alike (its clients report that)
        }
        if (upper.contains("EMPTY CLIENT CERTIFICATE CHAIN")) {
            // later JDKs (checked: 25) send what BoringSSL sends
            return "TLSv1.3".equals(version) ? Alert.CERTIFICATE_REQUIRED : Alert.HANDSHAKE_FAILURE;
        }
        if (upper.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || upper.contains("CERTIFICATE_REQUIRED")) {
            // BoringSSL: certificate_required exists only in TLS 1.3
            return upper.contains("TLSV1.3") || "TLSv1.3".equals(version) ? Alert.CERTIFICATE_REQUIRED
                    : Alert.HANDSHAKE_FAILURE;
        }
        if (upper.contains("NO_SHARED_CIPHER") || upper.contains("NO APPROPRIATE CIPHER")
                || upper.contains("NO CIPHER SUITES IN COMMON")) {
            return Alert.HANDSHAKE_FAILURE;
        }
        if (upper.contains("UNSUPPORTED_PROTOCOL") || upper.contains("NO APPROPRIATE PROTOCOL")
                || upper.contains("CLIENT REQUESTED PROTOCOL") || upper.contains("UNSUPPORTED_VERSION")) {
            return Alert.PROTOCOL_VERSION;
        }
        if (upper.contains("NO_APPLICATION_PROTOCOL")
                || upper.contains("NO MATCHING APPLICATION LAYER PROTOCOL")) { // JDK server, RFC 7301 3.2
            return Alert.NO_APPLICATION_PROTOCOL;
        }
        if (upper.contains("BAD_RECORD_MAC") || upper.contains("BAD_DECRYPT") || upper.contains("BAD RECORD MAC")
                || upper.contains("DECRYPTION_FAILED")) {
            return Alert.BAD_RECORD_MAC;
        }
        if (upper.contains("CERTIFICATE_VERIFY_FAILED") || upper.contains("PKIX") || upper.contains("CERTIFICATE")
                || upper.contains("CERTPATH")) {
            return Alert.CERTIFICATE_UNKNOWN;
        }
        if (upper.contains("WRONG_VERSION_NUMBER") || upper.contains("HTTP_REQUEST") || upper.contains("NOT AN SSL")
                || upper.contains("UNSUPPORTED OR UNRECOGNIZED") || upper.contains("PLAINTEXT")) {
            return e instanceof SSLHandshakeException ? Alert.UNEXPECTED_MESSAGE : Alert.UNEXPECTED_MESSAGE;
        }
        if (upper.contains("RECORD_OVERFLOW") || upper.contains("RECORD_TOO_LARGE")) {
            return Alert.RECORD_OVERFLOW;
        }
        if (upper.contains("DECODE_ERROR") || upper.contains("INSUFFICIENT BUFFER")) {
            return Alert.DECODE_ERROR;
        }
        return Alert.HANDSHAKE_FAILURE;
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
