package io.sslkit.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.testing.RecordMitm;
import io.sslkit.netty.testing.RuntimeTest;
import io.sslkit.netty.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed records from a man in the middle that rewrites one of a real client's records on its way to the server
 * (a ClientHello, or the first application record after the handshake), for each provider and TLS version: the
 * server ends the connection within a bounded time (a wait with a timeout), and both sides see the alert this kind
 * calls for where the server can still send one in plaintext. Prints what each side saw at the end.
 */
class MalformedRecordTest extends RuntimeTest {

    private static final TestPki EC = TestPki.ec();
    private static final TestPki RSA = TestPki.rsa();
    private static final Map<String, String> TABLE = new TreeMap<>();
    /** How long the server may take to close: generous for a loaded machine, far below "never". */
    private static final long CLOSE_WITHIN_SECONDS = 20;

    /** What the man in the middle does; {@code hello} kinds touch the ClientHello, the others the first data. */
    enum Kind {
        HELLO_CONTENT_TYPE(true), HELLO_RECORD_VERSION(true), HELLO_LEGACY_VERSION_SSL3(true), HELLO_OVERSIZE(true),
        HELLO_FRAGMENT_THEN_DATA(true), HELLO_EMPTY_RECORD(true), HELLO_MANY_UNASSIGNED_EXTENSIONS(true),
        HELLO_TRUNCATED(true),
        DATA_BIT_FLIP(false), DATA_SHORT_LENGTH(false), DATA_TRUNCATED(false), DATA_CONTENT_TYPE(false),
        DATA_RECORD_VERSION(false), DATA_OVERSIZE(false), DATA_OVERSIZE_TLS13(false), CBC_PADDING(false),
        CBC_MAC(false);

        final boolean hello;

        Kind(boolean hello) {
            this.hello = hello;
        }

        boolean appliesTo(Protocol v) {
            return switch (this) {
                case CBC_PADDING, CBC_MAC -> v == Protocol.TLS_V1_2;
                case DATA_OVERSIZE_TLS13 -> v == Protocol.TLS_V1_3;
                default -> true;
            };
        }
    }

    static Stream<Arguments> cases() {
        return engines().flatMap(a -> Arrays.stream(Kind.values())
                .filter(k -> k.appliesTo((Protocol) a.get()[1]))
                .map(k -> Arguments.of(k, a.get()[0], a.get()[1])));
    }

    @AfterAll
    static void print() {
        StringBuilder sb = new StringBuilder("\nkind x provider x version -> client | server | server's records\n");
        TABLE.forEach((k, v) -> sb.append(String.format("  %-50s %s%n", k, v)));
        System.out.println(sb);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void theServerAnswersAndClosesInBoundedTime(Kind kind, Provider p, Protocol v) throws Exception {
        boolean cbc = kind == Kind.CBC_PADDING || kind == Kind.CBC_MAC;
        TestPki pki = cbc ? RSA : EC;
        SslOptions.Builder server = pki.serverOptions(p).versions(v);
        SslOptions.Builder client = pki.clientOptions(p).versions(v);
        if (cbc) {
            server.ciphers("ECDHE-RSA-AES128-SHA");
            client.ciphers("ECDHE-RSA-AES128-SHA");
        }
        AtomicReference<RecordMitm> self = new AtomicReference<>();
        try (SslListenSocket listen = ssl.listen(0, server.build());
             RecordMitm mitm = new RecordMitm(new InetSocketAddress("127.0.0.1", listen.port()),
                     rewriter(kind, self))) {
            self.set(mitm);
            CompletableFuture<String> serverSide = CompletableFuture.supplyAsync(() -> serve(listen));
            String clientSaw = runClient(kind, mitm, client.build());
            mitm.serverDone().get(CLOSE_WITHIN_SECONDS, TimeUnit.SECONDS); // the server closed: no hang
            String serverSaw = serverSide.get(CLOSE_WITHIN_SECONDS, TimeUnit.SECONDS);
            TABLE.put(kind + " " + p + " " + v, clientSaw + " | " + serverSaw + " | " + mitm.serverTypes()
                    + (mitm.serverAlerts().isEmpty() ? "" : " alerts " + mitm.serverAlerts()));
            assertThat(clientSaw).as("client").matches(expectedClient(kind, p, v));
            assertThat(serverSaw).as("server").matches(expectedServer(kind, p, v));
        }
    }

    /** What the client sees, by kind. */
    private static String expectedClient(Kind kind, Provider p, Protocol v) {
        return switch (kind) {
            case HELLO_CONTENT_TYPE, HELLO_FRAGMENT_THEN_DATA -> "connect: tls_alert unexpected_message peer";
            case HELLO_RECORD_VERSION, HELLO_LEGACY_VERSION_SSL3 -> "connect: tls_alert protocol_version peer";
            case HELLO_OVERSIZE -> "connect: tls_alert record_overflow peer";
            case HELLO_EMPTY_RECORD -> "connect: tls_alert decode_error peer";
            // the server goes on with the handshake (it answers with a ServerHello, checked below); the transcripts
            // differ after the rewrite, so the handshake fails later on
            case HELLO_MANY_UNASSIGNED_EXTENSIONS -> "connect: .*";
            case HELLO_TRUNCATED -> "connect: (closed|econnreset|tls_alert .*)";
            // the engine decrypts and refuses: its own alert, sealed
            case DATA_BIT_FLIP, CBC_PADDING, CBC_MAC -> "data: tls_alert bad_record_mac peer";
            // refused by RecordGuard after the handshake: only the engine could seal an alert, it sends close_notify
            case DATA_CONTENT_TYPE, DATA_RECORD_VERSION, DATA_OVERSIZE, DATA_OVERSIZE_TLS13 -> "data: closed";
            // the cut record's last byte reads as the next header: the guard or the engine refuses
            case DATA_SHORT_LENGTH -> "data: (closed|tls_alert bad_record_mac peer)";
            case DATA_TRUNCATED -> "data: closed";
        };
    }

    /** What the server's owner sees, by kind. */
    private static String expectedServer(Kind kind, Provider p, Protocol v) {
        return switch (kind) {
            case HELLO_CONTENT_TYPE, HELLO_FRAGMENT_THEN_DATA, DATA_CONTENT_TYPE ->
                    ".*tls_alert unexpected_message local.*";
            case HELLO_RECORD_VERSION, HELLO_LEGACY_VERSION_SSL3, DATA_RECORD_VERSION ->
                    ".*tls_alert protocol_version local.*";
            case HELLO_OVERSIZE, DATA_OVERSIZE, DATA_OVERSIZE_TLS13 -> ".*tls_alert record_overflow local.*";
            case HELLO_EMPTY_RECORD -> ".*tls_alert decode_error local.*";
            // BoringSSL: the server's owner may hear of the failed decryption as closed: SslHandler closes the
            // channel before the exception reaches the socket (always seen on TLS 1.2, sometimes on 1.3)
            case DATA_BIT_FLIP, CBC_PADDING, CBC_MAC -> p == Provider.OPENSSL
                    ? "(recv: closed|.*tls_alert bad_record_mac local.*)" : ".*tls_alert bad_record_mac local.*";
            case DATA_SHORT_LENGTH -> ".*tls_alert (unexpected_message|protocol_version|bad_record_mac) local.*";
            case HELLO_TRUNCATED -> "handshake: closed";
            case DATA_TRUNCATED -> "(handshake|recv): closed";
            case HELLO_MANY_UNASSIGNED_EXTENSIONS -> "handshake: .*";
        };
    }

    private String runClient(Kind kind, RecordMitm mitm, SslOptions opts) {
        SslSocket c;
        try {
            c = ssl.connect("localhost", mitm.port(), opts, Timeout.millis(10_000));
        } catch (SslException e) {
            if (kind == Kind.HELLO_MANY_UNASSIGNED_EXTENSIONS) {
                assertThat(mitm.serverTypes()).as("the server answered with a ServerHello, not an alert")
                        .startsWith(22);
            }
            return "connect: " + describe(e.reason());
        }
        try (c) {
            mitm.arm();
            c.send("hello through a man in the middle");
            byte[] got = c.recv(0, Timeout.millis(10_000));
            return "data: got " + got.length + " bytes";
        } catch (SslException e) {
            return "data: " + describe(e.reason());
        }
    }

    /** The server's side: handshake, then read until the connection fails; what it saw. */
    private static String serve(SslListenSocket listen) {
        try (SslSocket s = listen.transportAccept(Timeout.millis(10_000))) {
            try {
                s.handshake(Timeout.millis(10_000));
            } catch (SslException e) {
                return "handshake: " + describe(e.reason());
            }
            while (true) {
                s.recv(0, Timeout.millis(15_000));
            }
        } catch (SslException e) {
            return "recv: " + describe(e.reason());
        }
    }

    private static String describe(Reason r) {
        if (r instanceof Reason.TlsAlert a) {
            return "tls_alert " + a.alert().erlangName() + " " + a.origin().name().toLowerCase();
        }
        return r.toString();
    }

    private static RecordMitm.Rewriter rewriter(Kind kind, AtomicReference<RecordMitm> self) {
        return (index, armed, record) -> {
            boolean victim = kind.hello ? index == 0 : armed && record[0] == 23;
            if (!victim) {
                return record;
            }
            if (kind == Kind.HELLO_TRUNCATED || kind == Kind.DATA_TRUNCATED) {
                self.get().endAfterThisRecord(); // half a record, then a FIN
            }
            return kind.hello ? helloRewrite(kind, record) : dataRewrite(kind, record);
        };
    }

    private static byte[] helloRewrite(Kind kind, byte[] r) {
        byte[] x = r.clone();
        switch (kind) {
            case HELLO_CONTENT_TYPE -> x[0] = 24;
            case HELLO_RECORD_VERSION -> x[1] = 2;
            case HELLO_LEGACY_VERSION_SSL3 -> {
                x[9] = 3;
                x[10] = 0;
            }
            case HELLO_OVERSIZE -> {
                return RecordMitm.record(22, random((1 << 14) + 100));
            }
            case HELLO_EMPTY_RECORD -> {
                return concat(RecordMitm.record(22, new byte[0]), r);
            }
            case HELLO_FRAGMENT_THEN_DATA -> {
                byte[] body = Arrays.copyOfRange(r, 5, r.length);
                return concat(RecordMitm.record(22, Arrays.copyOfRange(body, 0, 40)),
                        RecordMitm.record(23, random(20)),
                        RecordMitm.record(22, Arrays.copyOfRange(body, 40, body.length)));
            }
            case HELLO_MANY_UNASSIGNED_EXTENSIONS -> {
                return withExtensions(r, 100);
            }
            case HELLO_TRUNCATED -> {
                return Arrays.copyOf(r, r.length / 2);
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        return x;
    }

    private static byte[] dataRewrite(Kind kind, byte[] r) {
        byte[] x = r.clone();
        switch (kind) {
            case DATA_BIT_FLIP -> x[5 + (x.length - 5) / 2] ^= 0x10;
            case DATA_SHORT_LENGTH -> {
                int len = (x[3] & 0xff) << 8 | (x[4] & 0xff);
                x[3] = (byte) ((len - 1) >> 8);
                x[4] = (byte) (len - 1);
            }
            case DATA_TRUNCATED -> {
                return Arrays.copyOf(r, r.length / 2);
            }
            case DATA_CONTENT_TYPE -> x[0] = 24;
            case DATA_RECORD_VERSION -> x[1] = 2;
            case DATA_OVERSIZE -> {
                return RecordMitm.record(23, random((1 << 14) + 2049));
            }
            case DATA_OVERSIZE_TLS13 -> {
                return RecordMitm.record(23, random((1 << 14) + 300));
            }
            case CBC_PADDING -> x[x.length - 1] ^= 0x01; // the last block: the padding bytes
            case CBC_MAC -> x[x.length - 40] ^= 0x01;    // two blocks from the end: the MAC
            default -> throw new IllegalArgumentException(kind.toString());
        }
        return x;
    }

    /** The ClientHello record {@code r} with {@code n} empty extensions of unassigned types put first. */
    private static byte[] withExtensions(byte[] r, int n) {
        int at = 5 + 4 + 2 + 32;
        at += 1 + (r[at] & 0xff);                                   // session id
        at += 2 + ((r[at] & 0xff) << 8 | (r[at + 1] & 0xff));       // cipher suites
        at += 1 + (r[at] & 0xff);                                   // compression methods
        int extLen = (r[at] & 0xff) << 8 | (r[at + 1] & 0xff);
        ByteArrayOutputStream added = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            int type = 0x4000 + i * 3; // 16384.. : unassigned in the IANA registry, and not GREASE
            added.write(type >> 8);
            added.write(type);
            added.write(0);
            added.write(0);
        }
        int grow = added.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(r, 0, at);
        out.write((extLen + grow) >> 8);
        out.write(extLen + grow);
        out.writeBytes(added.toByteArray());
        out.write(r, at + 2, r.length - at - 2);
        byte[] x = out.toByteArray();
        int recLen = x.length - 5;
        x[3] = (byte) (recLen >> 8);
        x[4] = (byte) recLen;
        int hsLen = recLen - 4;
        x[6] = (byte) (hsLen >> 16);
        x[7] = (byte) (hsLen >> 8);
        x[8] = (byte) hsLen;
        return x;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
