package io.sslkit.netty.certs;

import static io.sslkit.netty.certs.PemTestSupport.assertFailure;
import static io.sslkit.netty.certs.PemTestSupport.der;
import static io.sslkit.netty.certs.PemTestSupport.everything;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sslkit.PrivateKeyDer;

class PemFilesTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String WRONG = "Tr0ub4dor&3";

    private static HeldCertificate rsa;
    private static HeldCertificate ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        rsa = HeldCertificate.builder().rsa2048().commonName("rsa").build();
        ec = HeldCertificate.builder().commonName("ec").build();
    }

    static Stream<Arguments> keyFormats() {
        char[] pw = PASSWORD.toCharArray();
        Function<HeldCertificate, String> pkcs8 = HeldCertificate::privateKeyPkcs8Pem;
        Function<HeldCertificate, String> encrypted = h -> h.privateKeyPkcs8Pem(pw);
        Function<HeldCertificate, String> legacy = h -> h.privateKeyLegacyEncryptedPem(pw);
        return Stream.of(
                Arguments.of("rsa pkcs8", rsa, pkcs8),
                Arguments.of("rsa encrypted pkcs8", rsa, encrypted),
                Arguments.of("rsa pkcs1", rsa, (Function<HeldCertificate, String>) HeldCertificate::privateKeyPkcs1Pem),
                Arguments.of("rsa legacy encrypted", rsa, legacy),
                Arguments.of("ec pkcs8", ec, pkcs8),
                Arguments.of("ec encrypted pkcs8", ec, encrypted),
                Arguments.of("ec sec1", ec, (Function<HeldCertificate, String>) HeldCertificate::privateKeySec1Pem),
                Arguments.of("ec legacy encrypted", ec, legacy));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyFormats")
    void everyKeyFormatRoundTrips(String name, HeldCertificate held, Function<HeldCertificate, String> format)
            throws Exception {
        Path file = write("key.pem", format.apply(held));
        PrivateKey key = PemFiles.readPrivateKey(file, PASSWORD.toCharArray(), "keyfile");
        assertSameKey(key, held.privateKey());
        PemFiles.checkKeyMatchesCertificate(key, held.certificate(), "keyfile", file.toString());
    }

    @Test
    void ecPkcs8CarriesThePublicKeyAsOpenSslWritesIt() throws Exception {
        // GnuTLS refuses a PKCS#8 EC key whose inner ECPrivateKey lacks the public key (the JDK's own encoding)
        var inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                PrivateKeyInfo.getInstance(der(ec.privateKeyPkcs8Pem())).parsePrivateKey());
        byte[] spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(ec.keyPair().getPublic()
                .getEncoded()).getPublicKeyData().getBytes();
        assertThat(inner.getPublicKey()).isNotNull();
        assertThat(inner.getPublicKey().getBytes()).isEqualTo(spki);
        assertSameKey(PemFiles.parsePrivateKey(ec.privateKeyPkcs8Pem(), null, "keyfile", "mem"), ec.privateKey());
        assertSameKey(PemFiles.parsePrivateKey(ec.privateKeyPkcs8Pem(PASSWORD.toCharArray()),
                PASSWORD.toCharArray(), "keyfile", "mem"), ec.privateKey());
    }

    @Test
    void ed25519Pkcs8RoundTrips() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        HeldCertificate held = HeldCertificate.builder().keyPair(pair).build();
        PrivateKey key = PemFiles.parsePrivateKey(held.privateKeyPkcs8Pem(), null, "keyfile", "mem");
        assertSameKey(key, pair.getPrivate());
        PemFiles.checkKeyMatchesCertificate(key, held.certificate(), "keyfile", "mem");
        key = PemFiles.parsePrivateKey(held.privateKeyPkcs8Pem(PASSWORD.toCharArray()), PASSWORD.toCharArray(),
                "keyfile", "mem");
        assertSameKey(key, pair.getPrivate());
    }

    @Test
    void ecParametersBlockBeforeTheKeyIsSkipped() throws Exception {
        // OID secp256r1, as "openssl ecparam -genkey" writes it before the key.
        String params = KeyPems.pem("EC PARAMETERS", new byte[] {
            0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07});
        PrivateKey key = PemFiles.parsePrivateKey(params + ec.privateKeySec1Pem(), null, "keyfile", "mem");
        assertSameKey(key, ec.privateKey());
    }

    @Test
    void certificatesAndKeyInOneFile() throws Exception {
        HeldCertificate ca = HeldCertificate.builder().certificateAuthority(0).build();
        HeldCertificate leaf = HeldCertificate.builder().signedBy(ca).build();
        Path file = write("both.pem", "Bag Attributes: comment outside blocks\n" + leaf.privateKeySec1Pem()
                + HeldCertificate.pem(leaf.certificate(), ca.certificate()) + rsa.privateKeyPkcs8Pem());

        assertThat(PemFiles.readCertificates(file, "certfile")).containsExactly(leaf.certificate(), ca.certificate());
        assertSameKey(PemFiles.readPrivateKey(file, null, "keyfile"), leaf.privateKey());
    }

    @Test
    void keyAfterCertificatesIsFound() throws Exception {
        Path file = write("both.pem", rsa.certificatePem() + "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n"
                + rsa.privateKeyPkcs1Pem());
        assertSameKey(PemFiles.readPrivateKey(file, null, "keyfile"), rsa.privateKey());
    }

    @Test
    void decodesErlangKeyDerOfEachType() throws Exception {
        assertSameKey(PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.RSA_PRIVATE_KEY,
                der(rsa.privateKeyPkcs1Pem()))), rsa.privateKey());
        assertSameKey(PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.EC_PRIVATE_KEY,
                der(ec.privateKeySec1Pem()))), ec.privateKey());
        assertSameKey(PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.PRIVATE_KEY_INFO,
                ec.privateKey().getEncoded())), ec.privateKey());
        assertSameKey(PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.PRIVATE_KEY_INFO,
                rsa.privateKey().getEncoded())), rsa.privateKey());
    }

    @Test
    void badDerIsReportedAsKeyOption() {
        byte[] pkcs1 = der(rsa.privateKeyPkcs1Pem());
        assertFailure(() -> PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.RSA_PRIVATE_KEY,
                Arrays.copyOf(pkcs1, pkcs1.length / 2))), "key", "<<DER>>", "bad_der");
        assertFailure(() -> PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.EC_PRIVATE_KEY,
                pkcs1)), "key", "<<DER>>", "bad_der");
        assertFailure(() -> PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.PRIVATE_KEY_INFO,
                new byte[] {1, 2, 3})), "key", "<<DER>>", "bad_der");
    }

    @Test
    void sec1WithoutCurveIsBadDer() throws Exception {
        var sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(der(ec.privateKeySec1Pem()));
        byte[] noCurve = new org.bouncycastle.asn1.sec.ECPrivateKey(256, sec1.getKey()).getEncoded();
        assertFailure(() -> PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.EC_PRIVATE_KEY,
                noCurve)), "key", "<<DER>>", "bad_der");
    }

    @Test
    void unknownKeyAlgorithmIsUnsupported() throws Exception {
        var info = new PrivateKeyInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.3.4")),
                new DEROctetString(new byte[16]));
        assertFailure(() -> PemFiles.decodePrivateKey(new PrivateKeyDer(PrivateKeyDer.Type.PRIVATE_KEY_INFO,
                info.getEncoded())), "key", "<<DER>>", "unsupported_key");
        assertFailure(() -> PemFiles.parsePrivateKey(KeyPems.pem("PRIVATE KEY", info.getEncoded()), null,
                "keyfile", "k.pem"), "keyfile", "k.pem", "unsupported_key");
    }

    @Test
    void missingFileIsEnoent() {
        Path missing = dir.resolve("missing.pem");
        assertFailure(() -> PemFiles.readCertificates(missing, "certfile"), "certfile", missing.toString(), "enoent");
        assertFailure(() -> PemFiles.readPrivateKey(missing, null, "keyfile"), "keyfile", missing.toString(),
                "enoent");
    }

    @Test
    void directoryIsEisdir() {
        assertFailure(() -> PemFiles.readCertificates(dir, "cacertfile"), "cacertfile", dir.toString(), "eisdir");
    }

    @Test
    void textThatIsNotPemIsBadPem() throws IOException {
        Path garbage = write("garbage.pem", "this is not a certificate\n\u00ff\u0000binary");
        assertFailure(() -> PemFiles.readCertificates(garbage, "certfile"), "certfile", garbage.toString(),
                "bad_pem");
        Path empty = write("empty.pem", "");
        assertFailure(() -> PemFiles.readPrivateKey(empty, null, "keyfile"), "keyfile", empty.toString(), "bad_pem");
    }

    @Test
    void truncatedPemIsBadPem() throws IOException {
        String pem = ec.certificatePem();
        Path noEnd = write("noend.pem", pem.substring(0, pem.length() / 2));
        assertFailure(() -> PemFiles.readCertificates(noEnd, "certfile"), "certfile", noEnd.toString(), "bad_pem");

        String[] lines = rsa.privateKeyPkcs8Pem().split("\n");
        String cut = lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + lines[lines.length - 1] + "\n";
        assertFailure(() -> PemFiles.parsePrivateKey(cut, null, "keyfile", "k"), "keyfile", "k", "bad_pem");
        String certCut = pem.lines().limit(3).reduce("", (a, b) -> a + b + "\n") + "-----END CERTIFICATE-----\n";
        assertFailure(() -> PemFiles.parseCertificates(certCut, "certfile", "c"), "certfile", "c", "bad_pem");
    }

    @Test
    void corruptBase64IsBadPem() {
        String pem = ec.privateKeyPkcs8Pem().replaceFirst("\n[A-Za-z0-9+/]{4}", "\n!@#%");
        assertFailure(() -> PemFiles.parsePrivateKey(pem, null, "keyfile", "k"), "keyfile", "k", "bad_pem");
    }

    @Test
    void certificateFileWithoutKey() throws IOException {
        Path file = write("cert.pem", ec.certificatePem());
        assertFailure(() -> PemFiles.readPrivateKey(file, null, "keyfile"), "keyfile", file.toString(),
                "no_key_in_file");
    }

    @Test
    void keyFileWithoutCertificate() throws IOException {
        Path file = write("key.pem", ec.privateKeyPkcs8Pem());
        assertFailure(() -> PemFiles.readCertificates(file, "certfile"), "certfile", file.toString(),
                "no_certificate_in_file");
    }

    @Test
    void encryptedKeyWithoutPassword() throws IOException {
        Path pkcs8 = write("enc8.pem", rsa.privateKeyPkcs8Pem(PASSWORD.toCharArray()));
        Path legacy = write("legacy.pem", ec.privateKeyLegacyEncryptedPem(PASSWORD.toCharArray()));
        assertFailure(() -> PemFiles.readPrivateKey(pkcs8, null, "keyfile"), "keyfile", pkcs8.toString(),
                "password_required");
        assertFailure(() -> PemFiles.readPrivateKey(legacy, new char[0], "keyfile"), "keyfile", legacy.toString(),
                "password_required");
    }

    @Test
    void wrongPasswordIsBadPasswordAndNeverPrinted() throws IOException {
        for (HeldCertificate held : new HeldCertificate[] {rsa, ec}) {
            Path pkcs8 = write("enc8.pem", held.privateKeyPkcs8Pem(PASSWORD.toCharArray()));
            Path legacy = write("legacy.pem", held.privateKeyLegacyEncryptedPem(PASSWORD.toCharArray()));
            for (Path file : new Path[] {pkcs8, legacy}) {
                var e = assertFailure(() -> PemFiles.readPrivateKey(file, WRONG.toCharArray(), "keyfile"),
                        "keyfile", file.toString(), "bad_password");
                assertThat(everything(e)).doesNotContain(WRONG).doesNotContain(PASSWORD);
                assertThat(e.getMessage()).contains(file.toString()).contains("bad_password");
            }
        }
    }

    @Test
    void noFailureEverPrintsThePasswordOrKey() throws IOException {
        String key = ec.privateKeyPkcs8Pem();
        String keyBase64 = key.lines().skip(1).findFirst().orElseThrow();
        var failures = Stream.of(
                assertFailure(() -> PemFiles.parsePrivateKey(key.replace("END", "EDN"), PASSWORD.toCharArray(),
                        "keyfile", "k"), "keyfile", "k", "bad_pem"),
                assertFailure(() -> PemFiles.parsePrivateKey(ec.certificatePem(), PASSWORD.toCharArray(),
                        "keyfile", "k"), "keyfile", "k", "no_key_in_file"),
                assertFailure(() -> PemFiles.checkKeyMatchesCertificate(ec.privateKey(), rsa.certificate(),
                        "keyfile", "k"), "keyfile", "k", "key_does_not_match_certificate"));
        failures.forEach(e -> assertThat(everything(e)).doesNotContain(PASSWORD).doesNotContain(keyBase64));
    }

    @Test
    void keyOfAnotherCertificateDoesNotMatch() throws Exception {
        HeldCertificate otherEc = HeldCertificate.builder().build();
        HeldCertificate otherRsa = HeldCertificate.builder().rsa2048().build();
        assertFailure(() -> PemFiles.checkKeyMatchesCertificate(ec.privateKey(), otherEc.certificate(), "keyfile",
                "k"), "keyfile", "k", "key_does_not_match_certificate");
        assertFailure(() -> PemFiles.checkKeyMatchesCertificate(rsa.privateKey(), otherRsa.certificate(), "keyfile",
                "k"), "keyfile", "k", "key_does_not_match_certificate");
        assertFailure(() -> PemFiles.checkKeyMatchesCertificate(rsa.privateKey(), ec.certificate(), "keyfile",
                "k"), "keyfile", "k", "key_does_not_match_certificate");
        assertThatCode(() -> PemFiles.checkKeyMatchesCertificate(rsa.privateKey(), rsa.certificate(), "keyfile",
                "k")).doesNotThrowAnyException();
    }

    @Test
    void x25519KeysAreComparedByPublicKey() throws Exception {
        HeldCertificate ca = HeldCertificate.builder().certificateAuthority(0).build();
        KeyPair x = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        KeyPair y = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        HeldCertificate held = HeldCertificate.builder().keyPair(x).signedBy(ca).build();
        PrivateKey key = PemFiles.parsePrivateKey(held.privateKeyPkcs8Pem(), null, "keyfile", "k");
        PemFiles.checkKeyMatchesCertificate(key, held.certificate(), "keyfile", "k");
        assertFailure(() -> PemFiles.checkKeyMatchesCertificate(y.getPrivate(), held.certificate(), "keyfile", "k"),
                "keyfile", "k", "key_does_not_match_certificate");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Same key: the JDK re-encodes parsed keys its own way, so compare what PKCS#8 carries, not the bytes. */
    private static void assertSameKey(PrivateKey actual, PrivateKey expected) {
        assertThat(actual.getAlgorithm()).isEqualTo(expected.getAlgorithm());
        if (actual instanceof RSAPrivateCrtKey a) {
            var e = (RSAPrivateCrtKey) expected;
            assertThat(a.getModulus()).isEqualTo(e.getModulus());
            assertThat(a.getPrivateExponent()).isEqualTo(e.getPrivateExponent());
        } else if (actual instanceof ECPrivateKey a) {
            var e = (ECPrivateKey) expected;
            assertThat(a.getS()).isEqualTo(e.getS());
            assertThat(a.getParams().getCurve()).isEqualTo(e.getParams().getCurve());
        } else {
            assertThat(actual.getEncoded()).isEqualTo(expected.getEncoded());
        }
    }
}
