package io.sslkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** handle_options for verify_fun, depth, ciphers, ALPN, dh and secure_renegotiate. */
class TrustAndNegotiationOptionsTest {

    private static Reason.Options problem(Runnable build) {
        try {
            build.run();
        } catch (SslOptionsException e) {
            assertThat(e.getMessage()).isEqualTo(Ssl.formatError(e.reason()));
            return e.reason();
        }
        throw new AssertionError("build() accepted it");
    }

    @Test
    void defaultsAreOtps() {
        SslOptions o = SslOptions.defaults();
        assertThat(o.depth()).isEqualTo(10);
        assertThat(o.verifyFun()).isEmpty();
        assertThat(o.verifyFunFor(Verify.VERIFY_PEER).fun()).isSameAs(VerifyFun.verifyPeer());
        assertThat(o.verifyFunFor(Verify.VERIFY_NONE).fun()).isSameAs(VerifyFun.verifyNone());
        assertThat(o.partialChain()).isSameAs(PartialChain.UNKNOWN_CA);
        assertThat(o.ciphers()).isEmpty();
        assertThat(o.honorCipherOrder()).isFalse();
        assertThat(o.alpnAdvertisedProtocols()).isEmpty();
        assertThat(o.alpnPreferredProtocols()).isEmpty();
        assertThat(o.secureRenegotiate()).isTrue();
        assertThat(o.dh()).isEmpty();
        assertThat(o.dhfile()).isEmpty();
    }

    @Test
    void depthMustBe0To255() {
        assertThat(SslOptions.builder().depth(0).build().depth()).isZero();
        assertThat(SslOptions.builder().depth(255).build().depth()).isEqualTo(255);
        Reason.Options r = problem(() -> SslOptions.builder().depth(-1).build());
        assertThat(r.toString()).isEqualTo("{options,{depth,-1}}");
        assertThat(Ssl.formatError(r)).isEqualTo("Invalid TLS option: {depth,-1}");
        assertThat(problem(() -> SslOptions.builder().depth(256).build()).toString())
                .isEqualTo("{options,{depth,256}}");
    }

    @Test
    void anEmptyAlpnProtocolIsInvalidProtocol() {
        assertThat(problem(() -> SslOptions.builder().alpnAdvertisedProtocols("h2", "").build()).toString())
                .isEqualTo("{options,{alpn_advertised_protocols,{invalid_protocol,<<>>}}}");
        assertThat(problem(() -> SslOptions.builder().alpnPreferredProtocols("").build()).toString())
                .isEqualTo("{options,{alpn_preferred_protocols,{invalid_protocol,<<>>}}}");
        assertThat(problem(() -> SslOptions.builder().alpnPreferredProtocols("x".repeat(256)).build()).option())
                .isEqualTo("alpn_preferred_protocols");
        SslOptions ok = SslOptions.builder().alpnAdvertisedProtocols("h2", "http/1.1").build();
        assertThat(ok.alpnAdvertisedProtocols()).containsExactly("h2", "http/1.1");
        assertThat(ok.toString()).contains("{alpn_advertised_protocols,[<<\"h2\">>,<<\"http/1.1\">>]}");
    }

    @Test
    void ciphersAreReadInEveryFormOtpAccepts() {
        CipherSuite aes128 = CipherSuite.fromName("ECDHE-RSA-AES128-GCM-SHA256").orElseThrow();
        assertThat(aes128.ianaName()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(aes128.name(Format.ERLANG))
                .isEqualTo("#{cipher => aes_128_gcm,key_exchange => ecdhe_rsa,mac => aead,prf => sha256}");
        SslOptions o = SslOptions.builder()
                .ciphers("ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_256_GCM_SHA384, {rsa,aes_128_cbc,sha}:"
                        + "#{key_exchange => ecdhe_ecdsa, cipher => chacha20_poly1305, mac => aead, prf => sha256}")
                .build();
        assertThat(o.ciphers()).extracting(CipherSuite::ianaName).containsExactly(
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(o.toString()).contains("{ciphers,\"ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_256_GCM_SHA384:"
                + "AES128-SHA:ECDHE-ECDSA-CHACHA20-POLY1305\"}");
        assertThat(CipherSuite.erlang("rsa", "3des_ede_cbc", "sha").orElseThrow().name(Format.ERLANG))
                .isEqualTo("#{cipher => '3des_ede_cbc',key_exchange => rsa,mac => sha,prf => default_prf}");
        assertThat(CipherSuite.fromName("{ecdhe_rsa,aes_256_cbc,sha384,sha384}").orElseThrow().opensslName())
                .isEqualTo("ECDHE-RSA-AES256-SHA384");
        assertThat(CipherSuite.fromName("TLS_AES_128_GCM_SHA256").orElseThrow().isTls13()).isTrue();
    }

    @Test
    void anUnknownCipherNameOrAnOpensslKeywordIsNotRecognized() {
        Reason.Options r = problem(() -> SslOptions.builder().ciphers("ECDHE-RSA-AES128-GCM-SHA256:BOGUS").build());
        assertThat(r).isEqualTo(new Reason.Options("ciphers", "BOGUS", "not_recognized"));
        assertThat(Ssl.formatError(r)).isEqualTo("Invalid TLS option: {not_recognized,{ciphers,\"BOGUS\"}}");
        assertThat(problem(() -> SslOptions.builder().ciphers("HIGH:!aNULL").build()).value()).isEqualTo("HIGH");
        CipherSuite made = new CipherSuite("rsa", "rc4_128", "sha", "default_prf", "TLS_RSA_WITH_RC4_128_SHA",
                "RC4-SHA");
        assertThat(problem(() -> SslOptions.builder().ciphers(made).build()).error()).isEqualTo("not_recognized");
        assertThat(problem(() -> SslOptions.builder().cipherSuites(List.of()).build()).toString())
                .isEqualTo("{options,{ciphers,[]}}");
    }

    @Test
    void theVerifyFunsStateIsNeverPrinted() {
        VerifyFun<String> fun = (cert, event, s) -> VerifyResult.valid(s);
        SslOptions o = SslOptions.builder().verifyFun(fun, "s3cr3t-token").depth(3).partialChain(PartialChain
                .UNKNOWN_CA).build();
        assertThat(o.toString()).contains("{verify_fun,", "{depth,3}", "{partial_chain,fun}")
                .doesNotContain("s3cr3t-token");
        assertThat(o.verifyFun().orElseThrow().initialState()).isEqualTo("s3cr3t-token");
        assertThat(o.toBuilder().build().verifyFun().orElseThrow().fun()).isSameAs(fun);
    }

    @Test
    void dhIsKeptAndInsecureRenegotiationIsRefused() {
        SslOptions o = SslOptions.builder().dhfile(Path.of("dh.pem")).honorCipherOrder(true).build();
        assertThat(o.dhfile()).contains(Path.of("dh.pem"));
        assertThat(o.secureRenegotiate()).isTrue();
        assertThat(o.honorCipherOrder()).isTrue();
        assertThat(o.toString()).contains("{dhfile,\"dh.pem\"}", "{honor_cipher_order,true}");
        // both engines refuse pre-RFC 5746 renegotiation: secure_renegotiate false cannot be honoured
        assertThat(problem(() -> SslOptions.builder().secureRenegotiate(false).build()).toString())
                .isEqualTo("{options,{not_available,{secure_renegotiate,false}}}");
        SslOptions dh = o.toBuilder().dh(new byte[] {48, 6}).build();
        assertThat(dh.dhfile()).isEmpty();
        assertThat(dh.dh().orElseThrow()).containsExactly(48, 6);
        assertThat(problem(() -> SslOptions.builder().dh(new byte[0]).build()).toString())
                .isEqualTo("{options,{dh,<<>>}}");
    }

    @Test
    void eachReasonNamesOtpsAlert() {
        assertThat(BadCertReason.CERT_EXPIRED.alert()).isEqualTo(Alert.CERTIFICATE_EXPIRED);
        for (BadCertReason r : List.of(BadCertReason.INVALID_ISSUER, BadCertReason.INVALID_SIGNATURE,
                BadCertReason.NAME_NOT_PERMITTED, BadCertReason.SELFSIGNED_PEER)) {
            assertThat(r.alert()).as(r.erlangName()).isEqualTo(Alert.BAD_CERTIFICATE);
        }
        assertThat(BadCertReason.UNKNOWN_CRITICAL_EXTENSION.alert()).isEqualTo(Alert.UNSUPPORTED_CERTIFICATE);
        assertThat(BadCertReason.UNKNOWN_CA.alert()).isEqualTo(Alert.UNKNOWN_CA);
        assertThat(BadCertReason.Standard.CERT_REVOKED.alert()).isEqualTo(Alert.CERTIFICATE_REVOKED);
        for (BadCertReason r : List.of(BadCertReason.MISSING_BASIC_CONSTRAINT, BadCertReason.INVALID_KEY_USAGE,
                BadCertReason.INVALID_EXT_KEY_USAGE, BadCertReason.HOSTNAME_CHECK_FAILED,
                BadCertReason.MAX_PATH_LENGTH_REACHED, BadCertReason.user("mine"))) {
            assertThat(r.alert()).as(r.erlangName()).isEqualTo(Alert.HANDSHAKE_FAILURE);
        }
        assertThat(VerifyEvent.badCert(BadCertReason.UNKNOWN_CA).toString()).isEqualTo("{bad_cert,unknown_ca}");
        assertThat(BadCertReason.Standard.fromName("hostname_check_failed"))
                .contains(BadCertReason.Standard.HOSTNAME_CHECK_FAILED);
    }

    @Test
    void builderMisuseIsNpe() {
        assertThatThrownBy(() -> SslOptions.builder().verifyFun(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SslOptions.builder().alpnAdvertisedProtocols((String) null))
                .isInstanceOf(NullPointerException.class);
    }
}
