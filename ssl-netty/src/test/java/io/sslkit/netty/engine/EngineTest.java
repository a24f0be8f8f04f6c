package io.sslkit.netty.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.sslkit.Alert;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.netty.testing.TestPki;
import java.nio.ByteBuffer;
import javax.crypto.AEADBadTagException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The engine strategy: capabilities, the JDK release table and the typed alert decoders. */
class EngineTest {

    @Test
    void capabilitiesSplitTheOptionsBetweenTheEngines() {
        Engine boring = Engine.of(Provider.OPENSSL);
        Engine jdk = Engine.of(Provider.JDK);
        assertThat(jdk.renegotiates()).isTrue();
        assertThat(boring.renegotiates()).isFalse();
        for (Engine.Capability c : Engine.Capability.values()) {
            assertThat(boring.can(c)).as(c.name()).isNotEqualTo(jdk.can(c)); // each capability has one engine
        }
        assertThat(boring.needsAtom()).isEqualTo("needs_openssl_engine");
        assertThat(jdk.needsAtom()).isEqualTo("needs_jdk_engine");
        assertThat(boring.consolidatesFlushes()).isTrue();
        assertThat(jdk.consolidatesFlushes()).isFalse();
        assertThat(boring.renegotiationGuards(false, 100, java.time.Duration.ofSeconds(1))).isEmpty();
        assertThat(jdk.renegotiationGuards(false, 100, java.time.Duration.ofSeconds(1))).extracting(Guard::name)
                .containsExactly("renegotiation-limiter", "renegotiate-at");
        assertThat(jdk.renegotiationGuards(true, 100, java.time.Duration.ofSeconds(1))).extracting(Guard::name)
                .containsExactly("renegotiate-at");
        assertThat(boring.flushConsolidation()).map(Guard::name).contains("flush");
        assertThat(jdk.flushConsolidation()).isEmpty();
        assertThat(boring.alpnGuard(java.util.List.of("h2"), null)).map(Guard::name).contains("alpn-guard");
        assertThat(boring.alpnGuard(java.util.List.of(), null)).isEmpty();
        assertThat(jdk.alpnGuard(java.util.List.of("h2"), null)).isEmpty();
        assertThat(boring.versions()).contains(Protocol.TLS_V1_3, Protocol.TLS_V1_2);
        assertThatThrownBy(() -> Engine.of(Provider.AUTO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jdkReleaseTableForARejectedServerCertificate() {
        JdkEngine jdk17 = JdkEngine.release(17);
        JdkEngine jdk25 = JdkEngine.release(25);
        assertThat(jdk17.rejectionAlert(Alert.CERTIFICATE_EXPIRED, true, "TLSv1.2"))
                .isEqualTo(Alert.CERTIFICATE_EXPIRED);
        assertThat(jdk17.rejectionAlert(Alert.CERTIFICATE_EXPIRED, true, "TLSv1.3"))
                .isEqualTo(Alert.CERTIFICATE_UNKNOWN);
        assertThat(jdk25.rejectionAlert(Alert.CERTIFICATE_EXPIRED, true, "TLSv1.3"))
                .isEqualTo(Alert.CERTIFICATE_EXPIRED);
        assertThat(jdk25.rejectionAlert(Alert.UNKNOWN_CA, true, "TLSv1.2")).isEqualTo(Alert.CERTIFICATE_UNKNOWN);
        assertThat(jdk25.rejectionAlert(Alert.BAD_CERTIFICATE, false, "TLSv1.2"))
                .isEqualTo(Alert.CERTIFICATE_UNKNOWN); // a JDK server always sends certificate_unknown
        assertThat(Engine.of(Provider.OPENSSL).rejectionAlert(Alert.UNKNOWN_CA, false, "TLSv1.3"))
                .isEqualTo(Alert.UNKNOWN_CA);
    }

    @Test
    void jdkReleaseTableForAMissingClientCertificate() {
        SSLException noCert = new javax.net.ssl.SSLHandshakeException("Empty client certificate chain");
        assertThat(JdkEngine.release(17).alerts().sent(noCert, "TLSv1.3")).isEqualTo(Alert.BAD_CERTIFICATE);
        assertThat(JdkEngine.release(17).alerts().sent(noCert, "TLSv1.2")).isEqualTo(Alert.BAD_CERTIFICATE);
        assertThat(JdkEngine.release(25).alerts().sent(noCert, "TLSv1.3")).isEqualTo(Alert.CERTIFICATE_REQUIRED);
        assertThat(JdkEngine.release(25).alerts().sent(noCert, "TLSv1.2")).isEqualTo(Alert.HANDSHAKE_FAILURE);
    }

    @Test
    void jdkReceivedAlertIsReadFromItsOnlyReport() {
        AlertDecoder jdk = Engine.of(Provider.JDK).alerts();
        SSLException e = new SSLException("wrapped", new SSLException("Received fatal alert: unknown_ca"));
        assertThat(jdk.received(e)).contains(Alert.UNKNOWN_CA);
        assertThat(jdk.received(new SSLException("No appropriate protocol"))).isEmpty();
        assertThat(jdk.sent(new SSLException("No appropriate protocol"), null)).isEqualTo(Alert.PROTOCOL_VERSION);
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void sharedTypesDecideBeforeTheEngine(Provider p) {
        AlertDecoder d = Engine.of(p).alerts();
        assertThat(d.sent(new SSLException("x", new AEADBadTagException("Tag mismatch")), null))
                .isEqualTo(Alert.BAD_RECORD_MAC);
        assertThat(d.sent(new LocalAlertException(Alert.NO_APPLICATION_PROTOCOL, "none of [h2]"), null))
                .isEqualTo(Alert.NO_APPLICATION_PROTOCOL);
        assertThat(d.sent(new SSLException("x", new java.security.cert.CertificateExpiredException()), null))
                .isEqualTo(Alert.CERTIFICATE_EXPIRED);
    }

    /**
     * A BoringSSL server fed an empty ClientHello sends decode_error (checked on the wire: alert 2, 50) and fails
     * with a native code, which is read by type, not by text.
     */
    @Test
    void boringSslFailureIsDecodedFromItsErrorCode() throws Exception {
        TestPki pki = TestPki.ec();
        SslContext ctx = SslContextBuilder.forServer(pki.server.privateKey(), pki.server.certificate())
                .sslProvider(SslProvider.OPENSSL).build();
        SSLEngine engine = ctx.newEngine(ByteBufAllocator.DEFAULT);
        try {
            byte[] emptyHello = {22, 3, 3, 0, 4, 1, 0, 0, 0}; // handshake record: ClientHello of length 0
            engine.beginHandshake();
            engine.unwrap(ByteBuffer.wrap(emptyHello), ByteBuffer.allocate(32 * 1024));
            ByteBuffer out = ByteBuffer.allocate(32 * 1024);
            engine.wrap(ByteBuffer.allocate(0), out);
            assertThat(out.flip().get(6)).as("alert sent").isEqualTo((byte) 50);
            SSLException failure = org.junit.jupiter.api.Assertions.assertThrows(SSLException.class,
                    () -> engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(32 * 1024)));
            assertThat(Engine.ofFailure(failure)).isSameAs(Engine.of(Provider.OPENSSL));
            assertThat(Engine.of(engine)).isSameAs(Engine.of(Provider.OPENSSL));
            assertThat(Engine.ofFailure(new SSLException("CLIENTHELLO_PARSE_FAILED"))).isSameAs(Engine.of(Provider.JDK));
            AlertDecoder d = Engine.ofFailure(failure).alerts();
            assertThat(d.received(failure)).isEmpty();
            assertThat(d.sent(failure, null)).isEqualTo(Alert.DECODE_ERROR);
        } finally {
            ReferenceCountUtil.release(engine);
            ReferenceCountUtil.release(ctx);
        }
    }

    @Test
    void nettyRecordCheckIsSharedByBothEngines() {
        for (Provider p : new Provider[] {Provider.OPENSSL, Provider.JDK}) {
            assertThat(Engine.of(p).alerts().sent(new io.netty.handler.ssl.NotSslRecordException("GET"), null))
                    .isEqualTo(Alert.UNEXPECTED_MESSAGE);
        }
    }
}
