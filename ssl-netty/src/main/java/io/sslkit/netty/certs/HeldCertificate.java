package io.sslkit.netty.certs;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A certificate and the key pair it certifies, made with BouncyCastle: the fixture that tests, the examples and users
 * make self-signed certificates and whole chains with.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * HeldCertificate root = HeldCertificate.builder()
 *         .commonName("sslkit test root")
 *         .certificateAuthority(1)
 *         .build();
 * HeldCertificate intermediate = HeldCertificate.builder()
 *         .certificateAuthority(0)
 *         .signedBy(root)
 *         .build();
 * HeldCertificate server = HeldCertificate.builder()
 *         .addSubjectAlternativeName("localhost")
 *         .addSubjectAlternativeName("127.0.0.1")
 *         .signedBy(intermediate)
 *         .build();
 *
 * Files.writeString(certfile, HeldCertificate.pem(server.certificate(), intermediate.certificate()));
 * Files.writeString(keyfile, server.privateKeyPkcs8Pem());
 * Files.writeString(cacertfile, root.certificatePem());
 * }</pre>
 *
 * <h2>What comes out</h2>
 * Plain JDK types ({@link X509Certificate}, {@link KeyPair}, {@link PrivateKey}) and PEM text in each format that
 * Erlang's {@code keyfile} accepts: PKCS#8 (plain and PBES2-encrypted), PKCS#1 ({@code RSA PRIVATE KEY}), SEC1
 * ({@code EC PRIVATE KEY}) and OpenSSL's legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}).
 *
 * <h2>Threading</h2>
 * A {@code HeldCertificate} is immutable and may be shared between threads. A {@link Builder} is not thread-safe.
 *
 * <p>{@link #toString()} never prints the private key.
 */
public final class HeldCertificate {

    private final X509Certificate certificate;
    private final KeyPair keyPair;

    HeldCertificate(X509Certificate certificate, KeyPair keyPair) {
        this.certificate = certificate;
        this.keyPair = keyPair;
    }

    /** Starts a builder for a self-signed leaf certificate with the defaults listed in {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The certified key pair: the certificate's public key and its private key. */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** The private key, as {@code keyPair().getPrivate()}. */
    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** The certificate as one {@code -----BEGIN CERTIFICATE-----} block. */
    public String certificatePem() {
        return pem(certificate);
    }

    /** The private key as unencrypted PKCS#8: a {@code -----BEGIN PRIVATE KEY-----} block. */
    public String privateKeyPkcs8Pem() {
        return KeyPems.pkcs8(keyPair);
    }

    /**
     * The private key as encrypted PKCS#8: a {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} block, PBES2 with
     * AES-256-CBC and PBKDF2-HMAC-SHA256 (what {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes).
     *
     * @param password the password; the array is not kept
     */
    public String privateKeyPkcs8Pem(char[] password) {
        return KeyPems.encryptedPkcs8(keyPair, password);
    }

    /**
     * The RSA private key as PKCS#1: a {@code -----BEGIN RSA PRIVATE KEY-----} block.
     *
     * @throws IllegalStateException if the key is not an RSA key
     */
    public String privateKeyPkcs1Pem() {
        return KeyPems.pkcs1(privateKey());
    }

    /**
     * The EC private key as SEC1: an {@code -----BEGIN EC PRIVATE KEY-----} block that names its curve and carries
     * the public key, as OpenSSL writes it.
     *
     * @throws IllegalStateException if the key is not an EC key
     */
    public String privateKeySec1Pem() {
        return KeyPems.sec1(keyPair);
    }

    /**
     * The private key in OpenSSL's traditional encrypted form: a PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1
     * ({@code EC PRIVATE KEY}) block with the headers {@code Proc-Type: 4,ENCRYPTED} and
     * {@code DEK-Info: AES-256-CBC,<iv>} (what {@code openssl rsa -aes256} writes). The key derivation of this format
     * is weak (one round of MD5); it exists so that old key files can be tested.
     *
     * @param password the password; the array is not kept
     * @throws IllegalStateException if the key is neither RSA nor EC
     */
    public String privateKeyLegacyEncryptedPem(char[] password) {
        return KeyPems.legacyEncrypted(keyPair, password);
    }

    /**
     * PEM text of a chain: one {@code CERTIFICATE} block per certificate, in the order given (for a
     * {@code certfile}: the leaf first, then each issuer).
     *
     * @throws IllegalArgumentException if a certificate cannot be encoded
     */
    public static String pem(X509Certificate... chain) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                out.append(KeyPems.pem("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("certificate cannot be encoded: "
                        + certificate.getSubjectX500Principal(), e);
            }
        }
        return out.toString();
    }

    /** The subject, issuer, serial number, expiry and key algorithm; never the private key. */
    @Override
    public String toString() {
        return "HeldCertificate[subject=" + certificate.getSubjectX500Principal().getName()
                + ", issuer=" + certificate.getIssuerX500Principal().getName()
                + ", serial=" + certificate.getSerialNumber().toString(16)
                + ", notAfter=" + certificate.getNotAfter().toInstant()
                + ", key=" + keyPair.getPublic().getAlgorithm() + "]";
    }

    /** The kinds of key pair a {@link Builder} can generate. */
    enum KeyType { EC_P256, RSA_2048 }

    /**
     * Builds a {@link HeldCertificate}. Every setter states its default; with none called, {@link #build()} makes a
     * self-signed leaf certificate for a random common name with a fresh EC P-256 key, valid from one minute ago
     * for 24 hours.
     *
     * <p>Besides well-formed certificates, the builder can make broken ones on purpose, for testing chain
     * validation: {@link #withoutBasicConstraints()}, {@link #keyUsage(int)}, {@link #extendedKeyUsage},
     * {@link #addExtension}, {@link #nameConstraints} and {@link #signatureKey(PrivateKey)}.
     */
    public static final class Builder {
        /** One minute of allowance for clocks that are a little behind ours. */
        static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
        static final Duration DEFAULT_DURATION = Duration.ofHours(24);

        String commonName;
        String organizationalUnit;
        final List<String> subjectAlternativeNames = new ArrayList<>();
        Instant notBefore;
        Instant notAfter;
        KeyType keyType = KeyType.EC_P256;
        KeyPair keyPair;
        BigInteger serialNumber;
        int maxIntermediateCas = -1;
        HeldCertificate issuer;
        boolean basicConstraints = true;
        boolean keyIdentifiers = true;
        Integer keyUsage;
        boolean extendedKeyUsageCritical;
        List<String> extendedKeyUsage = List.of();
        final Map<String, CustomExtension> extensions = new LinkedHashMap<>();
        List<String> permittedDnsNames;
        List<String> excludedDnsNames;
        PrivateKey signatureKey;

        Builder() {
        }

        /** The subject's common name ({@code CN}). Default: a random UUID, so that no two certificates share a name. */
        public Builder commonName(String commonName) {
            this.commonName = Objects.requireNonNull(commonName, "commonName");
            return this;
        }

        /** The subject's organizational unit ({@code OU}). Default: none. */
        public Builder organizationalUnit(String organizationalUnit) {
            this.organizationalUnit = Objects.requireNonNull(organizationalUnit, "organizationalUnit");
            return this;
        }

        /**
         * Adds a subject alternative name: an IPv4 or IPv6 literal ({@code 127.0.0.1}, {@code ::1}) becomes an
         * {@code iPAddress} entry, anything else a {@code dNSName} ({@code localhost}, {@code *.example.com}).
         * Default: no SAN extension at all.
         */
        public Builder addSubjectAlternativeName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("subject alternative name must not be empty");
            }
            subjectAlternativeNames.add(name);
            return this;
        }

        /**
         * The validity period (stored to the second, as X.509 does). Default: from one minute before
         * {@link #build()} (allowance for clock skew) until 24 hours after it. Replaces {@link #duration}.
         *
         * @throws IllegalArgumentException if {@code notAfter} is before {@code notBefore}
         */
        public Builder validity(Instant notBefore, Instant notAfter) {
            Objects.requireNonNull(notBefore, "notBefore");
            Objects.requireNonNull(notAfter, "notAfter");
            if (notAfter.isBefore(notBefore)) {
                throw new IllegalArgumentException("notAfter " + notAfter + " is before notBefore " + notBefore);
            }
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            return this;
        }

        /**
         * Valid from one minute ago (allowance for clock skew) until {@code duration} from now. Default: 24 hours.
         * Replaces {@link #validity}.
         *
         * @throws IllegalArgumentException if {@code duration} is negative
         */
        public Builder duration(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("duration must not be negative: " + duration);
            }
            Instant now = Instant.now();
            return validity(now.minus(CLOCK_SKEW), now.plus(duration));
        }

        /**
         * Generates an EC key pair on curve P-256 (secp256r1). This is the default. The certificate is signed with
         * SHA256withECDSA when it is self-signed; a certificate signed by an issuer uses the issuer's key type.
         */
        public Builder ecdsa256() {
            this.keyType = KeyType.EC_P256;
            this.keyPair = null;
            return this;
        }

        /**
         * Generates a 2048-bit RSA key pair (public exponent 65537); self-signed certificates are signed with
         * SHA256withRSA. Default: {@link #ecdsa256()}.
         */
        public Builder rsa2048() {
            this.keyType = KeyType.RSA_2048;
            this.keyPair = null;
            return this;
        }

        /**
         * Certifies this existing key pair instead of generating one (RSA, EC or Ed25519). Default: a fresh key
         * pair as chosen by {@link #ecdsa256()} / {@link #rsa2048()}, which reset this.
         */
        public Builder keyPair(KeyPair keyPair) {
            this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
            return this;
        }

        /** The serial number. Default: a random positive number of up to 127 bits. */
        public Builder serialNumber(BigInteger serialNumber) {
            if (serialNumber.signum() <= 0) {
                throw new IllegalArgumentException("serialNumber must be positive: " + serialNumber);
            }
            this.serialNumber = serialNumber;
            return this;
        }

        /** The serial number, as {@link #serialNumber(BigInteger)}. */
        public Builder serialNumber(long serialNumber) {
            return serialNumber(BigInteger.valueOf(serialNumber));
        }

        /**
         * Makes a CA certificate: critical {@code basicConstraints} with {@code cA=TRUE} and
         * {@code pathLenConstraint=maxIntermediateCas}, and critical {@code keyUsage} {@code keyCertSign|cRLSign}.
         * Default: a leaf certificate (critical {@code basicConstraints cA=FALSE}, critical {@code keyUsage}
         * {@code digitalSignature|keyEncipherment}).
         *
         * @param maxIntermediateCas how many CAs may follow this one down the chain; 0 for a CA that signs leaves only
         */
        public Builder certificateAuthority(int maxIntermediateCas) {
            if (maxIntermediateCas < 0) {
                throw new IllegalArgumentException("maxIntermediateCas must be >= 0: " + maxIntermediateCas);
            }
            this.maxIntermediateCas = maxIntermediateCas;
            return this;
        }

        /**
         * Has {@code issuer} sign the certificate: the issuer name is the issuer's subject, the authority key
         * identifier is the issuer's subject key identifier, and the signature algorithm follows the issuer's key
         * type. Default: self-signed.
         */
        public Builder signedBy(HeldCertificate issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * Leaves out {@code basicConstraints}, for testing how a chain without it is judged. Default: present and
         * critical, on leaf and CA certificates alike.
         */
        public Builder withoutBasicConstraints() {
            this.basicConstraints = false;
            return this;
        }

        /**
         * Leaves out the subject and authority key identifiers, for testing how a chain without them is judged.
         * Default: both present (the authority key identifier only on a certificate with an issuer).
         */
        public Builder withoutKeyIdentifiers() {
            this.keyIdentifiers = false;
            return this;
        }

        /**
         * Sets the critical {@code keyUsage} bits, as BouncyCastle's {@code KeyUsage} constants
         * ({@code KeyUsage.digitalSignature | KeyUsage.keyAgreement}); 0 leaves the extension out. Default: a CA gets
         * {@code keyCertSign|cRLSign}, a leaf {@code digitalSignature|keyEncipherment}.
         */
        public Builder keyUsage(int bouncyCastleKeyUsageBits) {
            if (bouncyCastleKeyUsageBits < 0 || bouncyCastleKeyUsageBits > 0xFFFF) {
                throw new IllegalArgumentException("keyUsage bits out of range: " + bouncyCastleKeyUsageBits);
            }
            this.keyUsage = bouncyCastleKeyUsageBits;
            return this;
        }

        /**
         * Adds {@code extendedKeyUsage} with these purposes, e.g. {@code "1.3.6.1.5.5.7.3.1"} (serverAuth) or
         * {@code "1.3.6.1.5.5.7.3.2"} (clientAuth); replaces an earlier call. Default: no extended key usage, which
         * allows every purpose.
         */
        public Builder extendedKeyUsage(boolean critical, String... oids) {
            if (oids.length == 0) {
                throw new IllegalArgumentException("extendedKeyUsage needs at least one OID");
            }
            this.extendedKeyUsageCritical = critical;
            this.extendedKeyUsage = List.of(oids);
            return this;
        }

        /**
         * Adds an extension as raw DER (the content of its {@code extnValue} OCTET STRING). It replaces any
         * extension the builder would add itself under the same OID, and any earlier call with that OID. Default:
         * none.
         */
        public Builder addExtension(String oid, boolean critical, byte[] derValue) {
            Objects.requireNonNull(oid, "oid");
            extensions.put(oid, new CustomExtension(oid, critical, derValue.clone()));
            return this;
        }

        /**
         * Adds critical {@code nameConstraints} to a CA certificate: the DNS names (and their subdomains) its chain
         * may and may not certify; an empty list leaves that part out. Only valid with
         * {@link #certificateAuthority(int)}. Default: none.
         */
        public Builder nameConstraints(List<String> permittedDnsNames, List<String> excludedDnsNames) {
            this.permittedDnsNames = List.copyOf(permittedDnsNames);
            this.excludedDnsNames = List.copyOf(excludedDnsNames);
            return this;
        }

        /**
         * DANGEROUS, for tests only: signs with {@code wrongKey} instead of the issuer's (or the subject's own) key,
         * so that the certificate's signature does not verify. Names and key identifiers are unchanged. Default:
         * the right key.
         */
        public Builder signatureKey(PrivateKey wrongKey) {
            this.signatureKey = Objects.requireNonNull(wrongKey, "wrongKey");
            return this;
        }

        /**
         * Generates the key pair if none was given, then makes and signs the certificate.
         *
         * @throws IllegalStateException if {@link #nameConstraints} was set on a leaf certificate, or if the key
         *                               type cannot be generated or sign on this JVM
         */
        public HeldCertificate build() {
            if (permittedDnsNames != null && maxIntermediateCas < 0) {
                throw new IllegalStateException("nameConstraints need certificateAuthority(n)");
            }
            return CertificateMaker.make(this);
        }

        String commonNameOrDefault() {
            return commonName != null ? commonName : UUID.randomUUID().toString();
        }

        /** An extension given as raw DER by {@link #addExtension}; the array is a private copy. */
        record CustomExtension(String oid, boolean critical, byte[] derValue) {
        }
    }
}
