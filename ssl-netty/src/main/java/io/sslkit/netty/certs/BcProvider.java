package io.sslkit.netty.certs;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A private BouncyCastle provider instance for password-based key encryption: PBES1/PBES2 (encrypted PKCS#8),
 * whose ciphers BouncyCastle looks up by OID, and OpenSSL's legacy {@code Proc-Type: 4,ENCRYPTED} PEM, whose key
 * derivation BouncyCastle looks up as a {@code PBKDF-OpenSSL} {@code SecretKeyFactory} that the JDK does not have.
 * It is handed to BouncyCastle builders with {@code setProvider(..)} and never registered with
 * {@code Security.addProvider}, so the JVM's provider list stays as the application set it. Keys, signatures and
 * certificates still come from the JDK's providers.
 */
final class BcProvider {

    private BcProvider() {
    }

    /** The instance, made on first use: building BouncyCastle's provider tables takes a noticeable fraction of a second. */
    static Provider get() {
        return Holder.INSTANCE;
    }

    /** Lazy holder idiom: class initialization makes the instance once, thread-safely. */
    private static final class Holder {
        static final Provider INSTANCE = new BouncyCastleProvider();
    }
}
