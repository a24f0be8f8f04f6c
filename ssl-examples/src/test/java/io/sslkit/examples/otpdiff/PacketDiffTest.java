package io.sslkit.examples.otpdiff;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;
import io.sslkit.netty.handler.packet.InvalidPacketException;
import io.sslkit.netty.handler.packet.PacketDecoder;
import io.sslkit.netty.handler.packet.PacketDecoders;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * sslkit's packet decoders against {@code erlang:decode_packet/3} as {@code ssl} drives it
 * ({@code ci/interop/otpdiff_packet.escript}): every packet type sslkit supports (all of OTP's:
 * {@code raw 1 2 4 line asn1 tpkt cdr sunrm fcgi http httph http_bin httph_bin}), with and without
 * {@code packet_size}, on valid, edge and random inputs, each fed whole, one byte at a time and split in two at every
 * byte. Compared: the packets in order, {@code invalid} where OTP fails, and the bytes left waiting.
 *
 * <p>Documented deviations (README, "Deviations from OTP"): {@code http_ipv6_host} — OTP 25 decodes the host of
 * {@code http://[::1]:443/} as {@code "["} with port {@code undefined}; sslkit decodes it as OTP 26 and later do
 * ({@code "[::1]"}, {@code 443}).
 */
class PacketDiffTest {

    static final long SEED = Long.getLong("otpdiff.seed", 0x5eed15L);

    /** One input: its packet type, packet_size and bytes. */
    record Input(PacketType type, int size, byte[] bytes) {
    }

    @Test
    void decodePacketAgreesWithOtp() throws Exception {
        Random rnd = new Random(SEED);
        List<Input> inputs = new ArrayList<>();
        for (PacketType t : PacketType.values()) {
            for (byte[] b : Inputs.of(t, rnd)) {
                inputs.add(new Input(t, 0, b));
                inputs.add(new Input(t, 3 + rnd.nextInt(6), b));
            }
        }
        Map<String, Input> byId = new LinkedHashMap<>();
        Map<String, List<byte[]>> chunksById = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (Input in : inputs) {
            for (List<byte[]> chunks : splits(in.bytes())) {
                String id = "c" + n++;
                byId.put(id, in);
                chunksById.put(id, chunks);
                StringBuilder line = new StringBuilder(id).append(' ').append(in.type().erlangName()).append(' ')
                        .append(in.size()).append(' ');
                chunks.forEach(c -> line.append(OtpOracle.hex(c)).append(','));
                lines.add(line.toString());
            }
        }
        Map<String, String> otp = OtpOracle.ask("otpdiff_packet.escript", lines);
        OtpOracle.Tally tally = new OtpOracle.Tally("decode_packet", SEED);
        for (Map.Entry<String, Input> e : byId.entrySet()) {
            Input in = e.getValue();
            String mine = decode(in.type(), in.size(), chunksById.get(e.getKey()));
            String theirs = otp.getOrDefault(e.getKey(), "<no answer>");
            String input = in.type() + " size " + in.size() + " " + OtpOracle.hex(in.bytes()) + " chunks "
                    + chunksById.get(e.getKey()).size();
            tally.add(e.getKey(), input, theirs, mine, deviation(in));
        }
        tally.report();
    }

    /** The named deviation that explains a difference on this input, or null. */
    static String deviation(Input in) {
        String s = new String(in.bytes(), ISO_8859_1);
        return in.type().isHttp() && s.matches("(?s).*://\\[.*") ? "http_ipv6_host" : null;
    }

    /** Whole, one byte at a time, and two pieces split at every byte. */
    static List<List<byte[]>> splits(byte[] b) {
        List<List<byte[]>> all = new ArrayList<>();
        all.add(List.of(b));
        if (b.length > 1) {
            List<byte[]> bytewise = new ArrayList<>();
            for (int i = 0; i < b.length; i++) {
                bytewise.add(new byte[] {b[i]});
            }
            all.add(bytewise);
        }
        for (int k = 1; k < b.length; k++) {
            all.add(List.of(java.util.Arrays.copyOfRange(b, 0, k), java.util.Arrays.copyOfRange(b, k, b.length)));
        }
        return all;
    }

    /** What sslkit makes of the chunks, in the escript's notation. */
    static String decode(PacketType type, int size, List<byte[]> chunks) {
        PacketDecoder decoder = PacketDecoders.forType(type, size);
        ByteQueue queue = new ByteQueue(ByteBufAllocator.DEFAULT);
        List<String> items = new ArrayList<>();
        try {
            for (byte[] c : chunks) {
                queue.add(ByteBufAllocator.DEFAULT.buffer(c.length).writeBytes(c));
                while (!queue.isEmpty()) {
                    Object p;
                    try {
                        p = decoder.decode(queue);
                    } catch (InvalidPacketException e) {
                        items.add("invalid");
                        return String.join(" ", items);
                    }
                    if (p == null) {
                        break;
                    }
                    if (p instanceof ByteBuf b) {
                        try {
                            items.add(ByteBufUtil.hexDump(b));
                        } finally {
                            b.release();
                        }
                    } else {
                        items.add(p.toString());
                    }
                }
            }
            ByteBuf rest = queue.takeAll();
            try {
                items.add("rest:" + ByteBufUtil.hexDump(rest));
            } finally {
                rest.release();
            }
            return String.join(" ", items);
        } finally {
            queue.release();
        }
    }

    /** Generated inputs per packet type: valid packets, edge cases, mutations and random bytes. */
    static final class Inputs {

        private Inputs() {
        }

        static List<byte[]> of(PacketType t, Random rnd) {
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                out.add(concat(valid(t, rnd), valid(t, rnd)));
            }
            out.addAll(edges(t));
            byte[] m = concat(valid(t, rnd), valid(t, rnd));
            if (m.length > 0) {
                m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
                out.add(m);
            }
            out.add(random(rnd, 1 + rnd.nextInt(12)));
            return out;
        }

        static byte[] valid(PacketType t, Random rnd) {
            byte[] body = random(rnd, rnd.nextInt(7));
            return switch (t) {
                case RAW -> body;
                case ONE -> concat(new byte[] {(byte) body.length}, body);
                case TWO -> concat(new byte[] {0, (byte) body.length}, body);
                case FOUR -> concat(new byte[] {0, 0, 0, (byte) body.length}, body);
                case LINE -> concat(text(rnd, rnd.nextInt(6)), b("\n"));
                case ASN1 -> rnd.nextBoolean() ? concat(new byte[] {0x04, (byte) body.length}, body)
                        : concat(new byte[] {0x30, (byte) 0x81, (byte) body.length}, body);
                case TPKT -> concat(new byte[] {3, 0, 0, (byte) (body.length + 4)}, body);
                case CDR -> concat(b("GIOP"), new byte[] {1, 2, (byte) rnd.nextInt(2), 0},
                        rnd.nextBoolean() ? new byte[] {0, 0, 0, (byte) body.length}
                                : new byte[] {(byte) body.length, 0, 0, 0}, body);
                case SUNRM -> concat(new byte[] {(byte) 0x80, 0, 0, (byte) body.length}, body);
                case FCGI -> concat(new byte[] {1, 6, 0, 1, 0, (byte) body.length, 1, 0}, body, new byte[] {0});
                case HTTP, HTTP_BIN -> http(rnd, true);
                case HTTPH, HTTPH_BIN -> http(rnd, false);
            };
        }

        static final String[] STARTS = {
            "GET / HTTP/1.1\r\n", "POST /x?y=1 HTTP/1.0\r\n", "PATCH /p HTTP/1.1\r\n", "GET * HTTP/1.1\r\n",
            "GET http://host:8080/a HTTP/1.1\r\n", "GET https://[::1]:443/ HTTP/1.1\r\n",
            "GET HTTP://host:0 HTTP/1.1\r\n", "CONNECT example.com:443 HTTP/1.1\r\n", "HTTP/1.1 200 OK\r\n",
            "HTTP/1.0 404 Not Found\r\n", "HTTP/1.1 200\r\n", "garbage\r\n", "GET / HTTP/1.1\n",
        };
        static final String[] HEADERS = {
            "Host: a\r\n", "content-length: 42\r\n", "X-Empty:\r\n", "X-Fold: a\r\n b\r\n", "Bad Header\r\n",
            "Accept:text/html\r\n", "X-Quote: say \"hi\"\r\n", "\u00e9t\u00e9: \u00ff\r\n",
        };

        static byte[] http(Random rnd, boolean start) {
            StringBuilder s = new StringBuilder(start ? STARTS[rnd.nextInt(STARTS.length)] : "");
            for (int i = rnd.nextInt(3); i > 0; i--) {
                s.append(HEADERS[rnd.nextInt(HEADERS.length)]);
            }
            return b(s.append(rnd.nextBoolean() ? "\r\n" : "").toString());
        }

        static List<byte[]> edges(PacketType t) {
            return switch (t) {
                case RAW -> List.of(b("x"));
                case ONE -> List.of(new byte[] {0}, new byte[] {(byte) 255, 1, 2});
                case TWO -> List.of(new byte[] {0, 0}, new byte[] {(byte) 0xff, (byte) 0xff, 1});
                case FOUR -> List.of(new byte[] {0, 0, 0, 0}, new byte[] {(byte) 0x80, 0, 0, 0, 1});
                case LINE -> List.of(b("\n\n"), b("no newline"), b("a\r\nb\n"));
                case ASN1 -> List.of(new byte[] {0x1f, (byte) 0x81, 0x01, 0x01, 0x00},
                        new byte[] {0x30, (byte) 0x80, 0x00, 0x00}, new byte[] {0x30, (byte) 0x85, 0, 0, 0, 0, 1},
                        new byte[] {0x04, (byte) 0x82, 0x00, 0x02, 7, 8});
                case TPKT -> List.of(new byte[] {4, 0, 0, 5, 1}, new byte[] {3, 0, 0, 2}, new byte[] {3, 0, 0, 4});
                case CDR -> List.of(b("GIOX\u0001\u0002\u0000\u0000\u0000\u0000\u0000\u0000"),
                        concat(b("GIOP"), new byte[] {1, 2, 0, 0, 0, 0, 0, 0}));
                case SUNRM -> List.of(new byte[] {0, 0, 0, 0}, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, 0x01});
                case FCGI -> List.of(new byte[] {2, 1, 0, 1, 0, 0, 0, 0}, new byte[] {1, 1, 0, 1, 0, 0, 3, 0, 9, 9, 9});
                case HTTP, HTTP_BIN -> List.of(b("GET https://[::1]:443/ HTTP/1.1\r\nHost: [::1]\r\n\r\n"),
                        b("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
                        b("\r\nGET / HTTP/1.1\r\n\r\n"));
                case HTTPH, HTTPH_BIN -> List.of(b("\r\n"), b("Host: a\r\n\tb\r\n\r\n"), b(": x\r\n\r\n"));
            };
        }

        static byte[] text(Random rnd, int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) ('a' + rnd.nextInt(26));
            }
            return b;
        }

        static byte[] random(Random rnd, int n) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            return b;
        }

        static byte[] b(String latin1) {
            return latin1.getBytes(ISO_8859_1);
        }

        static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] p : parts) {
                out.writeBytes(p);
            }
            return out.toByteArray();
        }
    }
}
