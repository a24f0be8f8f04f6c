package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sslkit.Active;
import io.sslkit.HeaderData;
import io.sslkit.HttpPacket;
import io.sslkit.Mailbox;
import io.sslkit.Mode;
import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslMessage;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.Async;
import io.sslkit.netty.testing.Loopback;
import io.sslkit.netty.testing.Loopback.Pair;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Packet framing, data modes and socket options over real TLS ({@code ERLANG-SSL.md} scenarios 2–6, 25–31). */
class PacketSocketTest extends RuntimeTest {

    private static final Timeout WAIT = Timeout.millis(10_000);
    private static final TestPki PKI = TestPki.ec();

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * Two packets of each type on the wire and what the receiver must get for each (OTP's decode_packet: the
     * length header of 1/2/4 is stripped, the other types keep their header).
     */
    static Stream<Arguments> wire() {
        byte[] asn1a = hex("30 03 02 01 05");
        byte[] asn1b = hex("04 02 41 42");
        byte[] tpkta = hex("03 00 00 07 aa bb cc");
        byte[] tpktb = hex("03 00 00 05 dd");
        byte[] cdra = concat(bytes("GIOP"), hex("01 00 00 00 00 00 00 02 41 42"));
        byte[] cdrb = concat(bytes("GIOP"), hex("01 00 01 00 01 00 00 00 43"));
        byte[] sunrma = hex("80 00 00 03 61 62 63");
        byte[] sunrmb = hex("80 00 00 01 64");
        byte[] fcgia = hex("01 06 00 01 00 02 00 00 68 69");
        byte[] fcgib = hex("01 06 00 01 00 01 00 00 21");
        return Stream.of(
                Arguments.of(PacketType.ONE, concat(hex("03"), bytes("abc"), hex("01"), bytes("d")),
                        List.of(bytes("abc"), bytes("d"))),
                Arguments.of(PacketType.TWO, concat(hex("0003"), bytes("abc"), hex("0001"), bytes("d")),
                        List.of(bytes("abc"), bytes("d"))),
                Arguments.of(PacketType.FOUR, concat(hex("00000003"), bytes("abc"), hex("00000001"), bytes("d")),
                        List.of(bytes("abc"), bytes("d"))),
                Arguments.of(PacketType.LINE, bytes("one\ntwo\n"), List.of(bytes("one\n"), bytes("two\n"))),
                Arguments.of(PacketType.ASN1, concat(asn1a, asn1b), List.of(asn1a, asn1b)),
                Arguments.of(PacketType.TPKT, concat(tpkta, tpktb), List.of(tpkta, tpktb)),
                Arguments.of(PacketType.CDR, concat(cdra, cdrb), List.of(cdra, cdrb)),
                Arguments.of(PacketType.SUNRM, concat(sunrma, sunrmb), List.of(sunrma, sunrmb)),
                Arguments.of(PacketType.FCGI, concat(fcgia, fcgib), List.of(fcgia, fcgib)));
    }

    /** The client decodes {@code type}; the server writes raw, one byte per TLS record. */
    private static Pair framedPair(PacketType type, SslOptions.Builder client) throws Exception {
        return Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(),
                client.set(Opt.PACKET, type).build());
    }

    private static void sendBytewise(SslSocket s, byte[] wire) throws SslException {
        for (byte b : wire) {
            s.send(new byte[] {b}); // each send is one TLS record
        }
    }

    @ParameterizedTest(name = "{0} passive")
    @MethodSource("wire")
    void eachPacketTypeIsReassembledFromOneByteRecordsPassive(PacketType type, byte[] wire, List<byte[]> expect)
            throws Exception {
        try (Pair pair = framedPair(type, PKI.clientOptions(Provider.AUTO))) {
            sendBytewise(pair.server(), wire);
            for (byte[] packet : expect) {
                assertThat(pair.client().recv(1, WAIT)).isEqualTo(packet); // the length is ignored: one packet
            }
        }
    }

    @ParameterizedTest(name = "{0} active true")
    @MethodSource("wire")
    void eachPacketTypeIsOneMessagePerPacketActive(PacketType type, byte[] wire, List<byte[]> expect)
            throws Exception {
        Mailbox mailbox = new Mailbox();
        try (Pair pair = framedPair(type, PKI.clientOptions(Provider.AUTO).owner(mailbox).active(Active.TRUE))) {
            sendBytewise(pair.server(), wire);
            for (byte[] packet : expect) {
                SslMessage m = mailbox.receive(WAIT).orElseThrow();
                assertThat(((SslMessage.Data) m).bytes()).isEqualTo(packet);
            }
        }
    }

    @ParameterizedTest(name = "{0} once")
    @MethodSource("wire")
    void eachPacketTypeIsOneMessagePerOnce(PacketType type, byte[] wire, List<byte[]> expect) throws Exception {
        Mailbox mailbox = new Mailbox();
        try (Pair pair = framedPair(type, PKI.clientOptions(Provider.AUTO).owner(mailbox))) {
            pair.server().send(concat(wire, wire)); // all at once: still one packet per once
            for (int round = 0; round < 2; round++) {
                for (byte[] packet : expect) {
                    pair.client().setopts(Opt.ACTIVE.of(Active.ONCE));
                    SslMessage m = mailbox.receive(WAIT).orElseThrow();
                    assertThat(((SslMessage.Data) m).bytes()).isEqualTo(packet);
                }
            }
            assertThat(mailbox.receive(Timeout.millis(100))).isEmpty();
        }
    }

    @Test
    void smallAndLargeSendsArriveInTheOrderTheyWereSent() throws Exception {
        // Small sends are coalesced and flushed by a task per batch; a larger send writes the batch out itself.
        // A batch's task left behind must not write a later batch ahead of that larger send (it did: the third
        // packet below overtook the first two, about one run in three).
        SslOptions client = PKI.clientOptions(Provider.AUTO).set(Opt.PACKET, PacketType.FOUR).build();
        SslOptions server = PKI.serverOptions(Provider.AUTO).set(Opt.PACKET, PacketType.FOUR).build();
        try (Pair pair = Loopback.connect(ssl, server, client)) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                byte[] p = new byte[i % 3 == 1 ? 20_000 : i % 7];
                Arrays.fill(p, (byte) i);
                sent.add(p);
                pair.client().send(p);
            }
            for (int i = 0; i < sent.size(); i++) {
                assertThat(pair.server().recv(0, WAIT)).as("packet %d", i).isEqualTo(sent.get(i));
            }
        }
    }

    @Test
    void packet4AddsTheHeaderOnSendAndAPacketLargerThanARecordArrivesWhole() throws Exception {
        SslOptions both = PKI.clientOptions(Provider.AUTO).set(Opt.PACKET, PacketType.FOUR).build();
        SslOptions server = PKI.serverOptions(Provider.AUTO).set(Opt.PACKET, PacketType.FOUR).build();
        try (Pair pair = Loopback.connect(ssl, server, both)) {
            byte[] big = new byte[100_000];
            Arrays.fill(big, (byte) 7);
            pair.client().send("small");
            pair.client().send(big);
            pair.client().send("");
            assertThat(pair.server().recv(0, WAIT)).isEqualTo(bytes("small"));
            assertThat(pair.server().recv(0, WAIT)).isEqualTo(big);
            assertThat(pair.server().recv(0, WAIT)).isEmpty();
        }
    }

    @Test
    void aPayloadTooLargeForTheHeaderSendsNothing() throws Exception {
        try (Pair pair = framedPair(PacketType.ONE, PKI.clientOptions(Provider.AUTO))) {
            assertThatThrownBy(() -> pair.client().send(new byte[300]))
                    .extracting(e -> ((SslException) e).reason()).isEqualTo(new Reason.PacketTooLarge(300, 255));
            pair.client().setopts(Opt.PACKET.of(PacketType.TWO));
            assertThatThrownBy(() -> pair.client().send(new byte[70_000]))
                    .extracting(e -> ((SslException) e).reason())
                    .isEqualTo(new Reason.PacketTooLarge(70_000, 65_535));
            pair.client().send("ok");
            assertThat(pair.server().recv(4, WAIT)).isEqualTo(concat(hex("0002"), bytes("ok")));
        }
    }

    @Test
    void aPacketOverPacketSizeIsInvalidPacketThenClosed() throws Exception {
        Mailbox mailbox = new Mailbox();
        SslOptions.Builder limited = PKI.clientOptions(Provider.AUTO).set(Opt.PACKET, PacketType.FOUR)
                .set(Opt.PACKET_SIZE, 30);
        try (Pair pair = framedPair(PacketType.FOUR, limited)) {
            pair.server().send(concat(hex("000003e8"), new byte[1000]));
            Reason r = reasonOf(() -> pair.client().recv(0, WAIT));
            assertThat(r).isInstanceOf(Reason.InvalidPacket.class);
            assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isIn(r, Reason.CLOSED);
        }
        try (Pair pair = framedPair(PacketType.FOUR, limited.owner(mailbox).active(Active.TRUE))) {
            pair.server().send(concat(hex("000003e8"), new byte[1000]));
            SslMessage m = mailbox.receive(WAIT).orElseThrow();
            assertThat(m).isInstanceOf(SslMessage.Error.class);
            assertThat(((SslMessage.Error) m).reason()).isInstanceOf(Reason.InvalidPacket.class);
        }
    }

    @Test
    void garbageForCdrIsInvalidPacket() throws Exception {
        try (Pair pair = framedPair(PacketType.CDR, PKI.clientOptions(Provider.AUTO))) {
            pair.server().send("this is not GIOP at all");
            assertThat(reasonOf(() -> pair.client().recv(0, WAIT))).isInstanceOf(Reason.InvalidPacket.class);
        }
    }

    @Test
    void lineWaitsForTheEndOfAPartialLine() throws Exception {
        try (Pair pair = framedPair(PacketType.LINE, PKI.clientOptions(Provider.AUTO))) {
            pair.server().send("line1\nline2\npartial");
            assertThat(pair.client().recv(0, WAIT)).isEqualTo(bytes("line1\n"));
            assertThat(pair.client().recv(0, WAIT)).isEqualTo(bytes("line2\n"));
            assertThat(reasonOf(() -> pair.client().recv(0, Timeout.millis(200)))).isEqualTo(Reason.TIMEOUT);
            pair.server().send("end\n");
            assertThat(pair.client().recv(0, WAIT)).isEqualTo(bytes("partialend\n"));
        }
    }

    @Test
    void httpGivesTheStatusLineHeadersAndEndThenRawGivesTheBody() throws Exception {
        try (Pair pair = framedPair(PacketType.HTTP_BIN, PKI.clientOptions(Provider.AUTO))) {
            pair.server().send("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Thing: y\r\n\r\nhello");
            List<Object> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(pair.client().recvData(0, WAIT));
            }
            assertThat(got.get(0)).isInstanceOf(HttpPacket.Response.class);
            HttpPacket.Response status = (HttpPacket.Response) got.get(0);
            assertThat(status.status()).isEqualTo(200);
            assertThat(((HttpPacket.Header) got.get(1)).field()).isEqualTo("Content-Length");
            assertThat(((HttpPacket.Header) got.get(1)).value()).isEqualTo("5");
            assertThat(((HttpPacket.Header) got.get(2)).field()).isEqualTo("X-Thing");
            assertThat(got.get(3)).isEqualTo(HttpPacket.EOH);
            assertThat(reasonOf(() -> pair.client().recv(0, Timeout.millis(100)))).isIn(Reason.TIMEOUT,
                    Reason.EINVAL);
            pair.client().setopts(Opt.PACKET.of(PacketType.RAW));
            assertThat(pair.client().recv(5, WAIT)).isEqualTo(bytes("hello"));
        }
    }

    @Test
    void switchingPacketMidStreamAppliesFromTheNextPacket() throws Exception {
        SslOptions client = PKI.clientOptions(Provider.AUTO).set(Opt.PACKET, PacketType.TWO).build();
        SslOptions server = PKI.serverOptions(Provider.AUTO).set(Opt.PACKET, PacketType.TWO).build();
        try (Pair pair = Loopback.connect(ssl, server, client)) {
            pair.server().send("first");
            pair.server().setopts(Opt.PACKET.of(PacketType.FOUR));
            pair.server().send("second");
            assertThat(pair.client().recv(0, WAIT)).isEqualTo(bytes("first"));
            pair.client().setopts(Opt.PACKET.of(PacketType.FOUR));
            assertThat(pair.client().recv(0, WAIT)).isEqualTo(bytes("second"));
        }
    }

    @Test
    void listModeGivesAnErlangStringAndHeaderSplitsTheFirstBytes() throws Exception {
        Mailbox mailbox = new Mailbox();
        SslOptions.Builder client = PKI.clientOptions(Provider.AUTO).set(Opt.MODE, Mode.LIST).owner(mailbox);
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(), client.build())) {
            pair.server().send("Hello world");
            assertThat(pair.client().recvData(11, WAIT)).isEqualTo("Hello world");
            pair.client().setopts(Opt.MODE.of(Mode.BINARY), Opt.HEADER.of(2));
            pair.server().send(new byte[] {1, 2, 3, 4, 5});
            Object d = pair.client().recvData(5, WAIT);
            assertThat(d).isEqualTo(new HeaderData(List.of(1, 2), new byte[] {3, 4, 5}));
            assertThat(d.toString()).isEqualTo("[1,2|<<3,4,5>>]");
            pair.client().setopts(Opt.HEADER.of(0), Opt.MODE.of(Mode.LIST), Opt.ACTIVE.of(Active.ONCE));
            pair.server().send("as a message");
            assertThat(((SslMessage.Data) mailbox.receive(WAIT).orElseThrow()).data()).isEqualTo("as a message");
        }
    }

    @Test
    void getoptsReportsDefaultsAndSetoptsChangesWhatTcpAllows() throws Exception {
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(),
                PKI.clientOptions(Provider.AUTO).build())) {
            SslSocket c = pair.client();
            Map<Opt<?>, Object> opts = c.getopts(Opt.ACTIVE, Opt.HEADER, Opt.PACKET, Opt.MODE, Opt.NODELAY);
            assertThat(opts).containsExactly(Map.entry(Opt.ACTIVE, Active.FALSE), Map.entry(Opt.HEADER, 0),
                    Map.entry(Opt.PACKET, PacketType.RAW), Map.entry(Opt.MODE, Mode.BINARY),
                    Map.entry(Opt.NODELAY, false));
            c.setopts(Opt.NODELAY.of(true), Opt.KEEPALIVE.of(true), Opt.HIGH_WATERMARK.of(128 * 1024));
            assertThat(c.getopt(Opt.NODELAY)).isTrue();
            assertThat(c.getopt(Opt.KEEPALIVE)).isTrue();
            assertThat(c.getopt(Opt.HIGH_WATERMARK)).isEqualTo(128 * 1024);
            assertThat(reasonOf(() -> c.setopts(Opt.MODE.of(Mode.LIST), Opt.BACKLOG.of(5))))
                    .isEqualTo(new Reason.Options("socket_options", "{backlog,5}", "einval"));
            assertThat(c.getopt(Opt.MODE)).as("nothing changed").isEqualTo(Mode.BINARY);
            assertThatThrownBy(() -> Opt.PACKET_SIZE.of(-1)).isInstanceOf(io.sslkit.SslOptionsException.class);
            c.close();
            assertThat(reasonOf(() -> c.getopts(Opt.MODE))).isEqualTo(Reason.CLOSED);
            assertThat(reasonOf(() -> c.setopts(Opt.MODE.of(Mode.LIST)))).isEqualTo(Reason.CLOSED);
        }
    }

    @Test
    void acceptedSocketsInheritTheListenSocketsOptions() throws Exception {
        SslOptions server = PKI.serverOptions(Provider.AUTO).set(Opt.PACKET, PacketType.LINE).set(Opt.NODELAY, true)
                .build();
        try (Pair pair = Loopback.connect(ssl, server, PKI.clientOptions(Provider.AUTO).build())) {
            assertThat(pair.server().getopt(Opt.PACKET)).isEqualTo(PacketType.LINE);
            assertThat(pair.server().getopt(Opt.NODELAY)).isTrue();
            pair.client().send("a\nb\n");
            assertThat(pair.server().recv(0, WAIT)).isEqualTo(bytes("a\n"));
        }
    }

    @Test
    void setoptsOnAListenSocketIsInheritedByLaterAccepts() throws Exception {
        try (io.sslkit.SslListenSocket listen = ssl.listen(0, PKI.serverOptions(Provider.AUTO).build())) {
            assertThat(listen.getopt(Opt.MODE)).isEqualTo(Mode.BINARY);
            listen.setopts(Opt.MODE.of(Mode.LIST), Opt.PACKET.of(PacketType.LINE), Opt.NODELAY.of(true));
            assertThat(listen.getopt(Opt.MODE)).isEqualTo(Mode.LIST);
            assertThat(reasonOf(() -> listen.setopts(Opt.BACKLOG.of(1))))
                    .isEqualTo(new Reason.Options("socket_options", "{backlog,1}", "einval"));
            var accepted = Async.supply(() -> {
                try {
                    SslSocket s = listen.transportAccept(WAIT);
                    s.handshake(WAIT);
                    return s;
                } catch (SslException e) {
                    throw new RuntimeException(e);
                }
            });
            try (SslSocket c = ssl.connect("localhost", listen.port(), PKI.clientOptions(Provider.AUTO).build());
                 SslSocket s = accepted.get(10, java.util.concurrent.TimeUnit.SECONDS)) {
                assertThat(s.getopts(Opt.MODE, Opt.PACKET, Opt.NODELAY)).containsExactly(
                        Map.entry(Opt.MODE, Mode.LIST), Map.entry(Opt.PACKET, PacketType.LINE),
                        Map.entry(Opt.NODELAY, true));
                c.send("one\ntwo\n");
                assertThat(s.recvData(0, WAIT)).isEqualTo("one\n");
            }
        }
    }

    @Test
    void sendTimeoutFailsABlockedSendAndSendTimeoutCloseClosesTheSocket() throws Exception {
        SslOptions client = PKI.clientOptions(Provider.AUTO).set(Opt.SEND_TIMEOUT, Timeout.millis(300))
                .set(Opt.SEND_TIMEOUT_CLOSE, true).build();
        try (Pair pair = Loopback.connect(ssl, PKI.serverOptions(Provider.AUTO).build(), client)) {
            byte[] chunk = new byte[1 << 20];
            Reason r = reasonOf(() -> {
                for (int i = 0; i < 1000; i++) { // the server never reads: TCP fills, then send blocks
                    pair.client().send(chunk);
                }
            });
            assertThat(r).isEqualTo(Reason.TIMEOUT);
            assertThat(reasonOf(() -> pair.client().send("x"))).isEqualTo(Reason.CLOSED);
        }
    }
}
