package io.sslkit.netty.context;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.Verify;
import io.sslkit.netty.certs.PemFiles;
import io.sslkit.netty.engine.Engine;
import io.sslkit.netty.trust.VerifyFunTrustManagerFactory;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Options → Netty {@link SslContext}: the one place where {@link SslOptions} meet an engine. Usable on its own, by
 * anyone who builds their own pipeline:
 *
 * <pre>{@code
 * TlsContext ctx = TlsContexts.forServer(options);
 * pipeline.addLast(ctx.context().newHandler(channel.alloc()));
 * }</pre>
 *
 * <p>Reads the files the options name (PEM, through BouncyCastle), checks that the key belongs to the certificate,
 * picks the provider ({@code auto} = BoringSSL when it loads) and fails with an {@code {options, …}} reason for
 * anything that cannot be used — a missing file, a wrong password, a verifying client that trusts nobody.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * A context for clients. With {@code verify_peer}, or with {@code verify_none} and a {@code verify_fun}, the
     * server's chain is validated by a {@link VerifyFunTrustManagerFactory} (the given fun, else the default fun
     * of {@code verify}), which also checks the host name unless SNI is disabled; with plain {@code verify_none}
     * anything is accepted.
     */
    public static TlsContext forClient(SslOptions o) throws SslException {
        Engine engine = EngineChoice.choose(o, false);
        Verify verify = o.clientVerify();
        SslContextBuilder b = SslContextBuilder.forClient();
        KeyMaterial own = KeyMaterial.load(o);
        if (own != null) {
            // sent whatever CAs the server names, as OTP does (the JDK's key managers would hold it back)
            b.keyManager(new ClientKeyManager(own.key(), own.chain()));
        }
        boolean validate = verify == Verify.VERIFY_PEER || o.verifyFun().isPresent();
        boolean checkHost = validate && !o.serverNameIndicationDisabled();
        if (validate) {
            List<X509Certificate> cas = trustedCas(o, verify == Verify.VERIFY_PEER);
            b.trustManager(verifyFunFactory(o, verify, cas, checkHost));
        } else {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        // The host name is checked by the verify_fun validator (hostname_check_failed), never by Netty.
        b.endpointIdentificationAlgorithm(null);
        Negotiation.client(b, o, engine);
        return new TlsContext(build(b, engine, o), engine.provider(), true, checkHost, o);
    }

    /**
     * A context for servers: needs an own certificate and key. With {@code verify_peer} the server asks for the
     * client's certificate and validates it with a {@link VerifyFunTrustManagerFactory}; with {@code verify_none}
     * it asks for none, so a {@code verify_fun} has nothing to run on.
     */
    public static TlsContext forServer(SslOptions o) throws SslException {
        Engine engine = EngineChoice.choose(o, true);
        KeyMaterial own = KeyMaterial.load(o);
        if (own == null) {
            throw new SslException(new Reason.Options("certfile", "undefined", "server_needs_certificate"));
        }
        SslContextBuilder b = SslContextBuilder.forServer(own.key(), own.chain());
        if (o.serverVerify() == Verify.VERIFY_PEER) {
            b.trustManager(verifyFunFactory(o, Verify.VERIFY_PEER, trustedCas(o, true), false));
            b.clientAuth(o.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        } else {
            b.clientAuth(ClientAuth.NONE);
        }
        Negotiation.server(b, o, engine);
        SslContext ctx = build(b, engine, o);
        if (!o.sessionTicketKeys().isEmpty()) {
            engine.setTicketKeys(ctx, o.sessionTicketKeys());
        }
        return new TlsContext(ctx, engine.provider(), false, false, o);
    }

    private static VerifyFunTrustManagerFactory verifyFunFactory(SslOptions o, Verify verify,
            List<X509Certificate> cas, boolean checkHost) {
        return VerifyFunTrustManagerFactory.builder()
                .trustAnchors(cas)
                .verifyFun(o.verifyFunFor(verify))
                .depth(o.depth())
                .partialChain(o.partialChain())
                .checkHostname(checkHost)
                .build();
    }

    /**
     * The engine for these options on one side: what they need decides {@code auto}, and an engine that cannot do
     * what they ask is an options error naming the engine that can (see {@link EngineChoice}).
     */
    public static Provider resolve(SslOptions o, boolean server) throws SslException {
        return EngineChoice.choose(o, server).provider();
    }

    /** The engine {@code auto} stands for on this machine, or the one asked for if it is available. */
    public static Provider resolve(Provider asked) throws SslException {
        return Engine.resolve(asked).provider();
    }

    private static SslContext build(SslContextBuilder b, Engine engine, SslOptions o) throws SslException {
        b.sslProvider(engine.nettyProvider());
        o.sessionLifetime().ifPresent(d -> b.sessionTimeout(d.getSeconds()));
        b.protocols(o.versions().stream().map(Protocol::javaName).toArray(String[]::new));
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new SslException(new Reason.Options("versions", o.versions().toString(), "not_available"), e);
        }
    }

    /**
     * The trusted CAs of the options. {@code required}: verify_peer, which needs some (OTP 26); otherwise (a
     * verify_fun under verify_none) none is fine: every chain is then {@code unknown_ca} for the fun to judge.
     */
    private static List<X509Certificate> trustedCas(SslOptions o, boolean required) throws SslException {
        List<X509Certificate> cas = new ArrayList<>(o.cacerts());
        if (cas.isEmpty() && o.cacertfile().isPresent()) {
            Path file = o.cacertfile().get();
            cas.addAll(PemFiles.readCertificates(file, "cacertfile"));
        }
        if (o.systemCacerts()) {
            cas.addAll(Arrays.asList(systemTrustManager().getAcceptedIssuers()));
        }
        if (cas.isEmpty() && required) {
            // OTP 26: {options, incompatible, [{verify, verify_peer}, {cacerts, undefined}]}
            throw new SslException(new Reason.Options("cacerts", "undefined", "verify_peer_needs_cacerts"));
        }
        return cas;
    }

    private static X509TrustManager systemTrustManager() throws SslException {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            for (TrustManager tm : f.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
        } catch (Exception e) {
            throw new SslException(new Reason.Options("cacerts", "system", "not_available"), e);
        }
        throw new SslException(new Reason.Options("cacerts", "system", "not_available"));
    }

    /** The own certificate chain and key, read and checked. */
    record KeyMaterial(PrivateKey key, X509Certificate[] chain) {

        static KeyMaterial load(SslOptions o) throws SslException {
            if (!o.hasOwnCertificate()) {
                return null;
            }
            List<X509Certificate> chain = !o.cert().isEmpty() ? o.cert()
                    : PemFiles.readCertificates(o.certfile().orElseThrow(), "certfile");
            String keyOption;
            String keyValue;
            PrivateKey key;
            if (o.key().isPresent()) {
                key = o.key().get();
                keyOption = "key";
                keyValue = "<<key>>";
            } else if (o.keyDer().isPresent()) {
                key = PemFiles.decodePrivateKey(o.keyDer().get());
                keyOption = "key";
                keyValue = "<<DER>>";
            } else {
                Path keyfile = o.keyfile().orElseThrow(() -> new IllegalStateException("no keyfile"));
                char[] password = o.password().orElse(null);
                try {
                    key = PemFiles.readPrivateKey(keyfile, password, "keyfile");
                } finally {
                    if (password != null) {
                        Arrays.fill(password, '\0');
                    }
                }
                keyOption = "keyfile";
                keyValue = keyfile.toString();
            }
            PemFiles.checkKeyMatchesCertificate(key, chain.get(0), keyOption, keyValue);
            return new KeyMaterial(key, chain.toArray(new X509Certificate[0]));
        }
    }
}
