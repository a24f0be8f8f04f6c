package io.sslkit.netty.engine;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.sslkit.Alert;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * BoringSSL's alerts, read from the packed error code that netty-tcnative's engine puts on its exceptions
 * ({@code ERR_PACK(lib, reason)}: library in the top byte, reason in the low 12 bits).
 *
 * <ul>
 *   <li>A received alert is reason {@code 1000 + alert} ({@code SSL_AD_REASON_OFFSET}, the
 *   {@code SSLV3_ALERT_*}/{@code TLSV1_ALERT_*} reasons).</li>
 *   <li>A local failure's reason tells the alert BoringSSL sent with it (the table below, from
 *   {@code include/openssl/ssl.h}); a missing client certificate sends {@code certificate_required} on TLS 1.3 and
 *   {@code handshake_failure} on 1.2.</li>
 * </ul>
 *
 * <p>Netty keeps the code on package-private exception types
 * ({@code ReferenceCountedOpenSslEngine.NativeSslException}), so it is read through that interface's public
 * {@code errorCode()} method.
 */
final class BoringSslAlerts extends AlertDecoder {

    static final BoringSslAlerts INSTANCE = new BoringSslAlerts();

    /** {@code ERR_LIB_SSL}. */
    private static final int LIB_SSL = 16;
    /** {@code SSL_AD_REASON_OFFSET}: reason = 1000 + the alert received. */
    private static final int ALERT_OFFSET = 1000;
    /** {@code ERR_LIB_CIPHER}. */
    private static final int LIB_CIPHER = 30;
    /** {@code CIPHER_R_BAD_DECRYPT}: the AEAD's error, queued before the SSL one for a record that does not open. */
    private static final int CIPHER_BAD_DECRYPT = 101;
    /** {@code SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE}. */
    private static final int PEER_DID_NOT_RETURN_A_CERTIFICATE = 192;

    /** {@code SSL_R_*} reason → the alert sent with it (reasons not listed: handshake_failure). */
    private static final Map<Integer, Alert> SENT = Map.ofEntries(
            Map.entry(184, Alert.HANDSHAKE_FAILURE),        // NO_SHARED_CIPHER
            Map.entry(240, Alert.PROTOCOL_VERSION),         // UNSUPPORTED_PROTOCOL
            Map.entry(307, Alert.NO_APPLICATION_PROTOCOL),  // NO_APPLICATION_PROTOCOL
            Map.entry(138, Alert.BAD_RECORD_MAC),           // DECRYPTION_FAILED
            Map.entry(139, Alert.BAD_RECORD_MAC),           // DECRYPTION_FAILED_OR_BAD_RECORD_MAC
            Map.entry(125, Alert.CERTIFICATE_UNKNOWN),      // CERTIFICATE_VERIFY_FAILED
            Map.entry(165, Alert.CERTIFICATE_UNKNOWN),      // MISSING_RSA_CERTIFICATE
            Map.entry(172, Alert.CERTIFICATE_UNKNOWN),      // NO_CERTIFICATES_RETURNED
            Map.entry(173, Alert.CERTIFICATE_UNKNOWN),      // NO_CERTIFICATE_ASSIGNED
            Map.entry(174, Alert.CERTIFICATE_UNKNOWN),      // NO_CERTIFICATE_SET
            Map.entry(193, Alert.CERTIFICATE_UNKNOWN),      // PEER_ERROR_UNSUPPORTED_CERTIFICATE_TYPE
            Map.entry(217, Alert.CERTIFICATE_UNKNOWN),      // TLS_PEER_DID_NOT_RESPOND_WITH_CERTIFICATE_LIST
            Map.entry(228, Alert.CERTIFICATE_UNKNOWN),      // UNKNOWN_CERTIFICATE_TYPE
            Map.entry(241, Alert.CERTIFICATE_UNKNOWN),      // WRONG_CERTIFICATE_TYPE
            Map.entry(274, Alert.CERTIFICATE_UNKNOWN),      // CERTIFICATE_AND_PRIVATE_KEY_MISMATCH
            Map.entry(247, Alert.UNEXPECTED_MESSAGE),       // WRONG_VERSION_NUMBER (plain text, another protocol)
            Map.entry(156, Alert.UNEXPECTED_MESSAGE),       // HTTP_REQUEST
            Map.entry(200, Alert.RECORD_OVERFLOW),          // RECORD_TOO_LARGE
            Map.entry(137, Alert.DECODE_ERROR),             // DECODE_ERROR
            Map.entry(131, Alert.DECODE_ERROR));            // CLIENTHELLO_PARSE_FAILED (checked on the wire)

    private static final Method ERROR_CODE = errorCodeMethod();

    private BoringSslAlerts() {
    }

    @Override
    public Optional<Alert> received(SSLException failure) {
        int reason = reason(nativeCode(failure));
        if (reason >= ALERT_OFFSET && reason < ALERT_OFFSET + 256) {
            return Alert.fromCode(reason - ALERT_OFFSET);
        }
        return Optional.empty();
    }

    @Override
    protected Alert engineSent(SSLException failure, String version) {
        int code = nativeCode(failure);
        if (code >>> 24 == LIB_CIPHER && (code & 0xFFF) == CIPHER_BAD_DECRYPT) {
            // Netty reports the oldest queued error: for a corrupted record that is the AEAD's, not the SSL
            // library's DECRYPTION_FAILED_OR_BAD_RECORD_MAC that follows it
            return Alert.BAD_RECORD_MAC;
        }
        int reason = reason(code);
        if (reason == PEER_DID_NOT_RETURN_A_CERTIFICATE) {
            // certificate_required exists only in TLS 1.3
            return "TLSv1.3".equals(version) ? Alert.CERTIFICATE_REQUIRED : Alert.HANDSHAKE_FAILURE;
        }
        return SENT.getOrDefault(reason, Alert.HANDSHAKE_FAILURE);
    }

    /** The SSL library's reason of a packed code; -1 for another library's or none. */
    private static int reason(int code) {
        return code != 0 && (code >>> 24) == LIB_SSL ? code & 0xFFF : -1;
    }

    /** The first native error code in the cause chain; 0 if there is none (not a BoringSSL failure). */
    static int nativeCode(Throwable t) {
        if (ERROR_CODE == null) {
            return 0;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (ERROR_CODE.getDeclaringClass().isInstance(c)) {
                try {
                    return (int) ERROR_CODE.invoke(c);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private static Method errorCodeMethod() {
        try {
            Class<?> c = Class.forName(ReferenceCountedOpenSslEngine.class.getName() + "$NativeSslException", false,
                    ReferenceCountedOpenSslEngine.class.getClassLoader());
            Method m = c.getMethod("errorCode");
            m.setAccessible(true); // a public method of a package-private interface
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another Netty: no code to read, every failure is read as the JDK's
        }
    }
}
