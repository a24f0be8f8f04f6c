package io.sslkit.netty.engine;

import io.sslkit.Alert;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The JDK engine's alerts. JSSE gives no alert as a value: its {@code TransportContext.fatal(Alert, String)} puts
 * only the diagnostic text into the exception it throws, and a received alert only as the text
 * {@code Received fatal alert: <name>}. So, and only here, the alert is read from JSSE's messages (written in
 * {@code sun.security.ssl}: stable across 17 and 25). Shared exception types ({@code AEADBadTagException},
 * certificate-validity causes) are read before, by type, in {@link AlertDecoder}; the differences between JDK
 * releases are the table in {@link JdkEngine}.
 */
final class JdkAlerts extends AlertDecoder {

    private static final Pattern RECEIVED = Pattern.compile("Received fatal alert: ([a-z_]+)");

    private final JdkEngine engine;

    JdkAlerts(JdkEngine engine) {
        this.engine = engine;
    }

    @Override
    public Optional<Alert> received(SSLException failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            Matcher m = RECEIVED.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                return Alert.fromName(m.group(1));
            }
        }
        return Optional.empty();
    }

    @Override
    protected Alert engineSent(SSLException failure, String version) {
        String text = messages(failure);
        if (text.contains("EMPTY CLIENT CERTIFICATE CHAIN")) {
            return engine.missingClientCertificateAlert(version);
        }
        if (text.contains("NO APPROPRIATE CIPHER") || text.contains("NO CIPHER SUITES IN COMMON")) {
            return Alert.HANDSHAKE_FAILURE;
        }
        if (text.contains("NO APPROPRIATE PROTOCOL") || text.contains("CLIENT REQUESTED PROTOCOL")) {
            return Alert.PROTOCOL_VERSION;
        }
        if (text.contains("NO MATCHING APPLICATION LAYER PROTOCOL")) { // RFC 7301 3.2
            return Alert.NO_APPLICATION_PROTOCOL;
        }
        if (text.contains("BAD RECORD MAC")) {
            return Alert.BAD_RECORD_MAC;
        }
        if (text.contains("PKIX") || text.contains("CERTIFICATE") || text.contains("CERTPATH")) {
            return Alert.CERTIFICATE_UNKNOWN;
        }
        if (text.contains("UNSUPPORTED OR UNRECOGNIZED") || text.contains("PLAINTEXT")) {
            return Alert.UNEXPECTED_MESSAGE; // plain text or another protocol where a TLS record was due
        }
        if (text.contains("RECORD_OVERFLOW")) {
            return Alert.RECORD_OVERFLOW;
        }
        if (text.contains("INSUFFICIENT BUFFER")) {
            return Alert.DECODE_ERROR;
        }
        return Alert.HANDSHAKE_FAILURE;
    }

    /** The messages of the cause chain, upper case. */
    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 4096; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append('\n');
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }
}
