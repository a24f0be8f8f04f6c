package io.sslkit.netty.trust;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.util.List;

/** The single-certificate checks of path validation, each a yes/no answer over JDK-parsed values. */
final class CertChecks {

    // X509Certificate.getKeyUsage() indexes (RFC 5280 4.2.1.3)
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;
    private static final int KEY_CERT_SIGN = 5;

    private CertChecks() {
    }

    /** Whether {@code key} verifies the certificate's signature (the JDK's providers check it). */
    static boolean signedBy(CertView c, PublicKey key) {
        try {
            c.cert.verify(key);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * keyUsage, when present: a CA must have keyCertSign (RFC 5280 6.1.4 (n)); the peer must allow its TLS use —
     * digitalSignature for (EC)DHE and TLS 1.3 and for client certificates, keyEncipherment for TLS 1.2 RSA key
     * transport, keyAgreement for static ECDH (RFC 5246 7.4.2, RFC 8446 4.4.2.2).
     */
    static boolean keyUsageAllows(CertView c, boolean peer, Purpose purpose, String authType) {
        boolean[] ku = c.cert.getKeyUsage();
        if (ku == null) {
            return true;
        }
        if (!peer) {
            return bit(ku, KEY_CERT_SIGN);
        }
        if (purpose == Purpose.SERVER_AUTH && authType != null) {
            if (authType.equals("RSA")) {
                return bit(ku, KEY_ENCIPHERMENT);
            }
            if (authType.startsWith("ECDH_")) {
                return bit(ku, KEY_AGREEMENT);
            }
        }
        return bit(ku, DIGITAL_SIGNATURE);
    }

    /** extendedKeyUsage, when present, must allow the purpose or any purpose (as OTP, on every certificate). */
    static boolean extendedKeyUsageAllows(CertView c, Purpose purpose) {
        List<String> eku;
        try {
            eku = c.cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return false;
        }
        return eku == null || eku.contains(purpose.oid()) || eku.contains(Purpose.ANY_EXTENDED_KEY_USAGE);
    }

    private static boolean bit(boolean[] ku, int index) {
        return ku.length > index && ku[index];
    }
}
