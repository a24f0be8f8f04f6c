package io.sslkit.netty.context;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sslkit.Alert;
import io.sslkit.netty.engine.LocalAlertException;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's {@code no_application_protocol} where the engine cannot send it: BoringSSL through tcnative can only
 * decline ALPN and go on without a protocol, while OTP (and RFC 7301 §3.2) end the handshake with a fatal
 * {@code no_application_protocol} alert when the client offers protocols the server does not speak. This handler
 * reads the ClientHello's ALPN list before the {@code SslHandler} sees it; on no overlap it sends that alert as a
 * plaintext record (the handshake has no keys yet, as for any alert in answer to a ClientHello), reports it through
 * {@code failure} and closes. Otherwise it steps aside and the ClientHello goes on to the SslHandler unchanged. A
 * client that offers no ALPN at all is served without a protocol, as in OTP.
 */
public final class AlpnGuard extends SslClientHelloHandler<Boolean> {

    /** TLS record: alert(21), version 3.3, length 2, fatal(2), no_application_protocol(120). */
    private static final byte[] ALERT = {21, 3, 3, 0, 2, 2, 120};
    private static final int ALPN_EXTENSION = 16;

    private final List<String> serverProtocols;
    private final Promise<?> failure;

    /**
     * @param serverProtocols the server's {@code alpn_preferred_protocols}
     * @param failure         failed with a {@link LocalAlertException} carrying the alert when the guard refuses
     */
    public AlpnGuard(List<String> serverProtocols, Promise<?> failure) {
        this.serverProtocols = List.copyOf(serverProtocols);
        this.failure = failure;
    }

    @Override
    protected Future<Boolean> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        List<String> offered = clientHello == null ? List.of() : offeredProtocols(clientHello);
        boolean refuse = !offered.isEmpty() && offered.stream().noneMatch(serverProtocols::contains);
        return ctx.executor().newSucceededFuture(refuse);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<Boolean> refuse) {
        if (Boolean.TRUE.equals(refuse.getNow())) {
            failure.tryFailure(new LocalAlertException(Alert.NO_APPLICATION_PROTOCOL, "the client offers none of "
                    + serverProtocols));
            ctx.writeAndFlush(Unpooled.wrappedBuffer(ALERT)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.pipeline().remove(this); // the buffered ClientHello goes on to the SslHandler
        }
    }

    /** The protocol names of the ALPN extension of a ClientHello body (from client_version on); none if absent. */
    static List<String> offeredProtocols(ByteBuf in) {
        List<String> out = new ArrayList<>();
        int at = in.readerIndex() + 34; // client_version(2) + random(32)
        int end = in.writerIndex();
        try {
            at += 1 + in.getUnsignedByte(at);          // session_id
            at += 2 + in.getUnsignedShort(at);         // cipher_suites
            at += 1 + in.getUnsignedByte(at);          // compression_methods
            int extEnd = Math.min(end, at + 2 + in.getUnsignedShort(at));
            at += 2;
            while (at + 4 <= extEnd) {
                int type = in.getUnsignedShort(at);
                int len = in.getUnsignedShort(at + 2);
                at += 4;
                if (type == ALPN_EXTENSION) {
                    int listEnd = Math.min(at + 2 + in.getUnsignedShort(at), at + len);
                    for (int p = at + 2; p < listEnd; ) {
                        int n = in.getUnsignedByte(p);
                        out.add(in.toString(p + 1, n, java.nio.charset.StandardCharsets.ISO_8859_1));
                        p += 1 + n;
                    }
                    return out;
                }
                at += len;
            }
        } catch (IndexOutOfBoundsException e) {
            return List.of(); // a malformed ClientHello is the engine's to refuse
        }
        return out;
    }
}
