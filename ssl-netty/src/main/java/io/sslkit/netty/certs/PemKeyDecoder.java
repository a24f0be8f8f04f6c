package io.sslkit.netty.certs;

import java.io.IOException;
import java.io.StringReader;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectParser;

import io.sslkit.SslException;

/**
 * Splits PEM text into blocks and turns one private-key block into a JDK {@link PrivateKey}, with BouncyCastle's
 * {@link PEMParser} per-type parsers and {@link JcaPEMKeyConverter}. Failures become {@code {options, …}} reasons
 * for one option and value; a structurally broken key is reported with the code given at construction
 * ({@code bad_pem} for files, {@code bad_der} for DER values).
 */
final class PemKeyDecoder {

    private static final Set<String> KEY_TYPES = Set.of(PEMParser.TYPE_PRIVATE_KEY,
            PEMParser.TYPE_ENCRYPTED_PRIVATE_KEY, PEMParser.TYPE_RSA_PRIVATE_KEY, PEMParser.TYPE_EC_PRIVATE_KEY);

    private final String option;
    private final String value;
    private final String malformed;

    PemKeyDecoder(String option, String value, String malformed) {
        this.option = option;
        this.value = value;
        this.malformed = malformed;
    }

    static boolean isPrivateKey(String pemType) {
        return KEY_TYPES.contains(pemType);
    }

    /**
     * Every PEM block of the text, decoded from base64 but not parsed further. Text outside blocks is ignored.
     *
     * @throws SslException {@code bad_pem}: no block at all, a block without its END line, or corrupt base64
     */
    static List<PemObject> blocks(String text, String option, String value) throws SslException {
        List<PemObject> blocks = new ArrayList<>();
        try (BlockReader reader = new BlockReader(text)) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // IOException: "-----END X not found"; RuntimeException: BouncyCastle's DecoderException on bad base64,
            // or a BEGIN line without its closing dashes.
            throw PemFiles.failure(option, value, "bad_pem", e);
        }
        if (blocks.isEmpty()) {
            throw PemFiles.failure(option, value, "bad_pem", null);
        }
        return blocks;
    }

    /**
     * Decodes one key block.
     *
     * @param password {@code null} or empty when none was given
     */
    PrivateKey decode(PemObject block, char[] password) throws SslException {
        Object parsed = parse(block);
        if (parsed instanceof PrivateKeyInfo info) {
            return toPrivateKey(info, malformed);
        } else if (parsed instanceof PEMKeyPair pair) {
            return toPrivateKey(pair.getPrivateKeyInfo(), malformed);
        } else if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            return toPrivateKey(decrypt(encrypted, requirePassword(password)), "bad_password");
        } else if (parsed instanceof PEMEncryptedKeyPair encrypted) {
            return toPrivateKey(decrypt(encrypted, requirePassword(password)).getPrivateKeyInfo(), "bad_password");
        }
        throw failure(malformed, null);
    }

    /** The object BouncyCastle's parser for this block type makes: a key pair, key info or encrypted key. */
    private Object parse(PemObject block) throws SslException {
        try (BlockReader reader = new BlockReader("")) {
            return reader.parse(block);
        } catch (IOException | RuntimeException e) {
            throw failure(malformed, e);
        }
    }

    private char[] requirePassword(char[] password) throws SslException {
        if (password == null || password.length == 0) {
            throw failure("password_required", null);
        }
        return password;
    }

    private PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password) throws SslException {
        try {
            // A private BouncyCastle instance: the JDK's providers do not resolve every PBES2 cipher by its OID.
            return encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BcProvider.get()).build(password));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            throw failure("bad_password", e);
        }
    }

    private PEMKeyPair decrypt(PEMEncryptedKeyPair encrypted, char[] password) throws SslException {
        try {
            // A wrong password usually breaks the CBC padding; when the padding happens to come out right the
            // garbage fails to parse as a key instead. Both are reported as bad_password.
            // BouncyCastle provider: the "PBKDF-OpenSSL" (EVP_BytesToKey) key derivation is not in the JDK.
            return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(BcProvider.get())
                    .build(password));
        } catch (IOException | RuntimeException e) {
            throw failure("bad_password", e);
        }
    }

    /**
     * The JDK key for a {@code PrivateKeyInfo}.
     *
     * @param unreadable the code for a key the JDK's key factory rejects: the structure is broken, or (after
     *                   decryption) the password was wrong
     */
    private PrivateKey toPrivateKey(PrivateKeyInfo info, String unreadable) throws SslException {
        try {
            return converter().getPrivateKey(info);
        } catch (PEMException e) {
            throw failure(e.getCause() instanceof NoSuchAlgorithmException ? "unsupported_key" : unreadable, e);
        } catch (RuntimeException e) {
            throw failure(unreadable, e);
        }
    }

    /** JDK algorithm names for the key OIDs: BouncyCastle's names ("ECDSA") or bare OIDs are not all JDK aliases. */
    private static JcaPEMKeyConverter converter() {
        return new JcaPEMKeyConverter()
                .setAlgorithmMapping(X9ObjectIdentifiers.id_ecPublicKey, "EC")
                .setAlgorithmMapping(PKCSObjectIdentifiers.rsaEncryption, "RSA")
                .setAlgorithmMapping(PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS")
                .setAlgorithmMapping(EdECObjectIdentifiers.id_Ed25519, "Ed25519")
                .setAlgorithmMapping(EdECObjectIdentifiers.id_Ed448, "Ed448")
                .setAlgorithmMapping(EdECObjectIdentifiers.id_X25519, "X25519")
                .setAlgorithmMapping(EdECObjectIdentifiers.id_X448, "X448");
    }

    private SslException failure(String code, Throwable cause) {
        return PemFiles.failure(option, value, code, cause);
    }

    /**
     * A {@link PEMParser} used for two jobs: {@code readPemObject()} (inherited) splits the text into raw blocks
     * without failing on types BouncyCastle does not know, which {@code readObject()} would; {@link #parse}
     * then applies BouncyCastle's own parser for a block's type.
     */
    private static final class BlockReader extends PEMParser {
        BlockReader(String text) {
            super(new StringReader(text));
        }

        Object parse(PemObject block) throws IOException {
            PemObjectParser parser = (PemObjectParser) parsers.get(block.getType());
            if (parser == null) {
                throw new IOException("no parser for " + block.getType());
            }
            return parser.parseObject(block);
        }
    }
}
