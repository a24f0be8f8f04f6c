package io.sslkit.netty.certs;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;
import java.util.Optional;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X448PrivateKeyParameters;

import io.sslkit.SslException;

/**
 * Checks that a private key belongs to a certificate. A signature made with the key and verified with the
 * certificate proves it for any key that can sign; keys that cannot (X25519/X448, and RSASSA-PSS keys, whose
 * signature parameters would have to be guessed) are compared by the public key they determine.
 */
final class KeyMatcher {

    private KeyMatcher() {
    }

    static void check(PrivateKey key, X509Certificate cert, String option, String value) throws SslException {
        PublicKey publicKey = cert.getPublicKey();
        String algorithm = signatureAlgorithm(key);
        boolean matches;
        if (algorithm != null) {
            // No comparison of algorithm names: providers differ ("EC" vs "ECDSA"); initVerify rejects other types.
            matches = signs(algorithm, key, publicKey, option, value);
        } else {
            Optional<Boolean> same = samePublicKey(key, publicKey);
            if (same.isEmpty()) {
                throw PemFiles.failure(option, value, "unsupported_key", null);
            }
            matches = same.get();
        }
        if (!matches) {
            throw PemFiles.failure(option, value, "key_does_not_match_certificate", null);
        }
    }

    /** The algorithm to prove possession with, or null for a key that cannot sign. */
    private static String signatureAlgorithm(PrivateKey key) {
        if (key instanceof EdECPrivateKey ed) {
            return ed.getParams().getName(); // the JDK names both Ed25519 and Ed448 keys "EdDSA"
        } else if (key instanceof RSAPrivateCrtKey && "RSA".equals(key.getAlgorithm())) {
            return "SHA256withRSA";
        } else if (key instanceof ECPrivateKey) {
            return "SHA256withECDSA";
        } else if (key instanceof DSAPrivateKey) {
            return "SHA256withDSA";
        }
        return null;
    }

    /**
     * Signs 32 random bytes and verifies them.
     *
     * @throws SslException {@code unsupported_key} when the key cannot sign at all
     */
    private static boolean signs(String algorithm, PrivateKey key, PublicKey publicKey, String option, String value)
            throws SslException {
        byte[] challenge = new byte[32];
        CertificateMaker.RANDOM.nextBytes(challenge);
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key, CertificateMaker.RANDOM);
            signer.update(challenge);
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw PemFiles.failure(option, value, "unsupported_key", e);
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false; // e.g. an Ed25519 key against an Ed448 certificate, or a P-256 key against a P-384 one
        } catch (GeneralSecurityException e) {
            throw PemFiles.failure(option, value, "unsupported_key", e);
        }
    }

    /** Whether the key determines the certificate's public key, or empty when it cannot be derived here. */
    private static Optional<Boolean> samePublicKey(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAPrivateCrtKey rsa) {
            return Optional.of(publicKey instanceof RSAPublicKey pub
                    && rsa.getModulus().equals(pub.getModulus())
                    && rsa.getPublicExponent().equals(pub.getPublicExponent()));
        }
        if (key instanceof XECPrivateKey xec && xec.getScalar().isPresent()) {
            byte[] scalar = xec.getScalar().get();
            try {
                // RFC 7748: the public key is the scalar times the base point; BouncyCastle's lightweight API
                // computes it without a JCA provider.
                byte[] derived = switch (scalar.length) {
                    case X25519PrivateKeyParameters.KEY_SIZE ->
                            new X25519PrivateKeyParameters(scalar).generatePublicKey().getEncoded();
                    case X448PrivateKeyParameters.KEY_SIZE ->
                            new X448PrivateKeyParameters(scalar).generatePublicKey().getEncoded();
                    default -> null;
                };
                if (derived == null) {
                    return Optional.empty();
                }
                byte[] actual = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData()
                        .getBytes();
                return Optional.of(Arrays.equals(derived, actual));
            } finally {
                Arrays.fill(scalar, (byte) 0);
            }
        }
        return Optional.empty();
    }
}
