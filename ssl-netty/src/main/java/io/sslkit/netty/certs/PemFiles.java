package io.sslkit.netty.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bouncycastle.util.io.pem.PemObject;

import io.sslkit.PrivateKeyDer;
import io.sslkit.Reason;
import io.sslkit.SslException;

/**
 * Reads certificates and private keys for the {@code certfile}, {@code keyfile}, {@code cacertfile} and {@code key}
 * options, as OTP's {@code ssl_certificate}/{@code public_key:pem_decode/1} do.
 *
 * <h2>What is read</h2>
 * <ul>
 *   <li>Certificates: every {@code CERTIFICATE} (or old {@code X509 CERTIFICATE}) block, in file order.</li>
 *   <li>Private keys: the first {@code PRIVATE KEY} (PKCS#8: RSA, EC, Ed25519, ...), {@code ENCRYPTED PRIVATE KEY}
 *       (PKCS#8, PBES1 or PBES2), {@code RSA PRIVATE KEY} (PKCS#1) or {@code EC PRIVATE KEY} (SEC1) block; the
 *       last two plain or with OpenSSL's {@code Proc-Type: 4,ENCRYPTED} headers.</li>
 *   <li>Other blocks ({@code EC PARAMETERS}, keys in a certificate file, certificates in a key file) are skipped,
 *       and so is text outside blocks, as OpenSSL does.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * Every failure is an {@link SslException} whose reason is {@link Reason.Options}
 * {@code {options, {Option, Value, {error, Code}}}}: {@code Option} is the option name passed in, {@code Value} the
 * file name (or the caller's text for in-memory PEM, {@code <<DER>>} for DER), and {@code Code} one of
 * {@code enoent}, {@code eacces}, {@code eisdir}, {@code eio}, {@code bad_pem} (no PEM block, a corrupt or truncated
 * one), {@code no_certificate_in_file}, {@code no_key_in_file}, {@code password_required}, {@code bad_password},
 * {@code unsupported_key}, {@code bad_der} and {@code key_does_not_match_certificate}. Messages and causes never
 * contain a password or key material.
 *
 * <h2>Providers</h2>
 * Keys, certificates and signatures come from the JDK's providers. Only PBES2 decryption uses a private
 * BouncyCastle provider instance; none is ever registered with {@code Security.addProvider}.
 */
public final class PemFiles {

    private static final Set<String> CERTIFICATE_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE");

    private PemFiles() {
    }

    /**
     * Reads a certificate chain from a PEM file, for {@code certfile}/{@code cacertfile}: every certificate, in
     * file order.
     *
     * @param option the Erlang option name for errors, e.g. {@code certfile}
     * @throws SslException {@code enoent}, {@code eacces}, {@code eisdir}, {@code bad_pem} or
     *                      {@code no_certificate_in_file}
     */
    public static List<X509Certificate> readCertificates(Path file, String option) throws SslException {
        return parseCertificates(readText(file, option), option, file.toString());
    }

    /**
     * Reads the first private key from a PEM file, for {@code keyfile} (with {@code password}).
     *
     * @param passwordOrNull the password for an encrypted key; {@code null} or empty when none was given (OTP's
     *                       default password is {@code ""})
     * @param option         the Erlang option name for errors, e.g. {@code keyfile}
     * @throws SslException {@code enoent}, {@code eacces}, {@code eisdir}, {@code bad_pem}, {@code no_key_in_file},
     *                      {@code password_required}, {@code bad_password} or {@code unsupported_key}
     */
    public static PrivateKey readPrivateKey(Path file, char[] passwordOrNull, String option) throws SslException {
        return parsePrivateKey(readText(file, option), passwordOrNull, option, file.toString());
    }

    /**
     * Parses every certificate of PEM text, in order: {@link #readCertificates} on text already in memory (OTP's
     * {@code cacerts} given as PEM).
     *
     * @param valueForMessages what the errors name as the option's value
     * @throws SslException {@code bad_pem} or {@code no_certificate_in_file}
     */
    public static List<X509Certificate> parseCertificates(String pem, String option, String valueForMessages)
            throws SslException {
        List<X509Certificate> chain = new ArrayList<>();
        for (PemObject block : PemKeyDecoder.blocks(pem, option, valueForMessages)) {
            if (CERTIFICATE_TYPES.contains(block.getType())) {
                chain.add(certificate(block.getContent(), option, valueForMessages));
            }
        }
        if (chain.isEmpty()) {
            throw failure(option, valueForMessages, "no_certificate_in_file", null);
        }
        return chain;
    }

    /**
     * Parses the first private key of PEM text: {@link #readPrivateKey} on text already in memory.
     *
     * @param password         the password for an encrypted key; {@code null} or empty when none was given
     * @param valueForMessages what the errors name as the option's value
     * @throws SslException {@code bad_pem}, {@code no_key_in_file}, {@code password_required},
     *                      {@code bad_password} or {@code unsupported_key}
     */
    public static PrivateKey parsePrivateKey(String pem, char[] password, String option, String valueForMessages)
            throws SslException {
        PemKeyDecoder decoder = new PemKeyDecoder(option, valueForMessages, "bad_pem");
        for (PemObject block : PemKeyDecoder.blocks(pem, option, valueForMessages)) {
            if (PemKeyDecoder.isPrivateKey(block.getType())) {
                return decoder.decode(block, password);
            }
        }
        throw failure(option, valueForMessages, "no_key_in_file", null);
    }

    /**
     * Decodes Erlang's {@code {key, {Type, Der}}}: a PKCS#1 {@code RSAPrivateKey}, a SEC1 {@code ECPrivateKey}
     * (which must name its curve) or an unencrypted PKCS#8 {@code PrivateKeyInfo}.
     *
     * @throws SslException {@code {options, {key, <<DER>>, {error, bad_der | unsupported_key}}}}
     */
    public static PrivateKey decodePrivateKey(PrivateKeyDer der) throws SslException {
        String type = switch (der.type()) {
            case RSA_PRIVATE_KEY -> "RSA PRIVATE KEY";
            case EC_PRIVATE_KEY -> "EC PRIVATE KEY";
            case PRIVATE_KEY_INFO -> "PRIVATE KEY";
        };
        return new PemKeyDecoder("key", "<<DER>>", "bad_der").decode(new PemObject(type, der.der()), null);
    }

    /**
     * Proves that {@code key} belongs to {@code cert}, as OTP checks a {@code certfile}/{@code keyfile} pair: signs
     * random bytes with the key and verifies them with the certificate's public key (SHA256withRSA, SHA256withECDSA,
     * Ed25519, Ed448 or SHA256withDSA by key type). Keys that cannot sign (X25519, X448, RSASSA-PSS) are compared
     * by the public key they determine.
     *
     * @param option the option for errors, e.g. {@code keyfile}
     * @param value  the value for errors, e.g. the key file's name
     * @throws SslException {@code key_does_not_match_certificate}, or {@code unsupported_key} for a key that can
     *                      neither sign nor be compared
     */
    public static void checkKeyMatchesCertificate(PrivateKey key, X509Certificate cert, String option, String value)
            throws SslException {
        KeyMatcher.check(key, cert, option, value);
    }

    private static String readText(Path file, String option) throws SslException {
        String value = file.toString();
        // Checked first: reading a directory fails with a plain IOException whose text differs between platforms.
        if (Files.isDirectory(file)) {
            throw failure(option, value, "eisdir", null);
        }
        try {
            // PEM is ASCII; ISO-8859-1 maps any byte to a char, so stray bytes in comments cannot fail the read.
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw failure(option, value, "enoent", e);
        } catch (AccessDeniedException e) {
            throw failure(option, value, "eacces", e);
        } catch (IOException e) {
            throw failure(option, value, "eio", e);
        }
    }

    private static X509Certificate certificate(byte[] der, String option, String value) throws SslException {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw failure(option, value, "bad_pem", e);
        }
    }

    /** {@code {options, {Option, Value, {error, Code}}}}. */
    static SslException failure(String option, String value, String code, Throwable cause) {
        return new SslException(new Reason.Options(option, value, code), cause);
    }
}
