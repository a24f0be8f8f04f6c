package io.sslkit.netty.context;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client's own certificate, sent whenever the server asks for one, as OTP does: unlike the JDK's key managers it
 * does not hold the certificate back when its issuer is not among the CAs the server's CertificateRequest names.
 * The server then judges the chain (its {@code verify_fun} sees {@code unknown_ca}), instead of receiving none.
 * The key type must still fit what the handshake can use.
 */
final class ClientKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "sslkit-own";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    ClientKeyManager(PrivateKey key, X509Certificate[] chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return choose(keyTypes);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return choose(keyTypes);
    }

    /** A client key manager serves no server. */
    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return keyType == null || fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    private String choose(String[] keyTypes) {
        return keyTypes == null || Arrays.stream(keyTypes).anyMatch(this::fits) ? ALIAS : null;
    }

    /** The engines name key types by the key's algorithm ("EC", "RSA", "EdDSA"); "EC_EC"-style for static ECDH. */
    private boolean fits(String keyType) {
        String alg = chain[0].getPublicKey().getAlgorithm();
        return keyType.equals(alg) || keyType.startsWith(alg + "_");
    }
}
