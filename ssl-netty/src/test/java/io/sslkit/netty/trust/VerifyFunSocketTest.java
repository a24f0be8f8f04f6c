package io.sslkit.netty.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Alert;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslOptions;
import io.sslkit.Verify;
import io.sslkit.VerifyEvent;
import io.sslkit.VerifyFun;
import io.sslkit.VerifyResult;
import io.sslkit.netty.testing.Loopback;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The verify_fun as the engines run it: what it sees, what it decides, and host names (scenarios 47–53). */
class VerifyFunSocketTest extends io.sslkit.netty.testing.RuntimeTest {

    private static final String SAN = "ext:2.5.29.17";
    private static final Chains GOOD = Chains.good();




    private static SslOptions.Builder server(Provider p, Protocol v, Chains c) {
        return SslOptions.builder().provider(p).versions(v).cert(c.sent()).key(c.peer.privateKey());
    }

    private static SslOptions.Builder client(Provider p, Protocol v) {
        return SslOptions.builder().provider(p).versions(v).cacerts(GOOD.root.certificate());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void theClientsFunSeesTheServersChainFromTheTopDown(Provider p, Protocol v) throws Exception {
        Recorder<Object> fun = Recorder.verifyPeer();
        try (var pair = Loopback.connect(ssl, server(p, v, GOOD).build(), client(p, v).verifyFun(fun, null)
                .build())) {
            assertThat(pair.client().peercert().certificate()).isEqualTo(GOOD.peer.certificate());
        }
        assertThat(fun.calls).containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer valid_peer");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aVerifyPeerServerRunsItsFunOnTheClientsChainWithoutAHostNameCheck(Provider p, Protocol v)
            throws Exception {
        Recorder<Object> fun = Recorder.verifyPeer();
        Chains clientChain = GOOD.withPeer(b -> b.commonName("peer").addSubjectAlternativeName("client.example"));
        SslOptions srv = server(p, v, GOOD).verify(Verify.VERIFY_PEER).cacerts(GOOD.root.certificate())
                .verifyFun(fun, null).build();
        SslOptions cli = client(p, v).cert(clientChain.sent()).key(clientChain.peer.privateKey()).build();
        try (var pair = Loopback.connect(ssl, srv, cli)) {
            pair.client().send("x");
            assertThat(pair.server().recv(1)).containsExactly('x');
            assertThat(pair.server().peercert().certificate()).isEqualTo(clientChain.peer.certificate());
        }
        assertThat(fun.calls).containsExactly("int0 valid", "int1 valid", "peer " + SAN, "peer valid_peer");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void verifyFunAlwaysRunsAndItsFailStopsTheHandshake(Provider p, Protocol v) throws Exception {
        // OTP's verify_fun_always_run_client: count valid events; fail at valid_peer when the count is 2
        VerifyFun<Integer> count = (cert, event, n) -> {
            if (event instanceof VerifyEvent.ValidPeer) {
                return n == 2 ? VerifyResult.fail("verify_fun_always_run") : VerifyResult.valid(n);
            }
            return event instanceof VerifyEvent.Valid ? VerifyResult.valid(n + 1) : VerifyResult.unknown(n);
        };
        AlertProbe.Outcome o = AlertProbe.run(ssl, server(p, v, GOOD).build(), client(p, v).verifyFun(count, 0)
                .build());
        Alert expected = p == Provider.OPENSSL ? Alert.HANDSHAKE_FAILURE : Alert.CERTIFICATE_UNKNOWN;
        assertThat(o.client()).isEqualTo(new Reason.TlsAlert(expected, Reason.TlsAlert.Origin.LOCAL,
                Reason.TlsAlert.Role.CLIENT, "{bad_cert,verify_fun_always_run}"));
        assertThat(o.server()).isEqualTo(new Reason.TlsAlert(expected, Reason.TlsAlert.Origin.PEER,
                Reason.TlsAlert.Role.SERVER, ""));
        // the same fun with an initial count of 5 never fails
        assertThat(AlertProbe.run(ssl, server(p, v, GOOD).build(), client(p, v).verifyFun(count, 5).build())
                .bothOk()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void anAcceptAllFunSeesOnlySelfsignedPeerForASelfSignedServer(Provider p, Protocol v) throws Exception {
        Recorder<Object> fun = Recorder.acceptAll();
        Chains self = GOOD.withSelfSignedPeer();
        assertThat(AlertProbe.run(ssl, server(p, v, self).build(), client(p, v).verifyFun(fun, null).build())
                .bothOk()).isTrue();
        assertThat(fun.calls).containsExactly("peer {bad_cert,selfsigned_peer}");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void verifyNoneRunsAGivenFunButAcceptsAnythingWithout(Provider p, Protocol v) throws Exception {
        Chains expired = GOOD.withPeer(b -> b.validity(Chains.daysAgo(10), Chains.daysAgo(5)));
        SslOptions plainNone = SslOptions.builder().provider(p).versions(v).verify(Verify.VERIFY_NONE).build();
        assertThat(AlertProbe.run(ssl, server(p, v, expired).build(), plainNone).bothOk()).isTrue();

        // verify_none with a fun and no CAs: the fun judges an unknown_ca chain, and the host name
        Recorder<Object> fun = new Recorder<>(VerifyFun.verifyNone());
        SslOptions withFun = SslOptions.builder().provider(p).versions(v).verify(Verify.VERIFY_NONE)
                .verifyFun(fun, null).build();
        assertThat(AlertProbe.run(ssl, server(p, v, expired).build(), withFun).bothOk()).isTrue();
        assertThat(fun.calls).containsExactly("int0 {bad_cert,unknown_ca}", "int1 valid", "peer " + SAN,
                "peer {bad_cert,cert_expired}", "peer valid_peer");

        SslOptions strictFun = SslOptions.builder().provider(p).versions(v).verify(Verify.VERIFY_NONE)
                .cacerts(GOOD.root.certificate()).verifyFun(VerifyFun.verifyPeer(), null).build();
        assertThat(AlertProbe.run(ssl, server(p, v, expired).build(), strictFun).client())
                .isInstanceOf(Reason.TlsAlert.class);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void theNameCheckedIsTheSniNameElseTheHostAndDisableTurnsItOff(Provider p, Protocol v) throws Exception {
        SslOptions srv = server(p, v, GOOD).build();
        // a name with a dot is sent as SNI and checked; the server sees it
        try (var pair = Loopback.connect(ssl, srv, client(p, v).serverNameIndication("server.sslkit.test")
                .build())) {
            assertThat(pair.server().connectionInfo().sniHostname()).contains("server.sslkit.test");
        }
        // an IP literal is checked against the iPAddress names
        assertThat(AlertProbe.run(ssl, srv, client(p, v).build(), "127.0.0.1").bothOk()).isTrue();
        // a name the certificate lacks fails, unless SNI (and with it the check) is disabled
        Reason wrong = AlertProbe.run(ssl, srv, client(p, v).serverNameIndication("vm.example").build()).client();
        assertThat(((Reason.TlsAlert) wrong).detail()).isEqualTo("{bad_cert,hostname_check_failed}");
        assertThat(AlertProbe.run(ssl, srv, client(p, v).serverNameIndication("vm.example")
                .disableServerNameIndication().build()).bothOk()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void depthTwoAcceptsTheChainThatDepthOneRefuses(Provider p, Protocol v) throws Exception {
        assertThat(AlertProbe.run(ssl, server(p, v, GOOD).build(), client(p, v).depth(2).build()).bothOk())
                .isTrue();
        Reason r = AlertProbe.run(ssl, server(p, v, GOOD).build(), client(p, v).depth(1).build()).client();
        assertThat(((Reason.TlsAlert) r).detail()).isEqualTo("{bad_cert,max_path_length_reached}");
    }
}
