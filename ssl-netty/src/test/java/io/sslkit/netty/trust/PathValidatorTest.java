package io.sslkit.netty.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sslkit.Alert;
import io.sslkit.BadCertReason;
import io.sslkit.PartialChain;
import io.sslkit.VerifyEvent;
import io.sslkit.VerifyFun;
import io.sslkit.VerifyResult;
import io.sslkit.netty.certs.HeldCertificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** The exact sequence of events the fun sees, chain root → int0 → int1 → peer (ERLANG-SSL.md §4, scenario 51). */
class PathValidatorTest {

    private static final String SAN = "ext:2.5.29.17";
    private static final String SKI = "ext:2.5.29.14";
    private static final String AKI = "ext:2.5.29.35";
    private static final Chains GOOD = Chains.good();

    private static <S> PathValidator validator(List<X509Certificate> anchors, VerifyFun<S> fun, S state, int depth) {
        return new PathValidator(anchors, new VerifyFun.WithState<>(fun, state), depth, PartialChain.UNKNOWN_CA,
                Clock.systemUTC());
    }

    private static List<String> run(Chains chains, Recorder<Object> fun, int depth, String host) {
        PathValidator v = validator(List.of(chains.root.certificate()), fun, null, depth);
        try {
            v.validate(chains.sent(), Purpose.SERVER_AUTH, host, "ECDHE_ECDSA");
        } catch (CertificateRejectedException e) {
            fun.calls.add("FAIL " + e.reason());
        }
        return fun.calls;
    }

    @Test
    void keyIdentifiersGoToTheFunInTheCertificatesOwnOrder() {
        assertThat(run(GOOD, Recorder.verifyPeer().withKeyIdentifiers(), 10, "localhost")).containsExactly(
                "int0 " + SKI, "int0 " + AKI, "int0 valid", "int1 " + SKI, "int1 " + AKI, "int1 valid",
                "peer " + SKI, "peer " + AKI, "peer " + SAN, "peer valid_peer");
    }

    @Test
    void aGoodChainGivesValidForEachCaThenTheSubjectAltNameThenValidPeer() {
        assertThat(run(GOOD, Recorder.verifyPeer(), 10, "localhost"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer valid_peer");
    }

    @Test
    void depthCountsTheIntermediatesBelowTheAnchorAsOtpDoes() {
        assertThat(run(GOOD, Recorder.verifyPeer(), 0, "localhost"))
                .containsExactly("int0 valid", "int1 {bad_cert,max_path_length_reached}",
                        "FAIL max_path_length_reached");
        assertThat(run(GOOD, Recorder.verifyPeer(), 1, "localhost"))
                .containsExactly("int0 valid", "int1 valid", "peer {bad_cert,max_path_length_reached}",
                        "FAIL max_path_length_reached");
        assertThat(run(GOOD, Recorder.verifyPeer(), 2, "localhost"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer valid_peer");
    }

    @Test
    void acceptingMaxPathLengthRestartsTheCountAtThatCertificate() {
        assertThat(run(GOOD, Recorder.acceptAll(), 0, "localhost"))
                .containsExactly("int0 valid", "int1 {bad_cert,max_path_length_reached}", "int1 valid",
                        "peer {bad_cert,max_path_length_reached}", "peer " + SAN, "peer valid_peer");
    }

    @Test
    void aPathLenConstraintIsEnforcedLikeDepth() {
        // int0 may have no CA below it, but int1 is one
        HeldCertificate int0 = HeldCertificate.builder().commonName("int0").certificateAuthority(0)
                .signedBy(GOOD.root).build();
        HeldCertificate int1 = HeldCertificate.builder().commonName("int1").certificateAuthority(0).signedBy(int0)
                .build();
        HeldCertificate peer = Chains.peerBuilder().signedBy(int1).build();
        Recorder<Object> fun = Recorder.verifyPeer();
        PathValidator v = validator(List.of(GOOD.root.certificate()), fun, null, 10);
        assertThatThrownBy(() -> v.validate(List.of(peer.certificate(), int1.certificate(), int0.certificate()),
                Purpose.SERVER_AUTH, "localhost", null))
                .isInstanceOfSatisfying(CertificateRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(BadCertReason.MAX_PATH_LENGTH_REACHED));
        // OTP asks about max_path_length_reached before looking at the certificate's extensions
        assertThat(fun.calls).containsExactly("int0 valid", "int1 valid", "peer {bad_cert,max_path_length_reached}");
    }

    @Test
    void anExpiredPeerIsCertExpiredThenTheHostNameIsStillChecked() {
        Chains expired = GOOD.withPeer(b -> b.validity(Chains.daysAgo(10), Chains.daysAgo(5)));
        assertThat(run(expired, Recorder.verifyPeer(), 10, "localhost"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer {bad_cert,cert_expired}",
                        "FAIL cert_expired");
        // OTP's observed sequence with an accept-all fun and a name the certificate lacks
        assertThat(run(expired, Recorder.acceptAll(), 10, "vm.example"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer {bad_cert,cert_expired}",
                        "peer {bad_cert,hostname_check_failed}");
    }

    @Test
    void aCertificateNotYetValidIsCertExpiredToo() {
        Instant later = Instant.now().plus(Duration.ofDays(2));
        Chains future = GOOD.withPeer(b -> b.validity(later, later.plus(Duration.ofDays(1))));
        assertThat(run(future, Recorder.verifyPeer(), 10, null)).endsWith("peer {bad_cert,cert_expired}",
                "FAIL cert_expired");
    }

    @Test
    void theClockDecides() {
        Recorder<Object> fun = Recorder.verifyPeer();
        Clock nextYear = Clock.fixed(Instant.now().plus(Duration.ofDays(365)), ZoneOffset.UTC);
        PathValidator v = new PathValidator(List.of(GOOD.root.certificate()), new VerifyFun.WithState<>(fun, null),
                10, PartialChain.UNKNOWN_CA, nextYear);
        assertThatThrownBy(() -> v.validate(GOOD.sent(), Purpose.SERVER_AUTH, null, null))
                .isInstanceOf(CertificateRejectedException.class);
        // the anchor is only time-checked, and first
        assertThat(fun.calls).containsExactly("root {bad_cert,cert_expired}");
    }

    @Test
    void anIssuerWithTheRightNameButAnotherKeyIsInvalidSignatureOnly() {
        // a second "int1" with a key of its own: names match, key ids and signature do not
        HeldCertificate impostor = HeldCertificate.builder().commonName("int1").certificateAuthority(0)
                .signedBy(GOOD.int0).build();
        List<X509Certificate> sent = List.of(GOOD.peer.certificate(), impostor.certificate(),
                GOOD.int0.certificate());
        Recorder<Object> fun = Recorder.acceptAll();
        PathValidator v = validator(List.of(GOOD.root.certificate()), fun, null, 10);
        assertThat(catchReason(() -> v.validate(sent, Purpose.SERVER_AUTH, "localhost", null))).isNull();
        // OTP's validate_issuer compares names only: the key ids that disagree show as invalid_signature
        assertThat(fun.calls).containsExactly(
                "int0 valid", "int1 valid", "peer " + SAN, "peer {bad_cert,invalid_signature}", "peer valid_peer");
    }

    @Test
    void aWrongSignatureIsInvalidSignature() {
        HeldCertificate stranger = HeldCertificate.builder().build();
        Chains forged = GOOD.withPeer(b -> b.signatureKey(stranger.privateKey()));
        assertThat(run(forged, Recorder.verifyPeer(), 10, "localhost"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer {bad_cert,invalid_signature}",
                        "FAIL invalid_signature");
    }

    @Test
    void aCaWithoutKeyCertSignIsInvalidKeyUsageAndThePeersKeyUsageIsLeftToTheHandshake() {
        Chains badCa = GOOD.withInt1(b -> b.keyUsage(KeyUsage.digitalSignature));
        assertThat(run(badCa, Recorder.acceptAll(), 10, "localhost"))
                .containsExactly("int0 valid", "int1 {bad_cert,invalid_key_usage}", "int1 valid", "peer " + SAN,
                        "peer valid_peer");
        Chains badPeer = GOOD.withPeer(b -> b.keyUsage(KeyUsage.keyCertSign));
        assertThat(run(badPeer, Recorder.verifyPeer(), 10, "localhost")).endsWith("peer valid_peer");
    }

    @Test
    void aPeerWithKeyEnciphermentOnlyIsAcceptedAsOtpAcceptsIt() {
        Chains encipherOnly = GOOD.withPeer(b -> b.keyUsage(KeyUsage.keyEncipherment));
        PathValidator v = validator(List.of(GOOD.root.certificate()), VerifyFun.verifyPeer(), null, 10);
        assertThat(catchReason(() -> v.validate(encipherOnly.sent(), Purpose.SERVER_AUTH, null, "RSA"))).isNull();
        assertThat(catchReason(() -> v.validate(encipherOnly.sent(), Purpose.SERVER_AUTH, null, "ECDHE_RSA")))
                .isNull();
    }

    @Test
    void aCaWithoutBasicConstraintsIsMissingBasicConstraint() {
        Chains noBc = GOOD.withInt1(HeldCertificate.Builder::withoutBasicConstraints);
        assertThat(run(noBc, Recorder.verifyPeer(), 10, "localhost"))
                .containsExactly("int0 valid", "int1 {bad_cert,missing_basic_constraint}",
                        "FAIL missing_basic_constraint");
    }

    @Test
    void nameConstraintsOfACaAboveBindThePeer() {
        Chains permitted = withConstrainedInt0(List.of("example.com"), List.of());
        assertThat(run(permitted, Recorder.verifyPeer(), 10, "localhost"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer {bad_cert,name_not_permitted}",
                        "FAIL name_not_permitted");
        Chains excluded = withConstrainedInt0(List.of(), List.of("sslkit.test"));
        assertThat(run(excluded, Recorder.verifyPeer(), 10, "localhost"))
                .endsWith("peer {bad_cert,name_not_permitted}", "FAIL name_not_permitted");
        Chains allowed = withConstrainedInt0(List.of("localhost", "sslkit.test"), List.of("example.com"));
        assertThat(run(allowed, Recorder.verifyPeer(), 10, "localhost")).endsWith("peer valid_peer");
    }

    private static Chains withConstrainedInt0(List<String> permitted, List<String> excluded) {
        HeldCertificate int0 = HeldCertificate.builder().commonName("int0").certificateAuthority(1)
                .nameConstraints(permitted, excluded).signedBy(GOOD.root).build();
        HeldCertificate int1 = HeldCertificate.builder().commonName("int1").certificateAuthority(0).signedBy(int0)
                .build();
        HeldCertificate peer = Chains.peerBuilder().signedBy(int1).build();
        return new Chains(GOOD.root, int0, int1, peer);
    }

    @Test
    void anUnknownCaIsOneCallWithTheTopMostCertificateAndValidMakesItTheAnchor() {
        HeldCertificate otherRoot = HeldCertificate.builder().commonName("other").certificateAuthority(3).build();
        Recorder<Object> strict = Recorder.verifyPeer();
        PathValidator v = validator(List.of(otherRoot.certificate()), strict, null, 10);
        assertThat(catchReason(() -> v.validate(GOOD.sent(), Purpose.SERVER_AUTH, "localhost", null)))
                .isEqualTo(BadCertReason.UNKNOWN_CA);
        assertThat(strict.calls).containsExactly("int0 {bad_cert,unknown_ca}");

        Recorder<Object> lenient = Recorder.acceptAll();
        PathValidator v2 = validator(List.of(otherRoot.certificate()), lenient, null, 10);
        assertThat(catchReason(() -> v2.validate(GOOD.sent(), Purpose.SERVER_AUTH, "localhost", null))).isNull();
        assertThat(lenient.calls).containsExactly("int0 {bad_cert,unknown_ca}", "int1 valid", "peer " + SAN,
                "peer valid_peer");
    }

    @Test
    void aLoneSelfSignedPeerGivesOnlySelfsignedPeer() {
        Chains self = GOOD.withSelfSignedPeer();
        assertThat(run(self, Recorder.verifyPeer(), 10, "localhost"))
                .containsExactly("peer {bad_cert,selfsigned_peer}", "FAIL selfsigned_peer");
        assertThat(run(self, Recorder.acceptAll(), 10, "localhost"))
                .containsExactly("peer {bad_cert,selfsigned_peer}");
    }

    @Test
    void aSelfSignedPeerThatIsTrustedIsValidatedAgainstItselfHostNameIncluded() {
        HeldCertificate self = Chains.peerBuilder().build();
        Recorder<Object> fun = Recorder.verifyPeer();
        PathValidator v = validator(List.of(self.certificate()), fun, null, 10);
        assertThat(catchReason(() -> v.validate(List.of(self.certificate()), Purpose.SERVER_AUTH, "localhost",
                null))).isNull();
        assertThat(fun.calls).containsExactly("peer " + SAN, "peer valid_peer");
        assertThat(catchReason(() -> v.validate(List.of(self.certificate()), Purpose.SERVER_AUTH, "other.example",
                null))).isEqualTo(BadCertReason.HOSTNAME_CHECK_FAILED);
    }

    @Test
    void aHostNameTheCertificateLacksIsHostnameCheckFailedInPlaceOfValidPeer() {
        assertThat(run(GOOD, Recorder.verifyPeer(), 10, "other.example"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer {bad_cert,hostname_check_failed}",
                        "FAIL hostname_check_failed");
        assertThat(run(GOOD, Recorder.verifyPeer(), 10, "SERVER.sslkit.test.")).endsWith("peer valid_peer");
        assertThat(run(GOOD, Recorder.verifyPeer(), 10, "127.0.0.1")).endsWith("peer valid_peer");
        assertThat(run(GOOD, Recorder.verifyPeer(), 10, "127.0.0.2")).endsWith("FAIL hostname_check_failed");
        assertThat(run(GOOD, Recorder.verifyPeer(), 10, null)).endsWith("peer valid_peer"); // no host: no check
    }

    @Test
    void wildcardsStandForOneWholeLeftMostLabel() {
        Chains wild = GOOD.withPeer(b -> HeldCertificate.builder().commonName("peer")
                .addSubjectAlternativeName("*.example.com").signedBy(GOOD.int1));
        assertThat(run(wild, Recorder.verifyPeer(), 10, "a.example.com")).endsWith("peer valid_peer");
        assertThat(run(wild, Recorder.verifyPeer(), 10, "example.com")).endsWith("FAIL hostname_check_failed");
        assertThat(run(wild, Recorder.verifyPeer(), 10, "a.b.example.com")).endsWith("FAIL hostname_check_failed");
    }

    @Test
    void anUnknownAnswerForACriticalExtensionFailsAtOnceWithUnknownCriticalExtension() {
        Chains critical = GOOD.withPeer(b -> b.addExtension("1.2.3.4.5", true, new byte[] {5, 0}));
        // the default verify_peer fun answers unknown to extensions, so it fails here
        assertThat(run(critical, Recorder.verifyPeer(), 10, "localhost"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer ext:1.2.3.4.5!",
                        "FAIL unknown_critical_extension");
        // verify_none's default fun accepts critical extensions (OTP 20+)
        Recorder<Object> none = new Recorder<>(VerifyFun.verifyNone());
        assertThat(run(critical, none, 10, "localhost")).containsExactly("int0 valid", "int1 valid",
                "peer " + SAN, "peer ext:1.2.3.4.5!", "peer valid_peer");
        // unknown for a non-critical extension just goes on
        Chains nonCritical = GOOD.withPeer(b -> b.addExtension("1.2.3.4.5", false, new byte[] {5, 0}));
        assertThat(run(nonCritical, Recorder.verifyPeer(), 10, "localhost")).endsWith("peer ext:1.2.3.4.5",
                "peer valid_peer");
    }

    @Test
    void theExtensionEventCarriesTheDerOfTheValue() {
        Chains critical = GOOD.withPeer(b -> b.addExtension("1.2.3.4.5", true, new byte[] {5, 0}));
        Recorder<Object> fun = new Recorder<>((cert, event, s) -> {
            if (event instanceof VerifyEvent.Extension e && e.oid().equals("1.2.3.4.5")) {
                assertThat(e.der()).containsExactly(5, 0);
                assertThat(e.critical()).isTrue();
                return VerifyResult.valid(s);
            }
            return VerifyFun.verifyPeer().verify(cert, event, s);
        });
        assertThat(run(critical, fun, 10, "localhost")).endsWith("peer valid_peer");
    }

    @Test
    void extendedKeyUsageMustAllowThePurpose() {
        Chains clientOnly = GOOD.withPeer(b -> b.extendedKeyUsage(true, Chains.CLIENT_AUTH));
        assertThat(run(clientOnly, Recorder.verifyPeer(), 10, "localhost"))
                .endsWith("peer {bad_cert,invalid_ext_key_usage}", "FAIL invalid_ext_key_usage");
        PathValidator v = validator(List.of(GOOD.root.certificate()), VerifyFun.verifyPeer(), null, 10);
        assertThat(catchReason(() -> v.validate(clientOnly.sent(), Purpose.CLIENT_AUTH, null, null))).isNull();
        Chains both = GOOD.withPeer(b -> b.extendedKeyUsage(true, Chains.SERVER_AUTH, Chains.CLIENT_AUTH));
        assertThat(run(both, Recorder.verifyPeer(), 10, "localhost")).endsWith("peer valid_peer");
    }

    @Test
    void validOnAProblemGoesOnAndEveryProblemIsReportedInOrder() {
        HeldCertificate stranger = HeldCertificate.builder().build();
        Chains bad = GOOD.withPeer(b -> b.validity(Chains.daysAgo(10), Chains.daysAgo(5))
                .signatureKey(stranger.privateKey()).keyUsage(KeyUsage.keyCertSign)
                .extendedKeyUsage(false, Chains.CLIENT_AUTH));
        // OTP's order: extKeyUsage where the walk over the extensions meets it, then time, signature, host name;
        // the peer's keyUsage is left to the handshake
        assertThat(run(bad, Recorder.acceptAll(), 10, "other.example"))
                .containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer {bad_cert,invalid_ext_key_usage}",
                        "peer {bad_cert,cert_expired}", "peer {bad_cert,invalid_signature}",
                        "peer {bad_cert,hostname_check_failed}");
    }

    @Test
    void failStopsAtOnceWithItsReasonAndAUserReasonIsHandshakeFailure() {
        VerifyFun<Object> failOnInt1 = (cert, event, s) -> Recorder.cn(cert).equals("int1")
                && event instanceof VerifyEvent.Valid ? VerifyResult.fail("int1_is_banned") : VerifyResult.valid(s);
        Recorder<Object> fun = new Recorder<>(failOnInt1);
        PathValidator v = validator(List.of(GOOD.root.certificate()), fun, null, 10);
        assertThatThrownBy(() -> v.validate(GOOD.sent(), Purpose.SERVER_AUTH, "localhost", null))
                .isInstanceOfSatisfying(CertificateRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(new BadCertReason.User("int1_is_banned"));
                    assertThat(e.sentAlert()).isEqualTo(Alert.HANDSHAKE_FAILURE);
                    assertThat(Recorder.cn(e.certificate())).isEqualTo("int1");
                    assertThat(e.event()).isEqualTo(VerifyEvent.VALID);
                });
        assertThat(fun.calls).containsExactly("int0 valid", "int1 valid");
    }

    @Test
    void theStateIsThreadedThroughEveryCallAndStartsAfreshEachTime() throws Exception {
        // OTP's verify_fun_always_run: count valid events; fail at valid_peer unless the count is 2
        VerifyFun<Integer> count = (cert, event, n) -> {
            if (event instanceof VerifyEvent.ValidPeer) {
                return n == 2 ? VerifyResult.valid(n + 1) : VerifyResult.fail("count_" + n);
            }
            return event instanceof VerifyEvent.Valid ? VerifyResult.valid(n + 1) : VerifyResult.unknown(n);
        };
        PathValidator v = validator(List.of(GOOD.root.certificate()), count, 0, 10);
        assertThat(v.validate(GOOD.sent(), Purpose.SERVER_AUTH, "localhost", null)).isEqualTo(3);
        assertThat(v.validate(GOOD.sent(), Purpose.SERVER_AUTH, "localhost", null)).isEqualTo(3);
        PathValidator starts5 = validator(List.of(GOOD.root.certificate()), count, 5, 10);
        assertThat(catchReason(() -> starts5.validate(GOOD.sent(), Purpose.SERVER_AUTH, "localhost", null)))
                .isEqualTo(new BadCertReason.User("count_7"));
    }

    @Test
    void aFunThatThrowsFailsWithTheReasonOfTheEvent() {
        VerifyFun<Object> boom = (cert, event, s) -> {
            throw new IllegalStateException("boom");
        };
        PathValidator v = validator(List.of(GOOD.root.certificate()), boom, null, 10);
        assertThatThrownBy(() -> v.validate(GOOD.sent(), Purpose.SERVER_AUTH, null, null))
                .isInstanceOfSatisfying(CertificateRejectedException.class, e -> {
                    assertThat(e.reason().erlangName()).isEqualTo("verify_fun_crashed");
                    assertThat(e.getCause().getCause()).hasMessage("boom");
                });
    }

    @Test
    void theOrderThePeerSendsItsChainInDoesNotMatterAndTheRootMayBeSent() {
        List<X509Certificate> shuffled = List.of(GOOD.peer.certificate(), GOOD.int0.certificate(),
                GOOD.root.certificate(), GOOD.int1.certificate());
        Recorder<Object> fun = Recorder.verifyPeer();
        PathValidator v = validator(List.of(GOOD.root.certificate()), fun, null, 10);
        assertThat(catchReason(() -> v.validate(shuffled, Purpose.SERVER_AUTH, "localhost", null))).isNull();
        assertThat(fun.calls).containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer valid_peer");
    }

    @Test
    void aTrustedIntermediateIsAnAnchorAndPartialChainCanMakeOne() {
        Recorder<Object> fun = Recorder.verifyPeer();
        PathValidator trustsInt0 = validator(List.of(GOOD.int0.certificate()), fun, null, 10);
        assertThat(catchReason(() -> trustsInt0.validate(GOOD.sent(), Purpose.SERVER_AUTH, "localhost", null)))
                .isNull();
        assertThat(fun.calls).containsExactly("int1 valid", "peer " + SAN, "peer valid_peer");

        Recorder<Object> fun2 = Recorder.verifyPeer();
        PartialChain trustInt1 = chain -> {
            assertThat(chain.stream().map(Recorder::cn)).containsExactly("int0", "int1", "peer");
            return Optional.of(chain.get(1));
        };
        PathValidator partial = new PathValidator(List.of(), new VerifyFun.WithState<>(fun2, null), 10, trustInt1,
                Clock.systemUTC());
        assertThat(catchReason(() -> partial.validate(GOOD.sent(), Purpose.SERVER_AUTH, "localhost", null)))
                .isNull();
        assertThat(fun2.calls).containsExactly("peer " + SAN, "peer valid_peer");
    }

    @Test
    void theDefaultFunsAreOtps() {
        X509Certificate c = GOOD.peer.certificate();
        VerifyEvent ext = new VerifyEvent.Extension("1.2.3", false, new byte[0]);
        VerifyEvent crit = new VerifyEvent.Extension("1.2.3", true, new byte[0]);
        VerifyEvent bad = VerifyEvent.badCert(BadCertReason.UNKNOWN_CA);
        VerifyFun<String> peer = VerifyFun.verifyPeer();
        assertThat(peer.verify(c, bad, "s")).isEqualTo(VerifyResult.fail(BadCertReason.UNKNOWN_CA));
        assertThat(peer.verify(c, ext, "s")).isEqualTo(VerifyResult.unknown("s"));
        assertThat(peer.verify(c, crit, "s")).isEqualTo(VerifyResult.unknown("s"));
        assertThat(peer.verify(c, VerifyEvent.VALID, "s")).isEqualTo(VerifyResult.valid("s"));
        assertThat(peer.verify(c, VerifyEvent.VALID_PEER, "s")).isEqualTo(VerifyResult.valid("s"));
        VerifyFun<String> none = VerifyFun.verifyNone();
        assertThat(none.verify(c, bad, "s")).isEqualTo(VerifyResult.valid("s"));
        assertThat(none.verify(c, ext, "s")).isEqualTo(VerifyResult.unknown("s"));
        assertThat(none.verify(c, crit, "s")).isEqualTo(VerifyResult.valid("s"));
        assertThat(none.verify(c, VerifyEvent.VALID_PEER, "s")).isEqualTo(VerifyResult.valid("s"));
    }

    private interface Call {
        void run() throws CertificateRejectedException;
    }

    private static BadCertReason catchReason(Call call) {
        try {
            call.run();
            return null;
        } catch (CertificateRejectedException e) {
            return e.reason();
        }
    }
}
