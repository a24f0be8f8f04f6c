package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sslkit.Active;
import io.sslkit.Mailbox;
import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslOptionsException;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Active modes and owners over real TLS connections ({@code ERLANG-SSL.md} §3, scenarios 17–24, 32). */
class ActiveModeTest extends RuntimeTest {

    private static final Timeout WAIT = Timeout.millis(10_000);
    private static final TestPki PKI = TestPki.ec();




    /** A pair whose client is owned by {@code owner} with the given active mode; the server is passive. */
    private static Pair pair(Provider p, Protocol v, Mailbox owner, Active active) throws Exception {
        SslOptions client = PKI.clientOptions(p).versions(v).owner(owner).active(active).build();
        return Loopback.connect(ssl, PKI.serverOptions(p).versions(v).build(), client);
    }

    private static SslMessage next(Mailbox m) throws InterruptedException {
        return m.receive(WAIT).orElseThrow(() -> new AssertionError("no message within " + WAIT + " ms"));
    }

    private static String text(SslMessage m) {
        assertThat(m).isInstanceOf(SslMessage.Data.class);
        return new String(((SslMessage.Data) m).bytes(), StandardCharsets.UTF_8);
    }

    /** Reads Data messages until {@code n} bytes arrived; returns them. */
    private static String collect(Mailbox m, int n) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            out.writeBytes(((SslMessage.Data) next(m)).bytes());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void activeTrueDeliversEverythingThenClosed(Provider p, Protocol v) throws Exception {
        Mailbox mailbox = new Mailbox();
        try (Pair pair = pair(p, v, mailbox, Active.TRUE)) {
            pair.server().send("one");
            pair.server().send("two");
            pair.server().close();
            assertThat(collect(mailbox, 6)).isEqualTo("onetwo");
            assertThat(next(mailbox)).isEqualTo(new SslMessage.Closed(pair.client()));
            assertThat(mailbox.receive(Timeout.millis(200))).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void activeOnceDeliversExactlyOneMessageThenIsPassive(Provider p, Protocol v) throws Exception {
        Mailbox mailbox = new Mailbox();
        try (Pair pair = pair(p, v, mailbox, Active.ONCE)) {
            pair.server().send("first");
            SslMessage m = next(mailbox);
            assertThat(text(m)).isEqualTo("first");
            assertThat(m.socket()).isSameAs(pair.client());
            assertThat(pair.client().getopt(Opt.ACTIVE)).isEqualTo(Active.FALSE);
            for (int i = 0; i < 5; i++) {
                pair.server().send("x" + i);
            }
            assertThat(mailbox.receive(Timeout.millis(300))).isEmpty();
            assertThat(new String(pair.client().recv(10, WAIT), StandardCharsets.UTF_8))
                    .isEqualTo("x0x1x2x3x4");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void aCloseSeenWhilePassiveIsDeliveredByTheNextOnce(Provider p, Protocol v) throws Exception {
        Mailbox mailbox = new Mailbox();
        try (Pair pair = pair(p, v, mailbox, Active.FALSE)) {
            for (int i = 0; i < 20; i++) {
                pair.server().send(String.format("%02d", i));
            }
            pair.server().close();
            StringBuilder got = new StringBuilder();
            while (true) {
                pair.client().setopts(Opt.ACTIVE.of(Active.ONCE));
                SslMessage m = next(mailbox);
                if (m instanceof SslMessage.Closed) {
                    break;
                }
                got.append(text(m));
            }
            assertThat(got.toString()).hasSize(40).startsWith("0001").endsWith("1819");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void activeNCountsMessagesSendsPassiveOnceAndIsAdditive(Provider p, Protocol v) throws Exception {
        Mailbox mailbox = new Mailbox();
        try (Pair pair = pair(p, v, mailbox, Active.count(2))) {
            pair.client().setopts(Opt.ACTIVE.of(Active.count(1))); // additive: 3
            assertThat(pair.client().getopt(Opt.ACTIVE)).isEqualTo(Active.count(3));
            for (int i = 0; i < 3; i++) {
                pair.server().send("m" + i);
                assertThat(text(next(mailbox))).isEqualTo("m" + i); // one at a time: no coalescing
            }
            assertThat(next(mailbox)).isEqualTo(new SslMessage.Passive(pair.client()));
            assertThat(pair.client().getopt(Opt.ACTIVE)).isEqualTo(Active.FALSE);
            pair.server().send("later");
            assertThat(mailbox.receive(Timeout.millis(300))).isEmpty();
            assertThat(pair.client().recv(5, WAIT)).isEqualTo("later".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void activeZeroOrANegativeTotalSendsPassiveAtOnceAndOutOfRangeChangesNothing() throws Exception {
        Mailbox mailbox = new Mailbox();
        try (Pair pair = pair(Provider.AUTO, Protocol.TLS_V1_3, mailbox, Active.count(5))) {
            pair.client().setopts(Opt.ACTIVE.of(Active.count(-7)));
            assertThat(next(mailbox)).isEqualTo(new SslMessage.Passive(pair.client()));
            assertThat(pair.client().getopt(Opt.ACTIVE)).isEqualTo(Active.FALSE);
            pair.client().setopts(Opt.ACTIVE.of(Active.count(0)));
            assertThat(next(mailbox)).isEqualTo(new SslMessage.Passive(pair.client()));
            pair.client().setopts(Opt.ACTIVE.of(Active.count(32767)));
            assertThatThrownBy(() -> pair.client().setopts(Opt.ACTIVE.of(Active.count(1))))
                    .isInstanceOf(SslException.class)
                    .extracting(e -> ((SslException) e).reason())
                    .isEqualTo(Reason.Options.of("socket_options", "{active,1}"));
            assertThat(pair.client().getopt(Opt.ACTIVE)).isEqualTo(Active.count(32767));
            pair.client().setopts(Opt.ACTIVE.of(Active.TRUE)); // true replaces the counter
            assertThat(pair.client().getopt(Opt.ACTIVE)).isEqualTo(Active.TRUE);
            assertThatThrownBy(() -> Active.count(32768)).isInstanceOf(SslOptionsException.class);
            assertThatThrownBy(() -> Active.count(-32769)).isInstanceOf(SslOptionsException.class);
        }
    }

    @Test
    void setoptsThatFailsChangesNoOptionAtAll() throws Exception {
        Mailbox mailbox = new Mailbox();
        try (Pair pair = pair(Provider.AUTO, Protocol.TLS_V1_3, mailbox, Active.count(32767))) {
            // The out-of-range active comes last: the TCP and emulated options before it must not change either
            assertThatThrownBy(() -> pair.client().setopts(Opt.NODELAY.of(true), Opt.PACKET.of(PacketType.FOUR),
                    Opt.ACTIVE.of(Active.count(1))))
                    .isInstanceOf(SslException.class)
                    .extracting(e -> ((SslException) e).reason())
                    .isEqualTo(Reason.Options.of("socket_options", "{active,1}"));
            assertThat(pair.client().getopts(Opt.NODELAY, Opt.PACKET, Opt.ACTIVE)).containsExactly(
                    org.assertj.core.api.Assertions.entry(Opt.NODELAY, false),
                    org.assertj.core.api.Assertions.entry(Opt.PACKET, PacketType.RAW),
                    org.assertj.core.api.Assertions.entry(Opt.ACTIVE, Active.count(32767)));
            // A bind option anywhere in the list: refused before anything changes
            assertThatThrownBy(() -> pair.client().setopts(Opt.NODELAY.of(true), Opt.BACKLOG.of(5)))
                    .isInstanceOf(SslException.class);
            assertThat(pair.client().getopt(Opt.NODELAY)).isFalse();
        }
    }

    @Test
    void recvOnAnActiveSocketIsEinval() throws Exception {
        Mailbox mailbox = new Mailbox();
        for (Active a : List.of(Active.TRUE, Active.ONCE, Active.count(1))) {
            try (Pair pair = pair(Provider.AUTO, Protocol.TLS_V1_3, mailbox, a)) {
                assertThatThrownBy(() -> pair.client().recv(0, Timeout.millis(100)))
                        .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.EINVAL);
            }
        }
    }

    @Test
    void anActiveModeWithoutAnOwnerIsAnOptionsError() throws Exception {
        assertThatThrownBy(() -> SslOptions.builder().active(Active.TRUE).build())
                .isInstanceOf(SslOptionsException.class)
                .extracting(e -> ((SslOptionsException) e).reason())
                .isEqualTo(new Reason.Options("active", "true", "no_owner"));
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(),
                PKI.clientOptions(Provider.AUTO).build())) {
            assertThatThrownBy(() -> pair.client().setopts(Opt.ACTIVE.of(Active.ONCE)))
                    .extracting(e -> ((SslException) e).reason())
                    .isEqualTo(new Reason.Options("socket_options", "{active,once}", "no_owner"));
        }
    }

    @Test
    void onlyTheCurrentOwnerCanMoveTheSocketAndMessagesFollowIt() throws Exception {
        Mailbox first = new Mailbox();
        Mailbox second = new Mailbox();
        try (Pair pair = pair(Provider.AUTO, Protocol.TLS_V1_3, first, Active.TRUE)) {
            assertThatThrownBy(() -> pair.client().controllingProcess(second, second))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.Atom.NOT_OWNER);
            pair.client().controllingProcess(first, second);
            pair.server().send("to the new owner");
            assertThat(collect(second, 16)).isEqualTo("to the new owner");
            assertThat(first.receive(Timeout.millis(200))).isEmpty();
            // a socket without an owner is taken with current == null
            pair.server().controllingProcess(null, first);
            assertThatThrownBy(() -> pair.server().controllingProcess(null, second))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.Atom.NOT_OWNER);
            pair.client().close();
            assertThatThrownBy(() -> pair.client().controllingProcess(second, first))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(Reason.CLOSED);
        }
    }

    @Test
    void aCallbackOwnerThatThrowsDoesNotBreakTheConnection() throws Exception {
        StringBuffer seen = new StringBuffer();
        CountDownLatch bothBytes = new CountDownLatch(2);
        SslOptions client = PKI.clientOptions(Provider.AUTO).active(Active.TRUE).owner(m -> {
            if (m instanceof SslMessage.Data d) {
                for (byte b : d.bytes()) {
                    seen.append((char) b);
                    bothBytes.countDown();
                }
                throw new IllegalStateException("owner bug");
            }
        }).build();
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(), client)) {
            pair.server().send("a");
            pair.server().send("b");
            assertThat(bothBytes.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen.toString()).isEqualTo("ab");
            pair.client().send("still works");
            assertThat(pair.server().recv(11, WAIT)).hasSize(11);
        }
    }
}
