package io.sslkit.examples.otpdiff;

import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.Verify;
import io.sslkit.VerifyEvent;
import io.sslkit.VerifyFun;
import io.sslkit.VerifyResult;
import io.sslkit.examples.interop.CliPeers;
import io.sslkit.examples.interop.PeerProcess;
import io.sslkit.examples.interop.Peers;
import io.sslkit.netty.certs.HeldCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.naming.ldap.LdapName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify_fun event sequences, outcome and alert: an OTP client ({@code ci/interop/otpdiff_verify.escript}) and an
 * sslkit client on each engine connect to the same {@code openssl s_server} serving a generated chain, with the same
 * fun (OTP's default behaviour, or accept-all). Chains: valid with intermediates, expired, not yet valid, unknown CA,
 * self-signed peer, bad signature with and without key identifiers, a CA without basicConstraints, a CA without
 * keyCertSign, path length (depth), extKeyUsage, a peer with keyUsage keyEncipherment only, an unknown critical
 * extension, name constraints, a host name mismatch, and a trusted intermediate (OTP's partial_chain case).
 *
 * <p>Documented deviations (README, "Deviations from OTP"), each limited to the engine and case it names:
 * <ul>
 *   <li>{@code trusted_intermediate_anchors}: a trusted intermediate anchors the path in sslkit (RFC 5280); OTP
 *       needs a {@code partial_chain} fun and says {@code unknown_ca} without one;</li>
 *   <li>{@code jdk_engine_alert}: the same events, but the JDK engine (JDK 17) sends {@code certificate_unknown}
 *       whatever the fun failed with, where OTP sends the alert of the reason ({@code unknown_ca},
 *       {@code bad_certificate}, {@code certificate_expired}, ...): its client-side alert comes from JSSE, which
 *       maps any trust manager failure to {@code certificate_unknown};</li>
 *   <li>{@code boringssl_peer_key_usage}: BoringSSL refuses a server certificate whose keyUsage does not allow its
 *       TLS use before any fun is called; OTP (and sslkit on the JDK engine) accept it.</li>
 * </ul>
 */
class VerifyFunDiffTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final long SEED = 0; // no randomness: the matrix is fixed

    /** One chain served by one s_server, and how the client is set up for it. */
    record Chain(String name, List<HeldCertificate> served, HeldCertificate ca, String host, int depth) {
    }

    @TempDir
    Path dir;

    @Test
    void verifyFunEventsAgreeWithOtp() throws Exception {
        String openssl = Peers.require("openssl");
        Peers.require("escript");
        List<Chain> chains = chains();
        List<PeerProcess> servers = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        try {
            for (Chain c : chains) {
                int port = CliPeers.freePort();
                servers.add(PeerProcess.start(serverCommand(openssl, c, port)));
                ports.put(c.name(), port);
            }
            for (int port : ports.values()) {
                CliPeers.awaitListening(port);
            }
            List<String> lines = new ArrayList<>();
            Map<String, String[]> byId = new LinkedHashMap<>();
            for (Chain c : chains) {
                for (String fun : new String[] {"default", "accept"}) {
                    String id = c.name() + "/" + fun;
                    byId.put(id, new String[] {c.name(), fun});
                    lines.add(id + " " + ports.get(c.name()) + " " + write(c.name() + "-ca.pem",
                            c.ca().certificatePem()) + " " + c.host() + " " + c.depth() + " " + fun);
                }
            }
            Map<String, String> otp = OtpOracle.ask("otpdiff_verify.escript", lines);
            OtpOracle.Tally tally = new OtpOracle.Tally("verify_fun", SEED);
            try (Ssl ssl = Ssl.start()) {
                for (Chain c : chains) {
                    for (String fun : new String[] {"default", "accept"}) {
                        String id = c.name() + "/" + fun;
                        for (Provider p : new Provider[] {Provider.JDK, Provider.OPENSSL}) {
                            String mine = sslkit(ssl, p, c, ports.get(c.name()), fun);
                            String theirs = otp.getOrDefault(id, "<no answer>");
                            tally.add(id + " " + p, c.name() + " " + fun + " " + p, theirs, mine,
                                    deviation(c, p, theirs, mine));
                        }
                    }
                }
            }
            tally.report();
        } finally {
            servers.forEach(PeerProcess::close);
        }
    }

    static String deviation(Chain c, Provider p, String otp, String sslkit) {
        String otpEvents = otp.substring(otp.indexOf('|') + 1);
        String events = sslkit.substring(sslkit.indexOf('|') + 1);
        if (p == Provider.JDK && otpEvents.equals(events) && sslkit.startsWith("alert:certificate_unknown|")) {
            return "jdk_engine_alert";
        }
        if (c.name().equals("trusted-intermediate")) {
            return "trusted_intermediate_anchors";
        }
        if (c.name().equals("peer-key-encipherment-only") && p == Provider.OPENSSL) {
            return "boringssl_peer_key_usage";
        }
        return null;
    }

    private String sslkit(Ssl ssl, Provider p, Chain c, int port, String funName) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        VerifyFun<Object> answer = funName.equals("accept") ? (cert, e, s) -> VerifyResult.valid(s)
                : VerifyFun.verifyPeer();
        VerifyFun<Object> fun = (cert, event, s) -> {
            events.add(cn(cert) + " " + describe(event));
            return answer.verify(cert, event, s);
        };
        SslOptions o = SslOptions.builder().provider(p).verify(Verify.VERIFY_PEER)
                .cacertfile(dir.resolve(c.name() + "-ca.pem")).depth(c.depth()).serverNameIndication(c.host())
                .verifyFun(fun, null).build();
        String outcome;
        try (SslSocket s = ssl.connect("localhost", port, o, Timeout.millis(TIMEOUT.toMillis()))) {
            outcome = "ok";
        } catch (SslException e) {
            outcome = e.reason() instanceof Reason.TlsAlert a ? "alert:" + a.alert().erlangName()
                    : "error:" + e.reason();
        }
        return outcome + "|" + String.join(";", events);
    }

    static String describe(VerifyEvent event) {
        if (event instanceof VerifyEvent.Extension e) {
            return "ext:" + e.oid() + (e.critical() ? "!" : "");
        }
        return event.toString();
    }

    static String cn(X509Certificate cert) {
        try {
            return new LdapName(cert.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> String.valueOf(r.getValue()))
                    .findFirst().orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    private List<String> serverCommand(String openssl, Chain c, int port) throws Exception {
        HeldCertificate leaf = c.served().get(0);
        StringBuilder chain = new StringBuilder();
        for (HeldCertificate h : c.served().subList(1, c.served().size())) {
            chain.append(h.certificatePem());
        }
        List<String> cmd = new ArrayList<>(List.of(openssl, "s_server", "-accept", "127.0.0.1:" + port, "-cert",
                write(c.name() + "-leaf.pem", leaf.certificatePem()), "-key",
                write(c.name() + "-leaf.key", leaf.privateKeyPkcs8Pem()), "-quiet"));
        if (chain.length() > 0) {
            cmd.addAll(List.of("-cert_chain", write(c.name() + "-chain.pem", chain.toString())));
        }
        return cmd;
    }

    private String write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) {
            Files.writeString(p, text);
        }
        return p.toString();
    }

    /** The matrix. Every chain is root → int0 → int1 → peer unless it says otherwise; the peer names localhost. */
    static List<Chain> chains() {
        Instant now = Instant.now();
        List<Chain> out = new ArrayList<>();
        Pki good = Pki.make(b -> b, b -> b, b -> b, b -> b);
        out.add(good.chain("valid", "localhost", 10));
        out.add(Pki.make(b -> b, b -> b, b -> b, b -> b.validity(now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(5)))).chain("expired", "localhost", 10));
        out.add(Pki.make(b -> b, b -> b, b -> b, b -> b.validity(now.plus(Duration.ofDays(5)),
                now.plus(Duration.ofDays(10)))).chain("not-yet-valid", "localhost", 10));
        HeldCertificate stranger = HeldCertificate.builder().commonName("stranger").certificateAuthority(2).build();
        out.add(new Chain("unknown-ca", good.served(), stranger, "localhost", 10));
        HeldCertificate self = HeldCertificate.builder().commonName("peer").addSubjectAlternativeName("localhost")
                .build();
        out.add(new Chain("self-signed-peer", List.of(self), good.root, "localhost", 10));
        HeldCertificate forger = HeldCertificate.builder().build();
        out.add(Pki.make(b -> b, b -> b, b -> b, b -> b.signatureKey(forger.privateKey()))
                .chain("bad-signature", "localhost", 10));
        out.add(Pki.make(HeldCertificate.Builder::withoutKeyIdentifiers,
                HeldCertificate.Builder::withoutKeyIdentifiers, HeldCertificate.Builder::withoutKeyIdentifiers,
                b -> b.withoutKeyIdentifiers().signatureKey(forger.privateKey()))
                .chain("bad-signature-no-key-ids", "localhost", 10));
        out.add(Pki.make(b -> b, b -> b, b -> b.withoutBasicConstraints(), b -> b)
                .chain("ca-without-basic-constraints", "localhost", 10));
        out.add(Pki.make(b -> b, b -> b, b -> b.keyUsage(KeyUsage.digitalSignature), b -> b)
                .chain("ca-without-key-cert-sign", "localhost", 10));
        out.add(good.chain("depth-1", "localhost", 1));
        out.add(Pki.make(b -> b, b -> b.certificateAuthority(0), b -> b, b -> b).chain("path-len-0", "localhost", 10));
        out.add(Pki.make(b -> b, b -> b, b -> b, b -> b.extendedKeyUsage(false, "1.3.6.1.5.5.7.3.2"))
                .chain("eku-client-only", "localhost", 10));
        out.add(Pki.make(b -> b, b -> b, b -> b, b -> b.keyUsage(KeyUsage.keyEncipherment))
                .chain("peer-key-encipherment-only", "localhost", 10));
        out.add(Pki.make(b -> b, b -> b, b -> b, b -> b.addExtension("1.2.3.4.5", true, new byte[] {5, 0}))
                .chain("unknown-critical-extension", "localhost", 10));
        out.add(Pki.make(b -> b, b -> b.nameConstraints(List.of("example.org"), List.of()), b -> b, b -> b)
                .chain("name-not-permitted", "localhost", 10));
        out.add(good.chain("hostname-mismatch", "other.example", 10));
        out.add(new Chain("trusted-intermediate", good.served(), good.int0, "localhost", 10));
        return out;
    }

    /** A four-certificate PKI, each certificate built with a change. */
    record Pki(HeldCertificate root, HeldCertificate int0, HeldCertificate int1, HeldCertificate peer) {
        static Pki make(UnaryOperator<HeldCertificate.Builder> r, UnaryOperator<HeldCertificate.Builder> i0,
                UnaryOperator<HeldCertificate.Builder> i1, UnaryOperator<HeldCertificate.Builder> p) {
            HeldCertificate root = r.apply(HeldCertificate.builder().commonName("root").certificateAuthority(3))
                    .build();
            HeldCertificate int0 = i0.apply(HeldCertificate.builder().commonName("int0").certificateAuthority(2))
                    .signedBy(root).build();
            HeldCertificate int1 = i1.apply(HeldCertificate.builder().commonName("int1").certificateAuthority(1))
                    .signedBy(int0).build();
            HeldCertificate peer = p.apply(HeldCertificate.builder().commonName("peer")
                    .addSubjectAlternativeName("localhost")).signedBy(int1).build();
            return new Pki(root, int0, int1, peer);
        }

        List<HeldCertificate> served() {
            return List.of(peer, int1, int0);
        }

        Chain chain(String name, String host, int depth) {
            return new Chain(name, served(), root, host, depth);
        }
    }
}
