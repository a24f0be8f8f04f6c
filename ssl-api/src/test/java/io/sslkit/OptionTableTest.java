package io.sslkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The option table: each option once, a builder that only stores, one check at build(). */
class OptionTableTest {

    @Test
    void everySetterReplacesTheEarlierValueProblemsIncluded() {
        assertThat(SslOptions.builder().depth(300).depth(10).build().depth()).isEqualTo(10);
        assertThat(SslOptions.builder().ciphers("BOGUS").ciphers(CipherSuite.known().get(0)).build().ciphers())
                .containsExactly(CipherSuite.known().get(0));
        assertThat(SslOptions.builder().versionNames(List.of("tlsv9")).versions(Protocol.TLS_V1_2).build()
                .versions()).containsExactly(Protocol.TLS_V1_2);
        assertThat(SslOptions.builder().serverNameIndication("").disableServerNameIndication().build()
                .serverNameIndicationDisabled()).isTrue();
        assertThat(SslOptions.builder().set(Opt.BACKLOG, -1).set(Opt.BACKLOG, 5).build().get(Opt.BACKLOG))
                .isEqualTo(5);
    }

    @Test
    void buildReportsEveryProblemTheFirstAsTheReason() {
        SslOptionsException e = catchThrowableOfType(SslOptionsException.class,
                () -> SslOptions.builder().depth(300).renegotiateAt(0).alpnPreferredProtocols("").build());
        assertThat(e.reason()).isEqualTo(Reason.Options.of("depth", 300));
        assertThat(e.problems()).containsExactly(Reason.Options.of("depth", 300),
                Reason.Options.of("renegotiate_at", 0L),
                Reason.Options.of("alpn_preferred_protocols", "{invalid_protocol,<<>>}"));
        assertThat(e.getSuppressed()).hasSize(2);
        assertThat(e.getMessage()).contains("and 2 more", "renegotiate_at", "alpn_preferred_protocols");
    }

    @Test
    void aSingleProblemKeepsItsShape() {
        SslOptionsException e = catchThrowableOfType(SslOptionsException.class,
                () -> SslOptions.builder().depth(-1).build());
        assertThat(e.reason().toString()).isEqualTo("{options,{depth,-1}}");
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getSuppressed()).isEmpty();
        assertThat(e.getMessage()).isEqualTo(Ssl.formatError(e.reason()));
    }

    @Test
    void certDerThatDoesNotDecodeIsNamed() {
        assertThat(catchThrowableOfType(SslOptionsException.class,
                () -> SslOptions.builder().certDer(new byte[] {1, 2, 3}).build()).reason())
                .isEqualTo(new Reason.Options("cert", "<<DER>>", "bad_der"));
    }

    @Test
    void theTableDeclaresEachOptionOnceWithKindRoleAndDefault() {
        Set<String> rows = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (OptionSpec<?> spec : SslOptions.table()) {
            if (!rows.add(spec.name() + "/" + spec.role())) {
                twice.add(spec.name());
            }
            assertThat(spec.kind()).isNotNull();
        }
        // the two forms of one OTP option that exclude each other: {key, Key} as a Java key or as DER, and
        // {server_name_indication, Host | disable}
        assertThat(twice).containsExactlyInAnyOrder("key", "server_name_indication");
        OptionSpec<?> depth = SslOptions.table().stream().filter(s -> s.name().equals("depth")).findFirst()
                .orElseThrow();
        assertThat(depth.defaultValue()).isEqualTo(SslOptions.DEFAULT_DEPTH);
        assertThat(depth.kind()).isEqualTo(OptionSpec.Kind.TLS);
        assertThat(SslOptions.table().stream().filter(s -> s.name().equals("alpn_preferred_protocols"))
                .findFirst().orElseThrow().role()).isEqualTo(OptionSpec.Role.SERVER);
        assertThat(SslOptions.table().stream().filter(s -> s.name().equals("owner")).findFirst().orElseThrow()
                .kind()).isEqualTo(OptionSpec.Kind.EMULATED);
    }

    @Test
    void roleFactories() {
        SslOptions client = SslOptions.client().systemCacerts(true).build();
        assertThat(client.verify()).contains(Verify.VERIFY_PEER);
        SslOptions server = SslOptions.server(Path.of("server.pem"), Path.of("server.key")).build();
        assertThat(server.certfile()).contains(Path.of("server.pem"));
        assertThat(server.keyfile()).contains(Path.of("server.key"));
        assertThat(server.serverVerify()).isEqualTo(Verify.VERIFY_NONE);
        assertThatThrownBy(() -> SslOptions.server(List.of(), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void toBuilderKeepsEveryOptionAndArraysAreCopied() {
        char[] password = "secret".toCharArray();
        SslOptions o = SslOptions.builder().password(password).depth(3).honorCipherOrder(true)
                .alpnAdvertisedProtocols("h2").build();
        password[0] = 'X';
        assertThat(o.password().orElseThrow()).containsExactly("secret".toCharArray());
        o.password().orElseThrow()[0] = 'Y';
        assertThat(o.password().orElseThrow()[0]).isEqualTo('s');
        assertThat(o.toBuilder().build().toString()).isEqualTo(o.toString());
        assertThat(o.toString()).isEqualTo("[{password,\"*****\"},{versions,[tlsv1.3, tlsv1.2]},{provider,auto},"
                + "{depth,3},{honor_cipher_order,true},{alpn_advertised_protocols,[<<\"h2\">>]}]");
    }
}
