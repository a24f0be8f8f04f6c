package io.sslkit.netty.context;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.sslkit.Protocol;
import io.sslkit.ReuseSessionFun;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLSession;

/**
 * A server's {@code reuse_session} fun, asked before the engine reads the ClientHello. Placed right before a
 * BoringSSL {@link SslHandler}, it reads the (plaintext) hello of the first handshake and then removes itself:
 *
 * <ol>
 *   <li>A hello that will negotiate TLS 1.3 (it offers 1.3 in {@code supported_versions} and the server allows
 *   it) is let through untouched: TLS 1.3 resumes from tickets, which {@code session_tickets} governs, and its
 *   legacy session id names nothing.</li>
 *   <li>Otherwise (TLS 1.2) the engine is told to issue no ticket ({@code SSL_OP_NO_TICKET}), so that sessions are
 *   only resumed by id, where the fun can be asked; and if the hello offers a session id the server's context
 *   still holds, the fun gets it with what was recorded of it (client certificate, suite). {@code false}, or an
 *   exception (logged), invalidates the session before the engine looks it up: a full handshake, a new id.</li>
 * </ol>
 *
 * <p>Netty's BoringSSL session store keeps neither the suite nor the peer certificate of a server session, so
 * this gate records them per session id when a handshake finishes ({@link Facts}, bounded, per context).
 *
 * <pre>{@code
 * pipeline.addLast("ssl", tls.newServerHandler(alloc));
 * pipeline.addBefore("ssl", "reuse-gate", new ResumptionGate(fun, tls));
 * }</pre>
 */
public final class ResumptionGate extends SslClientHelloHandler<Void> {

    private static final io.netty.util.internal.logging.InternalLogger LOG = io.netty.util.internal.logging.InternalLoggerFactory.getInstance("io.sslkit");
    /** TLS extension {@code supported_versions} (RFC 8446 §4.2.1). */
    private static final int SUPPORTED_VERSIONS = 43;
    private static final int TLS_1_3 = 0x0304;
    /** Facts per server context (weak: they go with the context). */
    private static final Map<SslContext, Facts> FACTS = Collections.synchronizedMap(new WeakHashMap<>());

    private final ReuseSessionFun fun;
    private final TlsContext tls;

    public ResumptionGate(ReuseSessionFun fun, TlsContext tls) {
        this.fun = fun;
        this.tls = tls;
    }

    @Override
    protected Future<Void> lookup(ChannelHandlerContext ctx, ByteBuf hello) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (hello != null && ssl != null) {
            Hello h;
            try {
                h = Hello.parse(hello);
            } catch (IndexOutOfBoundsException malformed) {
                h = new Hello(new byte[0], false); // the engine will refuse it; nothing to judge
            }
            boolean tls13 = h.offersTls13() && tls.options().versions().contains(Protocol.TLS_V1_3);
            if (!tls13) {
                noTickets(ssl);
                if (h.sessionId().length > 0) {
                    judge(h.sessionId());
                }
            }
            Facts facts = factsOf(tls.context());
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    facts.record(ssl.engine().getSession());
                }
            });
        }
        return ctx.executor().newSucceededFuture(null);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<Void> future) {
        ctx.pipeline().remove(this); // the buffered hello goes on to the SslHandler
    }

    private void judge(byte[] id) {
        SSLSession session = tls.context().sessionContext().getSession(id);
        if (session == null) {
            return; // unknown or expired: a full handshake anyway
        }
        Fact fact = factsOf(tls.context()).get(id);
        boolean reuse;
        try {
            reuse = fun.reuse(id.clone(), fact == null ? null : fact.peerCert(), 0,
                    fact == null ? null : fact.suite());
        } catch (RuntimeException e) {
            LOG.warn("reuse_session fun threw; the session is not resumed", e);
            reuse = false;
        }
        if (!reuse) {
            session.invalidate(); // the engine's lookup now finds nothing
        }
    }

    private void noTickets(SslHandler ssl) {
        tls.engine().noTickets(ssl.engine());
    }

    private static Facts factsOf(SslContext ctx) {
        synchronized (FACTS) {
            return FACTS.computeIfAbsent(ctx, c -> new Facts());
        }
    }

    /** What the fun is told about a session. */
    record Fact(byte[] peerCert, String suite) {
    }

    /** Facts by session id, the most recent {@value #MAX} sessions (Netty's default session cache size). */
    static final class Facts {
        static final int MAX = 20_480;
        private final Map<String, Fact> byId = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Fact> eldest) {
                return size() > MAX;
            }
        };

        synchronized Fact get(byte[] id) {
            return byId.get(key(id));
        }

        void record(SSLSession s) {
            byte[] id = s.getId();
            if (id == null || id.length == 0) {
                return;
            }
            byte[] cert = null;
            try {
                Certificate[] chain = s.getPeerCertificates();
                cert = chain.length == 0 ? null : chain[0].getEncoded();
            } catch (Exception e) {
                // no client certificate (or none kept): the fun gets null, as OTP's does
            }
            Fact f = new Fact(cert, s.getCipherSuite());
            synchronized (this) {
                byId.putIfAbsent(key(id), f);
            }
        }

        private static String key(byte[] id) {
            return java.util.HexFormat.of().formatHex(id);
        }
    }

    /** The parts of a ClientHello body the gate needs (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2). */
    record Hello(byte[] sessionId, boolean offersTls13) {

        static Hello parse(ByteBuf b) {
            int i = b.readerIndex() + 2 + 32; // legacy_version, random
            int end = b.writerIndex();
            int idLen = b.getUnsignedByte(i);
            byte[] id = new byte[idLen];
            b.getBytes(i + 1, id);
            i += 1 + idLen;
            i += 2 + b.getUnsignedShort(i); // cipher_suites
            i += 1 + b.getUnsignedByte(i); // legacy_compression_methods
            if (i + 2 > end) {
                return new Hello(id, false); // no extensions
            }
            int extEnd = Math.min(end, i + 2 + b.getUnsignedShort(i));
            i += 2;
            while (i + 4 <= extEnd) {
                int type = b.getUnsignedShort(i);
                int len = b.getUnsignedShort(i + 2);
                if (type == SUPPORTED_VERSIONS && i + 5 <= extEnd) {
                    int listLen = b.getUnsignedByte(i + 4);
                    for (int v = i + 5; v + 2 <= Math.min(i + 5 + listLen, extEnd); v += 2) {
                        if (b.getUnsignedShort(v) == TLS_1_3) {
                            return new Hello(id, true);
                        }
                    }
                    return new Hello(id, false);
                }
                i += 4 + len;
            }
            return new Hello(id, false);
        }
    }
}
