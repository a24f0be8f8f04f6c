package io.sslkit.bench.tools;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslSocket;
import io.sslkit.bench.KeyType;
import io.sslkit.bench.Progress;
import io.sslkit.bench.RawNetty;
import io.sslkit.bench.Sink;
import io.sslkit.bench.SslkitEnds;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What goes on the wire for bulk writes: sends {@code MB} megabytes with {@code writeSize}-byte writes from an sslkit
 * client and from the raw Netty baseline's writer (the bulk benchmark's {@code Pump}) to a raw Netty server that
 * parses the TLS records before its {@code SslHandler}, and prints the records' count and average size and the
 * socket reads — the "record sizes below 16 KiB" and "one flush per write" questions, answered with numbers.
 *
 * <pre>java -cp benchmarks.jar io.sslkit.bench.tools.RecordProbe [openssl|jdk] [MB]</pre>
 */
public final class RecordProbe {

    private RecordProbe() {
    }

    public static void main(String[] args) throws Exception {
        Provider provider = args.length > 0 ? Provider.valueOf(args[0].toUpperCase(Locale.ROOT)) : Provider.OPENSSL;
        long total = (args.length > 1 ? Long.parseLong(args[1]) : 64) * 1_000_000L;
        Protocol version = Protocol.TLS_V1_3;
        KeyType.Pair cert = KeyType.EC_P256.pair();
        System.out.printf(Locale.ROOT, "%-8s %8s %10s %14s %12s %14s%n", "client", "write", "records",
                "avg record B", "reads", "avg read B");
        try (RawNetty netty = RawNetty.start(); Ssl ssl = Ssl.start()) {
            for (int writeSize : new int[] {1024, 16384, 262144}) {
                for (String client : new String[] {"sslkit", "raw"}) {
                    Records records = new Records();
                    Progress progress = new Progress();
                    SslContext serverContext = RawNetty.serverContext(provider, version, cert);
                    Channel server = netty.bind(ch -> ch.pipeline().addLast(records,
                            serverContext.newHandler(ch.alloc()), new Sink(progress)));
                    int port = RawNetty.port(server);
                    if (client.equals("sslkit")) {
                        try (SslSocket s = ssl.connect("localhost", port,
                                SslkitEnds.clientOptions(provider, version, cert).build())) {
                            ByteBuffer chunk = ByteBuffer.allocate(writeSize);
                            records.reset();
                            for (long sent = 0; sent < total; sent += writeSize) {
                                s.send(chunk.clear());
                            }
                            waitFor(progress, total);
                        }
                    } else {
                        SslContext clientContext = RawNetty.clientContext(provider, version, cert, true);
                        byte[] data = new byte[writeSize];
                        BoundedPump pump = new BoundedPump(data, total);
                        Channel ch = RawNetty.handshaken(netty.client(c -> c.pipeline().addLast(
                                clientContext.newHandler(c.alloc(), "localhost", port), pump))
                                .connect("localhost", port));
                        records.reset();
                        ch.eventLoop().execute(() -> pump.pump(ch.pipeline().context(pump)));
                        waitFor(progress, total);
                        ch.close().sync();
                    }
                    server.close().sync();
                    System.out.printf(Locale.ROOT, "%-8s %8d %10d %14.0f %12d %14.0f%n", client, writeSize,
                            records.records.get(), (double) records.recordBytes.get() / records.records.get(),
                            records.reads.get(), (double) records.readBytes.get() / records.reads.get());
                }
            }
        }
    }

    private static void waitFor(Progress progress, long total) throws Exception {
        progress.resync();
        long have = progress.received();
        if (have < total) {
            progress.awaitNext(total - have);
        }
    }

    /** Parses TLS records out of the inbound byte stream (before SslHandler), counting application data. */
    @io.netty.channel.ChannelHandler.Sharable
    static final class Records extends ChannelInboundHandlerAdapter {
        final AtomicLong records = new AtomicLong();
        final AtomicLong recordBytes = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong readBytes = new AtomicLong();
        private final byte[] header = new byte[5];
        private int headerPos;
        private int bodyLeft;

        void reset() {
            records.set(0);
            recordBytes.set(0);
            reads.set(0);
            readBytes.set(0);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            reads.incrementAndGet();
            readBytes.addAndGet(buf.readableBytes());
            int i = buf.readerIndex();
            int end = buf.writerIndex();
            while (i < end) {
                if (bodyLeft > 0) {
                    int n = Math.min(bodyLeft, end - i);
                    bodyLeft -= n;
                    i += n;
                    continue;
                }
                header[headerPos++] = buf.getByte(i++);
                if (headerPos == 5) {
                    headerPos = 0;
                    bodyLeft = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                    if (header[0] == 23) {
                        records.incrementAndGet();
                        recordBytes.addAndGet(bodyLeft + 5);
                    }
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The bulk benchmark's writer, stopping after {@code total} bytes. */
    static final class BoundedPump extends ChannelInboundHandlerAdapter {
        private final byte[] data;
        private long left;

        BoundedPump(byte[] data, long total) {
            this.data = data;
            this.left = total;
        }

        void pump(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (left > 0 && ctx.channel().isWritable()) {
                ctx.write(ctx.alloc().directBuffer(data.length).writeBytes(data), ctx.voidPromise());
                left -= data.length;
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && left > 0) {
                ctx.executor().execute(() -> pump(ctx));
            }
            ctx.fireChannelWritabilityChanged();
        }
    }
}
