package io.sslkit.netty.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.util.function.BiConsumer;

/**
 * Takes the {@link HAProxyMessage} that Netty's {@link HAProxyMessageDecoder} decodes from a load balancer's PROXY
 * header (v1 or v2), gives its source address to the caller, releases it, and leaves the pipeline; the bytes after
 * the header (the client's TLS) go on untouched.
 *
 * <pre>{@code
 * pipeline.addLast(new HAProxyMessageDecoder(), new ProxyHeaderReader((ip, port) -> clientIs(ip, port)),
 *                  sslHandler, yourHandler);
 * }</pre>
 * A {@code LOCAL} header (a health check of the balancer itself) names no client: the socket's address stays. A
 * missing or malformed header is the decoder's {@code HAProxyProtocolException}, passed on as an exception.
 */
public final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {

    private final BiConsumer<String, Integer> source;

    /** @param source told the client's address and port from a {@code PROXY} header */
    public ProxyHeaderReader(BiConsumer<String, Integer> source) {
        this.source = source;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (m.command() == HAProxyCommand.PROXY && m.sourceAddress() != null) {
                source.accept(m.sourceAddress(), m.sourcePort());
            }
        } finally {
            m.release();
            ctx.pipeline().remove(this);
        }
    }
}
