package io.sslkit.examples;

import io.sslkit.ConnectionInfo;
import io.sslkit.Opt;
import io.sslkit.PacketType;
import io.sslkit.Ssl;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.certs.HeldCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * STARTTLS: a plain TCP conversation upgraded to TLS in the middle, as SMTP, IMAP or XMPP do it, with
 * {@link Ssl#connect(SocketChannel, SslOptions, Timeout)} on the client and
 * {@link Ssl#accept(SocketChannel, SslOptions, Timeout)} on the server (Erlang: {@code ssl:connect(TcpSocket, Opts)}
 * and {@code ssl:handshake(TcpSocket, Opts)}).
 *
 * <pre>
 * S: 220 sslkit STARTTLS example ready          (plain TCP)
 * C: STARTTLS
 * S: 220 go ahead
 *    ... TLS handshake on the same connection ...
 * C: HELLO over TLS                            (TLS, packet line)
 * S: 250 you said: HELLO over TLS
 * </pre>
 *
 * <p>The one rule: whoever reads the plain part must not read past the line that ends it, because the next bytes
 * belong to the TLS handshake. Here the plain lines are read a byte at a time; a buffered reader would have to
 * hand its surplus over, which the upgrade cannot take.
 *
 * <p>Run it: {@code java -cp ssl-examples/target/sslkit.jar io.sslkit.examples.StartTlsExample}.
 */
public final class StartTlsExample {

    private static final Timeout STEP = Timeout.millis(10_000);

    private final Ssl ssl;

    public StartTlsExample(Ssl ssl) {
        this.ssl = ssl;
    }

    public static void main(String[] args) throws Exception {
        try (Ssl ssl = Ssl.start()) {
            new StartTlsExample(ssl).run(System.out::println);
        }
    }

    /** Runs both sides on loopback; {@code transcript} gets each line as it is said. */
    public void run(Consumer<String> transcript) throws Exception {
        HeldCertificate cert = SelfSigned.localhost();
        SslOptions serverOptions = SslOptions.builder().cert(cert.certificate()).key(cert.privateKey())
                .set(Opt.PACKET, PacketType.LINE).build();
        SslOptions clientOptions = SslOptions.builder().cacerts(cert.certificate()) // verify_peer (the default)
                .serverNameIndication("localhost").set(Opt.PACKET, PacketType.LINE).build();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try {
                    serve(listener, serverOptions, transcript);
                } catch (Exception e) {
                    throw new IllegalStateException("server: " + e.getMessage(), e);
                }
            });
            client((InetSocketAddress) listener.getLocalAddress(), clientOptions, transcript);
            try {
                server.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
    }

    private void client(InetSocketAddress address, SslOptions options, Consumer<String> transcript)
            throws IOException {
        SocketChannel tcp = SocketChannel.open(address);
        transcript.accept("S: " + readLine(tcp));
        writeLine(tcp, "STARTTLS");
        transcript.accept("C: STARTTLS");
        String answer = readLine(tcp);
        transcript.accept("S: " + answer);
        if (!answer.startsWith("220")) {
            tcp.close();
            throw new IOException("the server refused STARTTLS: " + answer);
        }
        try (SslSocket tls = ssl.connect(tcp, options, STEP)) { // the channel now belongs to tls
            ConnectionInfo info = tls.connectionInfo();
            transcript.accept("   -- client: TLS " + info.protocol() + " " + info.cipherSuite() + ", server "
                    + tls.peercert().certificate().getSubjectX500Principal() + " --");
            tls.send("HELLO over TLS\n");
            transcript.accept("C: HELLO over TLS");
            transcript.accept("S: " + line(tls.recv(0, STEP)));
        }
    }

    private void serve(ServerSocketChannel listener, SslOptions options, Consumer<String> transcript)
            throws IOException {
        SocketChannel tcp = listener.accept();
        writeLine(tcp, "220 sslkit STARTTLS example ready");
        String command = readLine(tcp);
        if (!command.equals("STARTTLS")) {
            writeLine(tcp, "502 say STARTTLS first");
            tcp.close();
            return;
        }
        writeLine(tcp, "220 go ahead");
        try (SslSocket tls = ssl.accept(tcp, options, STEP)) {
            String hello = line(tls.recv(0, STEP));
            tls.send("250 you said: " + hello + "\n");
        }
    }

    /** One line of the plain part, read a byte at a time so that no byte of the TLS handshake is taken. */
    static String readLine(SocketChannel tcp) throws IOException {
        StringBuilder sb = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (tcp.read(one) < 0) {
                throw new IOException("connection closed in the middle of a line: " + sb);
            }
            char c = (char) (one.get(0) & 0xff);
            if (c == '\n') {
                return sb.toString();
            }
            if (c != '\r') {
                sb.append(c);
            }
        }
    }

    static void writeLine(SocketChannel tcp, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            tcp.write(b);
        }
    }

    private static String line(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).stripTrailing();
    }
}
