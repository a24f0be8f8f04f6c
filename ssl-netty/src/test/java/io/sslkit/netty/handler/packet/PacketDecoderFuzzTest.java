package io.sslkit.netty.handler.packet;

import static io.sslkit.netty.handler.packet.PacketTesting.buf;
import static io.sslkit.netty.handler.packet.PacketTesting.bytes;
import static io.sslkit.netty.handler.packet.PacketTesting.concat;
import static io.sslkit.netty.handler.packet.PacketTesting.contents;
import static io.sslkit.netty.handler.packet.PacketTesting.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.sslkit.HttpPacket;
import io.sslkit.PacketType;
import io.sslkit.netty.handler.ByteQueue;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bounded fuzzing, about 2.5 s over all types: random and mutated input in random pieces, random
 * {@code packet_size}. Every decode call gives a packet, null or an {@link InvalidPacketException} that consumed
 * nothing; never another exception, never a packet that consumes nothing (which would loop), never a hang, never a
 * leak (every packet and the queue are released; the leak extension checks).
 */
class PacketDecoderFuzzTest {

    private static final Duration BUDGET_PER_TYPE = Duration.ofMillis(2500 / PacketType.values().length);
    /** Types that return exactly the bytes they consume, so output + queue must equal input. */
    private static final EnumSet<PacketType> VERBATIM = EnumSet.of(PacketType.RAW, PacketType.LINE,
            PacketType.ASN1, PacketType.TPKT, PacketType.CDR, PacketType.SUNRM);
    private static final String[] HTTP_PIECES = {"GET ", "POST ", "/", "/a?b", " HTTP/1.1", "HTTP/1.0 200 OK",
        "HTTP/", "1.", "\r\n", "\n", "\r", ":", ": ", " ", "\t", "Host", "content-length", "X-", "http://h:80/",
        "https://[::1]:8", "*", "ftp:x", "\u0000", "\u00ff", "9"};

    @ParameterizedTest
    @EnumSource(PacketType.class)
    void decodersSurviveGarbage(PacketType type) {
        long seed = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Random rnd = new Random(seed);
            long deadline = System.nanoTime() + BUDGET_PER_TYPE.toNanos();
            int runs = 0;
            while (System.nanoTime() < deadline || runs < 50) {
                byte[] input = input(type, rnd);
                int packetSize = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(300);
                run(type, packetSize, input, rnd, seed);
                runs++;
            }
        }, "seed " + seed);
    }

    private static void run(PacketType type, int packetSize, byte[] input, Random rnd, long seed) throws Exception {
        PacketDecoder decoder = PacketDecoders.forType(type, packetSize);
        ByteQueue q = PacketTesting.queue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String context = "seed " + seed + ", " + type + ", packet_size " + packetSize + ", input "
                + ByteBufUtil.hexDump(input);
        try {
            int at = 0;
            while (at < input.length) {
                int piece = Math.min(input.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 64));
                q.add(buf(input, at, at + piece));
                at += piece;
                if (!drain(decoder, q, out, context)) {
                    return; // invalid: the connection would be closed
                }
            }
            if (VERBATIM.contains(type)) {
                assertThat(concat(out.toByteArray(), contents(q))).as(context).isEqualTo(input);
            }
        } finally {
            q.release();
        }
    }

    /** Decodes until null; false after an InvalidPacketException (checked to have consumed nothing). */
    private static boolean drain(PacketDecoder decoder, ByteQueue q, ByteArrayOutputStream out, String context) {
        while (true) {
            byte[] before = contents(q);
            Object packet;
            try {
                packet = decoder.decode(q);
            } catch (InvalidPacketException e) {
                assertThat(contents(q)).as("nothing consumed on invalid: " + context).isEqualTo(before);
                assertThat(e.reason()).as(context).isNotNull();
                return false;
            }
            if (packet == null) {
                return true;
            }
            assertThat(q.readableBytes()).as("a packet must consume bytes: " + context).isLessThan(before.length);
            if (packet instanceof ByteBuf b) {
                try {
                    out.writeBytes(ByteBufUtil.getBytes(b));
                } finally {
                    b.release();
                }
            } else {
                assertThat(packet).as(context).isInstanceOf(HttpPacket.class);
                assertThat(packet.toString()).as(context).isNotEmpty();
            }
        }
    }

    /** Random bytes, or valid-looking input for the type, possibly mutated. */
    private static byte[] input(PacketType type, Random rnd) {
        byte[] base = switch (rnd.nextInt(3)) {
            case 0 -> randomBytes(rnd, rnd.nextInt(512));
            default -> plausible(type, rnd);
        };
        return rnd.nextBoolean() ? mutate(base, rnd) : base;
    }

    private static byte[] plausible(PacketType type, Random rnd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = 1 + rnd.nextInt(6);
        for (int i = 0; i < parts; i++) {
            out.writeBytes(switch (type) {
                case RAW, LINE -> concat(randomBytes(rnd, rnd.nextInt(100)), bytes("\n"));
                case HTTP, HTTPH, HTTP_BIN, HTTPH_BIN -> httpLine(rnd);
                default -> PacketTesting.pack(type, randomBytes(rnd, rnd.nextInt(rnd.nextBoolean() ? 40 : 600)),
                        rnd).wire();
            });
        }
        return out.toByteArray();
    }

    private static byte[] httpLine(Random rnd) {
        StringBuilder line = new StringBuilder();
        for (int i = rnd.nextInt(8); i > 0; i--) {
            line.append(HTTP_PIECES[rnd.nextInt(HTTP_PIECES.length)]);
        }
        return bytes(line.append(rnd.nextBoolean() ? "\r\n" : "\n").toString());
    }

    private static byte[] mutate(byte[] b, Random rnd) {
        byte[] m = b.clone();
        for (int i = rnd.nextInt(4); i > 0 && m.length > 0; i--) {
            switch (rnd.nextInt(4)) {
                case 0 -> m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                case 2 -> m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length + 1));
                default -> {
                    int at = rnd.nextInt(m.length + 1);
                    m = concat(java.util.Arrays.copyOf(m, at), randomBytes(rnd, 1 + rnd.nextInt(8)),
                            java.util.Arrays.copyOfRange(m, at, m.length));
                }
            }
        }
        return m;
    }
}
