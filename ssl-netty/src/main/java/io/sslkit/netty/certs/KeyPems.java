package io.sslkit.netty.certs;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMEncryptor;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * Writes private keys (and any DER) as PEM text, in the formats {@link HeldCertificate} offers. Every block ends
 * with {@code \n} and has 64-character base64 lines, as OpenSSL writes them.
 */
final class KeyPems {

    /**
     * PBKDF2 rounds for encrypted PKCS#8: OpenSSL's default. These keys are fixtures; a higher count would only slow
     * down every test that reads one.
     */
    private static final int PBKDF2_ITERATIONS = 2048;

    private KeyPems() {
    }

    static String pkcs8(KeyPair keyPair) {
        try {
            return pem("PRIVATE KEY", privateKeyInfo(keyPair).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a key as PKCS#8: " + e.getMessage(), e);
        }
    }

    static String encryptedPkcs8(KeyPair keyPair, char[] password) {
        PrivateKey key = keyPair.getPrivate();
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(PBKDF2_ITERATIONS)
                    .setRandom(CertificateMaker.RANDOM)
                    .setPassword(password)
                    .setProvider(BcProvider.get())
                    .build();
            var pem = new PKCS8Generator(privateKeyInfo(keyPair), encryptor).generate();
            return pem(pem.getType(), pem.getContent());
        } catch (OperatorCreationException | PemGenerationException e) {
            throw new IllegalStateException("cannot encrypt a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /**
     * PKCS#8 {@code PrivateKeyInfo} as OpenSSL writes it. For an EC key the inner {@code ECPrivateKey} carries the
     * public key: the JDK's own encoding leaves it out, which OpenSSL and OTP accept but GnuTLS refuses.
     */
    private static PrivateKeyInfo privateKeyInfo(KeyPair keyPair) {
        PrivateKeyInfo jdk = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
        if (!(keyPair.getPrivate() instanceof ECPrivateKey ec)) {
            return jdk;
        }
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
            // the curve is named once, in the outer algorithm identifier
            var inner = new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                    spki.getPublicKeyData(), null);
            return new PrivateKeyInfo(jdk.getPrivateKeyAlgorithm(), inner);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode EC key as PKCS#8: " + e.getMessage(), e);
        }
    }

    static String pkcs1(PrivateKey key) {
        return pem("RSA PRIVATE KEY", pkcs1Der(key));
    }

    static String sec1(KeyPair keyPair) {
        return pem("EC PRIVATE KEY", sec1Der(keyPair));
    }

    static String legacyEncrypted(KeyPair keyPair, char[] password) {
        PrivateKey key = keyPair.getPrivate();
        String type;
        byte[] der;
        if ("RSA".equals(key.getAlgorithm())) {
            type = "RSA PRIVATE KEY";
            der = pkcs1Der(key);
        } else if (key instanceof ECPrivateKey) {
            type = "EC PRIVATE KEY";
            der = sec1Der(keyPair);
        } else {
            throw new IllegalStateException("legacy encrypted PEM needs an RSA or EC key, not " + key.getAlgorithm());
        }
        // The key derivation is OpenSSL's EVP_BytesToKey (one round of MD5), which BouncyCastle asks the JCA for as
        // a "PBKDF-OpenSSL" SecretKeyFactory: only a BouncyCastle provider has one.
        PEMEncryptor encryptor = new JcePEMEncryptorBuilder("AES-256-CBC")
                .setProvider(BcProvider.get())
                .setSecureRandom(CertificateMaker.RANDOM)
                .build(password);
        try {
            byte[] encrypted = encryptor.encrypt(der);
            String iv = HexFormat.of().withUpperCase().formatHex(encryptor.getIV());
            return pem(type, List.of("Proc-Type: 4,ENCRYPTED", "DEK-Info: " + encryptor.getAlgorithm() + "," + iv),
                    encrypted);
        } catch (PEMException e) {
            throw new IllegalStateException("cannot encrypt a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /** PKCS#1 {@code RSAPrivateKey}: the structure inside the PKCS#8 wrapping of an RSA key. */
    private static byte[] pkcs1Der(PrivateKey key) {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalStateException("PKCS#1 needs an RSA key, not " + key.getAlgorithm());
        }
        try {
            return RSAPrivateKey.getInstance(PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey())
                    .getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode RSA key as PKCS#1: " + e.getMessage(), e);
        }
    }

    /**
     * SEC1 {@code ECPrivateKey} with the curve and public key filled in. The JDK's PKCS#8 encoding leaves both out
     * of the inner structure (the curve is in the outer algorithm identifier), so it is rebuilt rather than
     * unwrapped: a SEC1 file on its own must name its curve.
     */
    private static byte[] sec1Der(KeyPair keyPair) {
        if (!(keyPair.getPrivate() instanceof ECPrivateKey ec)) {
            throw new IllegalStateException("SEC1 needs an EC key, not " + keyPair.getPrivate().getAlgorithm());
        }
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
            return new org.bouncycastle.asn1.sec.ECPrivateKey(ec.getParams().getOrder().bitLength(), ec.getS(),
                    spki.getPublicKeyData(), spki.getAlgorithm().getParameters()).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode EC key as SEC1: " + e.getMessage(), e);
        }
    }

    static String pem(String type, byte[] der) {
        return pem(type, List.of(), der);
    }

    /** One PEM block; {@code headerLines} ({@code "Name: value"}) go between the BEGIN line and the base64. */
    private static String pem(String type, List<String> headerLines, byte[] der) {
        StringBuilder out = new StringBuilder();
        out.append("-----BEGIN ").append(type).append("-----\n");
        for (String line : headerLines) {
            out.append(line).append('\n');
        }
        if (!headerLines.isEmpty()) {
            out.append('\n'); // RFC 1421: a blank line ends the headers
        }
        String base64 = Base64.getEncoder().encodeToString(der);
        for (int i = 0; i < base64.length(); i += 64) {
            out.append(base64, i, Math.min(base64.length(), i + 64)).append('\n');
        }
        out.append("-----END ").append(type).append("-----\n");
        return out.toString();
    }
}
