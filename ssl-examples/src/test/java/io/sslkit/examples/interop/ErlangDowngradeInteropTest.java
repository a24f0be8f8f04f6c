package io.sslkit.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sslkit.Downgraded;
import io.sslkit.Opt;
import io.sslkit.PlainSocket;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS downgrade against Erlang/OTP ({@code ci/interop/erl_downgrade_peer.escript}): an echo over TLS, then
 * {@code ssl:close(S, {self(), 10000})} on the Erlang side and {@code downgrade} on ours, then plain TCP both ways on
 * the same connection.
 *
 * <p>Erlang goes first: OTP reads its TCP socket ahead ({@code {active, N}} inside ssl), so our close_notify, if it
 * came before Erlang's {@code ssl:close/2}, would end the connection there (OTP's own tls_downgrade test has this
 * race and lets it pass as a "timeout"). So sslkit, with {@code exit_on_close false}, waits for Erlang's
 * close_notify (a {@code recv} that says {@code closed}) and then downgrades, and sends its plain bytes first.
 */
@ExtendWith(MatrixReport.class)
class ErlangDowngradeInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final Timeout WAIT = Timeout.millis(10_000);
    private static final TestPki pki = ErlangInteropTest.pki;

    private static List<String> peer(String escript, String... args) {
        List<String> cmd = new ArrayList<>(List.of(escript,
                Peers.repo().resolve("ci/interop/erl_downgrade_peer.escript").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @TestFactory
    Stream<DynamicTest> downgradeWithErlang() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Provider p : List.of(Provider.OPENSSL, Provider.JDK)) {
            for (Protocol v : List.of(Protocol.TLS_V1_3, Protocol.TLS_V1_2)) {
                String tls = v.erlangName();
                tests.add(DynamicTest.dynamicTest("erl client downgrades with sslkit server [" + p + " " + tls + "]",
                        () -> Matrix.run(ErlangInteropTest.PEER_CLIENT, "API server", "TLS downgrade",
                                tls, p.name().toLowerCase(), () -> erlClient(p, v))));
                tests.add(DynamicTest.dynamicTest("erl server downgrades with sslkit client [" + p + " " + tls + "]",
                        () -> Matrix.run(ErlangInteropTest.PEER_SERVER, "API client", "TLS downgrade",
                                tls, p.name().toLowerCase(), () -> erlServer(p, v))));
            }
        }
        return tests.stream();
    }

    private String erlClient(Provider p, Protocol v) throws Exception {
        String escript = Peers.require("escript");
        SslOptions opts = pki.serverOptions(p).versions(v).set(Opt.EXIT_ON_CLOSE, false).build();
        try (Ssl ssl = Ssl.start(); SslListenSocket listen = ssl.listen(0, opts);
             PeerProcess erl = PeerProcess.start(peer(escript, "client", Integer.toString(listen.port()),
                     pki.file("ca.pem").toString(), v.erlangName()))) {
            SslSocket s = listen.transportAccept(WAIT);
            s.handshake(WAIT);
            s.send(s.recv(5, WAIT)); // the echo
            Downgraded d = downgradeAfterErlang(s, erl);
            try (PlainSocket plain = d.socket()) {
                plain.send("plain from sslkit srv");
                assertThat(readPlain(d, 21)).isEqualTo("plain from erl client");
                return finish(erl, "plain from sslkit srv");
            }
        }
    }

    private String erlServer(Provider p, Protocol v) throws Exception {
        String escript = Peers.require("escript");
        SslOptions opts = pki.clientOptions(p).versions(v).set(Opt.EXIT_ON_CLOSE, false).build();
        try (Ssl ssl = Ssl.start(); PeerProcess erl = PeerProcess.start(peer(escript, "server",
                pki.file("server.pem").toString(), pki.file("server.key").toString(), v.erlangName()))) {
            int port = erl.awaitListening(TIMEOUT);
            SslSocket s = ssl.connect("localhost", port, opts, WAIT);
            s.send("hello");
            assertThat(new String(s.recv(5, WAIT), StandardCharsets.UTF_8)).isEqualTo("hello");
            Downgraded d = downgradeAfterErlang(s, erl);
            try (PlainSocket plain = d.socket()) {
                plain.send("plain from sslkit cli");
                assertThat(readPlain(d, 21)).isEqualTo("plain from erl server");
                return finish(erl, "plain from sslkit cli");
            }
        }
    }

    /** Lets Erlang downgrade, waits for its close_notify, then downgrades (see the class comment). */
    private static Downgraded downgradeAfterErlang(SslSocket s, PeerProcess erl) throws Exception {
        assertThat(erl.out().awaitPrefix("ready", TIMEOUT)).as("erl: %s %s", erl.out().text(), erl.err().text())
                .isPresent();
        go(erl);
        assertThatThrownBy(() -> s.recv(0, WAIT)).isInstanceOfSatisfying(SslException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
        return s.downgrade(WAIT);
    }

    private static void go(PeerProcess erl) throws IOException {
        erl.stdin().write("go\n".getBytes(StandardCharsets.US_ASCII));
        erl.stdin().flush();
    }

    private static String readPlain(Downgraded d, int n) throws SslException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(d.firstBytes());
        while (out.size() < n) {
            out.writeBytes(d.socket().recv(0, WAIT));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Waits for the Erlang side's verdict: it got {@code expected} over plain TCP. */
    private static String finish(PeerProcess erl, String expected) throws Exception {
        int code = erl.awaitExit(TIMEOUT);
        String line = erl.out().awaitPrefix("ok ", Duration.ZERO).orElse("");
        assertThat(code).as("%s\nstdout: %s\nstderr: %s", erl, erl.out().text(), erl.err().text()).isZero();
        assertThat(line).endsWith("got=" + expected);
        return line;
    }
}
