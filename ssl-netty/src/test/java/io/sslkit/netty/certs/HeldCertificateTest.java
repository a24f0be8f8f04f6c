package io.sslkit.netty.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SignatureException;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HeldCertificateTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static HeldCertificate root;
    private static HeldCertificate intermediate;
    private static HeldCertificate leaf;

    @BeforeAll
    static void chain() {
        root = HeldCertificate.builder().commonName("root").certificateAuthority(1).rsa2048().build();
        intermediate = HeldCertificate.builder().commonName("intermediate").certificateAuthority(0)
                .signedBy(root).build();
        leaf = HeldCertificate.builder().commonName("leaf").addSubjectAlternativeName("localhost")
                .signedBy(intermediate).build();
    }

    @Test
    void defaultsMakeASelfSignedEcLeafValidForADay() throws Exception {
        Instant before = Instant.now();
        HeldCertificate held = HeldCertificate.builder().build();
        X509Certificate cert = held.certificate();

        cert.verify(held.keyPair().getPublic());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(held.keyPair().getPublic().getAlgorithm()).isEqualTo("EC");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getSubjectX500Principal().getName()).matches("CN=[0-9a-f-]{36}");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(cert.getKeyUsage()).startsWith(true, false, true, false, false, false);
        assertThat(cert.getExtensionValue("2.5.29.14")).isNotNull();
        assertThat(cert.getExtensionValue("2.5.29.35")).isNull();
        assertThat(cert.getSubjectAlternativeNames()).isNull();
        assertThat(cert.getExtendedKeyUsage()).isNull();
        assertThat(cert.getSerialNumber()).isPositive();
        assertThat(cert.getNotBefore().toInstant())
                .isCloseTo(before.minus(Duration.ofMinutes(1)), within(5, ChronoUnit.SECONDS));
        assertThat(cert.getNotAfter().toInstant())
                .isCloseTo(before.plus(Duration.ofHours(24)), within(5, ChronoUnit.SECONDS));
    }

    @Test
    void defaultsDifferBetweenCertificates() {
        X509Certificate a = HeldCertificate.builder().build().certificate();
        X509Certificate b = HeldCertificate.builder().build().certificate();
        assertThat(a.getSubjectX500Principal()).isNotEqualTo(b.getSubjectX500Principal());
        assertThat(a.getSerialNumber()).isNotEqualTo(b.getSerialNumber());
        assertThat(a.getPublicKey()).isNotEqualTo(b.getPublicKey());
    }

    @Test
    void rsa2048SignsWithSha256WithRsa() throws Exception {
        X509Certificate cert = root.certificate();
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(((RSAPublicKey) cert.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
    }

    @Test
    void chainVerifiesLinkByLink() throws Exception {
        leaf.certificate().verify(intermediate.keyPair().getPublic());
        intermediate.certificate().verify(root.keyPair().getPublic());
        assertThat(intermediate.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(leaf.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(leaf.certificate().getIssuerX500Principal())
                .isEqualTo(intermediate.certificate().getSubjectX500Principal());
        assertThat(root.certificate().getBasicConstraints()).isEqualTo(1);
        assertThat(intermediate.certificate().getBasicConstraints()).isEqualTo(0);
        assertThat(intermediate.certificate().getKeyUsage()).startsWith(false, false, false, false, false, true, true);
        assertThat(authorityKeyId(leaf)).isEqualTo(subjectKeyId(intermediate));
        assertThat(authorityKeyId(intermediate)).isEqualTo(subjectKeyId(root));
    }

    @Test
    void chainPassesPkixValidation() throws Exception {
        validate(root, leaf, intermediate); // throws if not valid
    }

    @Test
    void pathLengthIsEnforced() {
        HeldCertificate tooDeep = HeldCertificate.builder().certificateAuthority(0).signedBy(intermediate).build();
        HeldCertificate below = HeldCertificate.builder().signedBy(tooDeep).build();
        assertThatThrownBy(() -> validate(root, below, tooDeep, intermediate))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void nameConstraintsLimitTheChain() throws Exception {
        // Below the root: the JDK's PKIX ignores name constraints in a trust anchor's own certificate.
        HeldCertificate ca = HeldCertificate.builder().certificateAuthority(0)
                .nameConstraints(List.of("example.com"), List.of("bad.example.com")).signedBy(root).build();
        HeldCertificate good = HeldCertificate.builder().addSubjectAlternativeName("www.example.com")
                .signedBy(ca).build();
        HeldCertificate outside = HeldCertificate.builder().addSubjectAlternativeName("example.org")
                .signedBy(ca).build();
        HeldCertificate excluded = HeldCertificate.builder().addSubjectAlternativeName("x.bad.example.com")
                .signedBy(ca).build();

        assertThat(ca.certificate().getCriticalExtensionOIDs()).contains("2.5.29.30");
        validate(root, good, ca);
        assertThatThrownBy(() -> validate(root, outside, ca)).isInstanceOf(CertPathValidatorException.class)
                .hasMessageContaining("name constraints");
        assertThatThrownBy(() -> validate(root, excluded, ca)).isInstanceOf(CertPathValidatorException.class)
                .hasMessageContaining("name constraints");
    }

    @Test
    void subjectAlternativeNamesAreDnsOrIp() throws Exception {
        HeldCertificate held = HeldCertificate.builder().addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("*.example.com").addSubjectAlternativeName("127.0.0.1")
                .addSubjectAlternativeName("::1").build();
        assertThat(held.certificate().getSubjectAlternativeNames()).containsExactly(
                List.of(2, "localhost"), List.of(2, "*.example.com"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1"));
    }

    @Test
    void namesSerialAndValidityAreAsGiven() {
        Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
        Instant notAfter = Instant.parse("2060-06-01T12:30:45.678Z"); // past 2049: GeneralizedTime
        X509Certificate cert = HeldCertificate.builder().commonName("example").organizationalUnit("tests")
                .serialNumber(42).validity(notBefore, notAfter).build().certificate();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=example,OU=tests");
        assertThat(cert.getSerialNumber()).isEqualTo(BigInteger.valueOf(42));
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(notBefore);
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(notAfter.truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void durationCountsFromNow() {
        Instant before = Instant.now();
        X509Certificate cert = HeldCertificate.builder().duration(Duration.ofDays(3)).build().certificate();
        assertThat(cert.getNotAfter().toInstant())
                .isCloseTo(before.plus(Duration.ofDays(3)), within(5, ChronoUnit.SECONDS));
    }

    @Test
    void extendedKeyUsageAndItsCriticality() throws Exception {
        X509Certificate critical = HeldCertificate.builder().extendedKeyUsage(true, SERVER_AUTH, CLIENT_AUTH)
                .build().certificate();
        X509Certificate plain = HeldCertificate.builder().extendedKeyUsage(false, CLIENT_AUTH).build().certificate();
        assertThat(critical.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        assertThat(critical.getCriticalExtensionOIDs()).contains("2.5.29.37");
        assertThat(plain.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(plain.getNonCriticalExtensionOIDs()).contains("2.5.29.37");
    }

    @Test
    void brokenCertificatesForChainTests() {
        X509Certificate noBasic = HeldCertificate.builder().withoutBasicConstraints().build().certificate();
        assertThat(noBasic.getExtensionValue("2.5.29.19")).isNull();

        X509Certificate agreeOnly = HeldCertificate.builder().keyUsage(KeyUsage.keyAgreement).build().certificate();
        assertThat(agreeOnly.getKeyUsage()).startsWith(false, false, false, false, true, false);
        assertThat(HeldCertificate.builder().keyUsage(0).build().certificate().getKeyUsage()).isNull();

        // A custom extension replaces the built-in one: here cA=TRUE on a "leaf" (DER of BasicConstraints).
        X509Certificate forged = HeldCertificate.builder()
                .addExtension("2.5.29.19", true, new byte[] {0x30, 0x03, 0x01, 0x01, (byte) 0xFF})
                .addExtension("1.2.3.4", true, new byte[] {0x05, 0x00})
                .build().certificate();
        assertThat(forged.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(forged.getCriticalExtensionOIDs()).contains("1.2.3.4");
    }

    @Test
    void signatureKeyMakesTheSignatureInvalid() {
        HeldCertificate other = HeldCertificate.builder().build();
        HeldCertificate bad = HeldCertificate.builder().signedBy(intermediate).signatureKey(other.privateKey())
                .build();
        assertThat(bad.certificate().getIssuerX500Principal())
                .isEqualTo(intermediate.certificate().getSubjectX500Principal());
        assertThatThrownBy(() -> bad.certificate().verify(intermediate.keyPair().getPublic()))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void givenEd25519KeyPairSignsWithEd25519() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        HeldCertificate held = HeldCertificate.builder().keyPair(ed).build();
        held.certificate().verify(ed.getPublic());
        assertThat(held.certificate().getSigAlgName()).isEqualTo("Ed25519");
        assertThat(held.keyPair()).isSameAs(ed);
    }

    @Test
    void pemOfAChainKeepsTheOrder() throws Exception {
        String pem = HeldCertificate.pem(leaf.certificate(), intermediate.certificate());
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(leaf.certificatePem()).isEqualTo(HeldCertificate.pem(leaf.certificate()));
        List<Certificate> parsed = List.copyOf(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        assertThat(parsed).containsExactly(leaf.certificate(), intermediate.certificate());
    }

    @Test
    void keyFormatsHaveTheirPemTypes() {
        HeldCertificate rsa = root;
        char[] password = "secret".toCharArray();
        assertThat(leaf.privateKeyPkcs8Pem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(leaf.privateKeyPkcs8Pem(password)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        assertThat(rsa.privateKeyPkcs1Pem()).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
        assertThat(leaf.privateKeySec1Pem()).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
        assertThat(rsa.privateKeyLegacyEncryptedPem(password)).startsWith(
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,");
        assertThat(leaf.privateKeyLegacyEncryptedPem(password)).startsWith(
                "-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,");
        assertThat(leaf.privateKeyPkcs8Pem().lines()).allMatch(line -> line.length() <= 64);
    }

    @Test
    void encryptedPkcs8IsPbes2WithAes256AndHmacSha256() throws Exception {
        String pem = leaf.privateKeyPkcs8Pem("secret".toCharArray());
        var info = EncryptedPrivateKeyInfo.getInstance(PemTestSupport.der(pem));
        assertThat(info.getEncryptionAlgorithm().getAlgorithm().getId()).isEqualTo("1.2.840.113549.1.5.13");
        var pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm()
                .getParameters());
        assertThat(pbes2.getEncryptionScheme().getAlgorithm().getId()).isEqualTo("2.16.840.1.101.3.4.1.42");
        var kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        assertThat(kdf.getPrf().getAlgorithm().getId()).isEqualTo("1.2.840.113549.2.9");
    }

    @Test
    void wrongKeyTypeForAFormatIsIllegalState() {
        assertThatThrownBy(() -> leaf.privateKeyPkcs1Pem()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> root.privateKeySec1Pem()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void toStringNeverShowsTheKey() {
        String key = Base64.getEncoder().encodeToString(leaf.privateKey().getEncoded());
        assertThat(leaf.toString()).contains("CN=leaf").doesNotContain(key.substring(0, 40))
                .doesNotContain(leaf.privateKey().toString());
    }

    @Test
    void builderMisuseIsRejected() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> HeldCertificate.builder().certificateAuthority(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> HeldCertificate.builder().validity(now, now.minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeldCertificate.builder().serialNumber(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeldCertificate.builder().nameConstraints(List.of("a.com"), List.of()).build())
                .isInstanceOf(IllegalStateException.class);
    }

    private static void validate(HeldCertificate anchor, HeldCertificate... path) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        var certPath = factory.generateCertPath(Arrays.stream(path).map(HeldCertificate::certificate)
                .toList());
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(certPath, params);
    }

    private static byte[] subjectKeyId(HeldCertificate held) {
        byte[] ext = held.certificate().getExtensionValue("2.5.29.14");
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    private static byte[] authorityKeyId(HeldCertificate held) {
        byte[] ext = held.certificate().getExtensionValue("2.5.29.35");
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifierOctets();
    }
}
