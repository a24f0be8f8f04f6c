package io.sslkit.netty.trust;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.util.List;

/** The single-certificate checks of path validation, each a yes/no answer over JDK-parsed values. */
final class CertChecks {

    // X509Certificate.getKeyUsage() indexes (RFC 5280 4.2.1.3)
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

    /** Whether keyUsage, when present, has keyCertSign; false when there is none (OTP's is_digitally_sign_cert). */
    static boolean keyCertSign(CertView c) {
        boolean[] ku = c.cert.getKeyUsage();
        return ku != null && bit(ku, KEY_CERT_SIGN);
    }

    /**
     * extendedKeyUsage, when present, must name the purpose (ssl_certificate:is_valid_extkey_usage/2, on every
     * certificate; anyExtendedKeyUsage is not enough there).
     */
    static boolean extendedKeyUsageAllows(CertView c, Purpose purpose) {
        List<String> eku;
        try {
            eku = c.cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return false;
        }
        return eku == null || eku.contains(purpose.oid());
    }

    private static boolean bit(boolean[] ku, int index) {
        return ku.length > index && ku[index];
    }
}
