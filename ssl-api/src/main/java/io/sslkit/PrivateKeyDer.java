package io.sslkit;

import java.util.Arrays;
import java.util.Objects;

/**
 * A private key as Erlang's {@code {key, {Type, Der}}} option gives it: DER bytes and what they encode.
 *
 * @param type the encoding
 * @param der  the DER bytes (copied)
 */
public record PrivateKeyDer(Type type, byte[] der) {

    /** The DER structures Erlang accepts for {@code key}. */
    public enum Type {
        /** PKCS#1 {@code RSAPrivateKey} ({@code 'RSAPrivateKey'}). */
        RSA_PRIVATE_KEY,
        /** SEC1 {@code ECPrivateKey} ({@code 'ECPrivateKey'}). */
        EC_PRIVATE_KEY,
        /** PKCS#8 {@code PrivateKeyInfo} ({@code 'PrivateKeyInfo'}), unencrypted. */
        PRIVATE_KEY_INFO
    }

    public PrivateKeyDer {
        Objects.requireNonNull(type, "type");
        der = Objects.requireNonNull(der, "der").clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrivateKeyDer k && k.type == type && Arrays.equals(k.der, der);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(der);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "PrivateKeyDer[" + type + ", " + der.length + " bytes]";
    }
}
