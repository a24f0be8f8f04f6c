package io.sslkit.netty.trust;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;
import io.sslkit.PartialChain;
import io.sslkit.VerifyFun;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;

/**
 * A {@link javax.net.ssl.TrustManagerFactory} whose trust manager validates the peer's chain with sslkit's
 * {@link PathValidator} and asks a {@link VerifyFun} about every certificate, as Erlang's {@code verify_fun} option
 * does. Usable with any Netty {@code SslContext}, BoringSSL or JDK, client or server, without the sslkit socket.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * TrustManagerFactory tmf = VerifyFunTrustManagerFactory.builder()
 *         .trustAnchors(rootCa)
 *         .verifyFun((cert, event, n) -> ..., 0)     // default: VerifyFun.verifyPeer()
 *         .depth(2)                                   // default 10
 *         .build();
 * SslContext ctx = SslContextBuilder.forClient()
 *         .trustManager(tmf)
 *         .endpointIdentificationAlgorithm(null)       // the host name is checked here, as hostname_check_failed
 *         .build();
 * pipeline.addLast(ctx.newHandler(ch.alloc(), "server.example", 443));
 * }</pre>
 *
 * <h2>Host names</h2>
 * On a client, with {@link Builder#checkHostname(boolean)} on (the default), the server's certificate is checked
 * against the engine's SNI name ({@code SSLParameters.getServerNames()}), else its peer host (the host given to
 * {@code newHandler}); IP literals against iPAddress subjectAltNames. An engine without a peer host is not checked.
 * Turn Netty's own check off ({@code endpointIdentificationAlgorithm(null)}), or it fails first with its own alert.
 *
 * <h2>Alerts</h2>
 * When the fun answers {@code fail}, the engine is made to send the alert of OTP's {@code path_validation_alert}
 * ({@link io.sslkit.BadCertReason#alert()}). BoringSSL sends exactly that alert. The JDK engine chooses its own:
 * <table>
 *   <caption>Alert sent by the validating side</caption>
 *   <tr><th>reason (OTP alert)</th><th>BoringSSL</th><th>JDK client TLS 1.2</th><th>JDK client TLS 1.3,
 *       JDK server</th></tr>
 *   <tr><td>cert_expired (certificate_expired)</td><td>certificate_expired</td><td>certificate_expired</td>
 *       <td>certificate_unknown</td></tr>
 *   <tr><td>invalid_issuer, invalid_signature, name_not_permitted, selfsigned_peer (bad_certificate)</td>
 *       <td>bad_certificate</td><td>bad_certificate</td><td>certificate_unknown</td></tr>
 *   <tr><td>unknown_ca (unknown_ca)</td><td>unknown_ca</td><td>certificate_unknown</td>
 *       <td>certificate_unknown</td></tr>
 *   <tr><td>unknown_critical_extension (unsupported_certificate)</td><td>unsupported_certificate</td>
 *       <td>unsupported_certificate</td><td>certificate_unknown</td></tr>
 *   <tr><td>everything else (handshake_failure)</td><td>handshake_failure</td><td>certificate_unknown</td>
 *       <td>certificate_unknown</td></tr>
 * </table>
 * The exception in the engine's {@code SSLHandshakeException} cause chain is a {@link CertificateRejectedException}
 * with the reason and the alert actually sent.
 *
 * <h2>Threading</h2>
 * The factory and its trust manager are immutable and thread-safe; each handshake validates with its own copy of
 * the fun's initial state. The fun runs where the engine checks certificates (the event loop, or Netty's delegated
 * task executor).
 */
public final class VerifyFunTrustManagerFactory extends SimpleTrustManagerFactory {

    private final VerifyFunTrustManager trustManager;

    private VerifyFunTrustManagerFactory(Builder b) {
        PathValidator validator = new PathValidator(b.anchors, b.fun, b.depth, b.partialChain, b.clock);
        this.trustManager = new VerifyFunTrustManager(validator, b.checkHostname);
    }

    /** A builder with the defaults listed on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Ignored: the trusted certificates come from the builder. */
    @Override
    protected void engineInit(KeyStore keyStore) {
    }

    /** Ignored: the trusted certificates come from the builder. */
    @Override
    protected void engineInit(ManagerFactoryParameters params) {
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[] {trustManager};
    }

    /** Builds a {@link VerifyFunTrustManagerFactory}. Not thread-safe. */
    public static final class Builder {
        private final List<X509Certificate> anchors = new ArrayList<>();
        private VerifyFun.WithState<?> fun = new VerifyFun.WithState<>(VerifyFun.verifyPeer(), null);
        private int depth = 10;
        private PartialChain partialChain = PartialChain.UNKNOWN_CA;
        private boolean checkHostname = true;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Adds trusted certificates (OTP's {@code cacerts}). Default none: every chain is {@code unknown_ca}. */
        public Builder trustAnchors(Collection<X509Certificate> cas) {
            anchors.addAll(cas);
            return this;
        }

        /** Adds trusted certificates. */
        public Builder trustAnchors(X509Certificate... cas) {
            return trustAnchors(List.of(cas));
        }

        /** The fun and its initial state. Default: {@link VerifyFun#verifyPeer()} with a null state. */
        public <S> Builder verifyFun(VerifyFun<S> fun, S initialState) {
            this.fun = new VerifyFun.WithState<>(fun, initialState);
            return this;
        }

        /** The fun with its state, as {@code SslOptions} holds it. */
        public Builder verifyFun(VerifyFun.WithState<?> fun) {
            this.fun = Objects.requireNonNull(fun, "fun");
            return this;
        }

        /**
         * OTP's {@code depth}: intermediate CAs allowed below the anchor. Default 10.
         *
         * @throws IllegalArgumentException if not in 0..255
         */
        public Builder depth(int depth) {
            if (depth < 0 || depth > 255) {
                throw new IllegalArgumentException("depth must be 0..255: " + depth);
            }
            this.depth = depth;
            return this;
        }

        /** OTP's {@code partial_chain}. Default {@link PartialChain#UNKNOWN_CA}. */
        public Builder partialChain(PartialChain partialChain) {
            this.partialChain = Objects.requireNonNull(partialChain, "partialChain");
            return this;
        }

        /**
         * Whether a client checks the server's host name (SNI name, else peer host). Default {@code true};
         * {@code false} is OTP's {@code {server_name_indication, disable}} — dangerous with a CA that certifies
         * others than your server.
         */
        public Builder checkHostname(boolean check) {
            this.checkHostname = check;
            return this;
        }

        /** The clock validity periods are checked against. Default: the system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public VerifyFunTrustManagerFactory build() {
            return new VerifyFunTrustManagerFactory(this);
        }
    }
}
