package io.sslkit.netty.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * PROXY protocol headers (HAProxy's {@code proxy-protocol.txt}) sent to a backend, made with Netty's
 * {@code netty-codec-haproxy}: v1 (text, addresses) or v2 (binary, addresses plus TLVs). A v2 header of a connection
 * whose TLS the proxy terminated carries {@code PP2_TYPE_AUTHORITY} (the SNI) and a {@code PP2_TYPE_SSL} TLV
 * (client flags, verify result 0, and the sub-TLVs {@code PP2_SUBTYPE_SSL_VERSION}, {@code _CIPHER} and, when the
 * client sent a certificate, {@code _CN}), as HAProxy itself sends them.
 */
final class ProxyHeaders {

    private static final byte PP2_CLIENT_SSL = 0x01;
    private static final byte PP2_CLIENT_CERT_CONN = 0x02;
    private static final byte PP2_CLIENT_CERT_SESS = 0x04;
    private static final byte PP2_SUBTYPE_SSL_CIPHER = 0x23;

    private ProxyHeaders() {
    }

    /** Adds the encoder and a handler that writes the header first thing when the backend channel connects. */
    static void addSender(ChannelPipeline p, ProxySettings.SendProxy version, Link link) {
        p.addLast("proxy-encoder", HAProxyMessageEncoder.INSTANCE)
                .addLast("proxy-header", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(message(version, link)).addListener(link.closeOnFailure());
                        ctx.pipeline().remove(this);
                        ctx.fireChannelActive(); // after the header: a TLS backend's handshake starts here
                    }
                });
    }

    static HAProxyMessage message(ProxySettings.SendProxy version, Link link) {
        String peer = link.peer();
        int colon = peer.lastIndexOf(':');
        String srcHost = peer.substring(0, colon).replaceAll("^\\[|]$", "");
        int srcPort = Integer.parseInt(peer.substring(colon + 1));
        InetSocketAddress local = (InetSocketAddress) link.clientChannel().localAddress();
        boolean v6 = srcHost.indexOf(':') >= 0;
        InetAddress dst = local.getAddress();
        String dstHost = (dst instanceof Inet6Address) == v6 ? dst.getHostAddress() : v6 ? "::" : "0.0.0.0";
        HAProxyProxiedProtocol family = v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4;
        if (version == ProxySettings.SendProxy.V1) {
            return new HAProxyMessage(HAProxyProtocolVersion.V1, HAProxyCommand.PROXY, family, srcHost, dstHost,
                    srcPort, local.getPort());
        }
        return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY, family, srcHost, dstHost,
                srcPort, local.getPort(), tlvs(link));
    }

    private static List<HAProxyTLV> tlvs(Link link) {
        List<HAProxyTLV> tlvs = new ArrayList<>();
        if (link.sni() != null) {
            tlvs.add(new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_AUTHORITY, ascii(link.sni())));
        }
        SSLSession s = link.clientSession();
        if (s == null) {
            return tlvs; // passed through: the proxy knows no more than the SNI
        }
        List<HAProxyTLV> sub = new ArrayList<>();
        sub.add(new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_SSL_VERSION, ascii(s.getProtocol())));
        sub.add(new HAProxyTLV(PP2_SUBTYPE_SSL_CIPHER, ascii(s.getCipherSuite())));
        byte client = PP2_CLIENT_SSL;
        String cn = clientCn(s);
        if (cn != null) {
            client |= PP2_CLIENT_CERT_CONN | PP2_CLIENT_CERT_SESS;
            sub.add(new HAProxyTLV(HAProxyTLV.Type.PP2_TYPE_SSL_CN, Unpooled.copiedBuffer(cn,
                    StandardCharsets.UTF_8)));
        }
        tlvs.add(new HAProxySSLTLV(0, client, sub));
        return tlvs;
    }

    /** The CN of the client's certificate, or {@code null} (none sent, or no CN). */
    private static String clientCn(SSLSession s) {
        try {
            Certificate[] chain = s.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
                return null;
            }
            for (Rdn rdn : new LdapName(x.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // the client sent no certificate
        } catch (javax.naming.InvalidNameException e) {
            return null; // a subject the JDK printed cannot be unparsable; no CN to report either way
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
