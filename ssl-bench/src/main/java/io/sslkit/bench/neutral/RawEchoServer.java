package io.sslkit.bench.neutral;

import io.sslkit.bench.RawNetty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.sslkit.Provider;
import java.io.File;
import java.net.InetSocketAddress;

/**
 * The raw Netty baseline of {@code ssl-bench/neutral.sh}: an echo server that is only a Netty pipeline
 * ({@link RawNetty}'s event loops, epoll, {@code ByteBufAllocator.DEFAULT}, an {@link SslHandler} from a plain
 * {@link SslContextBuilder}, then an echo handler on the event loop). With {@code --plain} it is the plain TCP echo
 * backend the proxies forward to.
 *
 * <pre>
 * RawEchoServer --port P [--threads 1] (--cert F --key F [--provider openssl|jdk] | --plain)
 * </pre>
 *
 * Listens on 127.0.0.1 only, prints {@code listening <port>} and serves until it is killed (the script starts it under
 * {@code timeout}, so it also stops by itself).
 */
public final class RawEchoServer {

    private RawEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        int threads = 1;
        String cert = null;
        String key = null;
        Provider provider = Provider.OPENSSL;
        boolean plain = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--cert" -> cert = args[++i];
                case "--key" -> key = args[++i];
                case "--provider" -> provider = Provider.valueOf(args[++i].toUpperCase(java.util.Locale.ROOT));
                case "--plain" -> plain = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!plain && (cert == null || key == null)) {
            throw new IllegalArgumentException("--cert and --key, or --plain");
        }
        SslContext ctx = plain ? null : SslContextBuilder.forServer(new File(cert), new File(key))
                .clientAuth(ClientAuth.NONE)
                .sslProvider(RawNetty.sslProvider(provider))
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
        try (RawNetty netty = RawNetty.start(threads)) {
            Channel server = new io.netty.bootstrap.ServerBootstrap()
                    .group(netty.group())
                    .channel(netty.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.ALLOCATOR, RawNetty.ALLOC)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new io.netty.channel.ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (ctx != null) {
                                ch.pipeline().addLast(ctx.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new Echo());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            System.out.println("listening " + RawNetty.port(server));
            System.out.flush();
            server.closeFuture().sync();
        }
    }

    /** Echoes every read back; writes are flushed once per read batch; half-closed or closed by the peer: close. */
    private static final class Echo extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write((ByteBuf) msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
                ctx.close();
            } else if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
                ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
