package io.sslkit.netty.context;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.Verify;
import io.sslkit.netty.certs.PemFiles;
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

    /** A context for clients. */
    public static TlsContext forClient(SslOptions o) throws SslException {
        Provider provider = resolve(o.provider());
        Verify verify = o.clientVerify();
        SslContextBuilder b = SslContextBuilder.forClient();
        KeyMaterial own = KeyMaterial.load(o);
        if (own != null) {
            b.keyManager(own.key(), own.chain());
        }
        boolean checkHost = verify == Verify.VERIFY_PEER && !o.serverNameIndicationDisabled();
        if (verify == Verify.VERIFY_PEER) {
            trust(b, o);
        } else {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        // Netty 4.2 clients check the host name by default; sslkit decides that itself.
        b.endpointIdentificationAlgorithm(checkHost ? "HTTPS" : null);
        return new TlsContext(build(b, provider, o), provider, true, checkHost, o);
    }

    /** A context for servers: needs an own certificate and key. */
    public static TlsContext forServer(SslOptions o) throws SslException {
        Provider provider = resolve(o.provider());
        KeyMaterial own = KeyMaterial.load(o);
        if (own == null) {
            throw new SslException(new Reason.Options("certfile", "undefined", "server_needs_certificate"));
        }
        SslContextBuilder b = SslContextBuilder.forServer(own.key(), own.chain());
        if (o.serverVerify() == Verify.VERIFY_PEER) {
            trust(b, o);
            b.clientAuth(o.failIfNoPeerCert() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        } else {
            b.clientAuth(ClientAuth.NONE);
        }
        return new TlsContext(build(b, provider, o), provider, false, false, o);
    }

    /** The engine {@code auto} stands for on this machine, or the one asked for if it is available. */
    public static Provider resolve(Provider asked) throws SslException {
        return switch (asked) {
            case AUTO -> OpenSsl.isAvailable() ? Provider.OPENSSL : Provider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new SslException(new Reason.Options("provider", "openssl", "not_available"),
                            OpenSsl.unavailabilityCause());
                }
                yield Provider.OPENSSL;
            }
            case JDK -> Provider.JDK;
        };
    }

    private static SslContext build(SslContextBuilder b, Provider provider, SslOptions o) throws SslException {
        b.sslProvider(provider == Provider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK);
        b.protocols(o.versions().stream().map(Protocol::javaName).toArray(String[]::new));
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new SslException(new Reason.Options("versions", o.versions().toString(), "not_available"), e);
        }
    }

    private static void trust(SslContextBuilder b, SslOptions o) throws SslException {
        List<X509Certificate> cas = new ArrayList<>(o.cacerts());
        if (cas.isEmpty() && o.cacertfile().isPresent()) {
            Path file = o.cacertfile().get();
            cas.addAll(PemFiles.readCertificates(file, "cacertfile"));
        }
        if (o.systemCacerts()) {
            cas.addAll(Arrays.asList(systemTrustManager().getAcceptedIssuers()));
        }
        if (cas.isEmpty()) {
            // OTP 26: {options, incompatible, [{verify, verify_peer}, {cacerts, undefined}]}
            throw new SslException(new Reason.Options("cacerts", "undefined", "verify_peer_needs_cacerts"));
        }
        b.trustManager(cas);
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
