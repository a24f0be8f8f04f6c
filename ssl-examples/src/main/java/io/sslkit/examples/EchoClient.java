package io.sslkit.examples;

import io.sslkit.ConnectionInfo;
import io.sslkit.How;
import io.sslkit.PacketType;
import io.sslkit.Protocol;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * The client side of an echo: sends {@link EchoData} on one thread while another reads the echo and checks it byte
 * for byte, with sslkit's passive {@code recv}.
 *
 * <ul>
 *   <li>{@code renegotiate}: half-way through the data, {@code renegotiate()} on TLS 1.2 or
 *   {@code updateKeys(write)} on TLS 1.3, while the echo keeps flowing.</li>
 *   <li>{@code halfClose}: after the last byte, {@code shutdown(write)}; the echo of the rest must still arrive,
 *   followed by the server's own end ({@code closed}) and nothing else.</li>
 *   <li>Otherwise the client closes once every byte has come back.</li>
 * </ul>
 *
 * <p>Either side's failure closes the socket, which ends the other side's wait; the reason reported is the most
 * telling one (an alert seen by the reader rather than the {@code closed} the sender got because of it).
 */
final class EchoClient {

    /** Bytes per {@code send} (fewer when the packet header cannot say more). */
    static final int CHUNK = 128 * 1024;
    /** How long the reader waits for the next byte before giving up with {@code timeout}. */
    static final Timeout IDLE = Timeout.millis(60_000);
    static final Timeout CONNECT = Timeout.millis(30_000);

    /** What came back: every byte checked. */
    record Result(long bytes, ConnectionInfo info, long nanos) {
    }

    /** The echo differed from what was sent. */
    static final class MismatchException extends Cli.Failure {
        private static final long serialVersionUID = 1L;

        MismatchException(String message) {
            super(message);
        }
    }

    private final SslOptions options;
    private final EchoData data;
    private final PacketType packet;
    private final boolean renegotiate;
    private final boolean halfClose;
    private final LongConsumer echoed;
    private volatile ConnectionInfo info;

    /** @param echoed told the bytes checked so far, by the reading thread after each chunk (progress) */
    EchoClient(SslOptions options, EchoData data, boolean renegotiate, boolean halfClose, LongConsumer echoed) {
        this.options = options;
        this.echoed = echoed;
        this.data = data;
        this.packet = options.get(io.sslkit.Opt.PACKET);
        this.renegotiate = renegotiate;
        this.halfClose = halfClose;
    }

    Result run(Ssl ssl, String host, int port) throws SslException, MismatchException, InterruptedException {
        ExecutorService threads = Threads.perTask("echo-client");
        try (SslSocket s = ssl.connect(host, port, options, CONNECT)) {
            info = s.connectionInfo();
            long t0 = System.nanoTime();
            Future<Long> reader = threads.submit(() -> readAll(s));
            Exception sendFailure = null;
            try {
                sendAll(s);
                if (halfClose) {
                    s.shutdown(How.WRITE);
                }
            } catch (SslException e) {
                sendFailure = e;
                s.close(); // wakes the reader
            }
            long got;
            try {
                got = reader.get();
            } catch (ExecutionException e) {
                throw rethrow(worse(e.getCause(), sendFailure));
            }
            if (sendFailure != null) {
                throw (SslException) sendFailure;
            }
            return new Result(got, info, System.nanoTime() - t0);
        } finally {
            threads.shutdownNow();
        }
    }

    private void sendAll(SslSocket s) throws SslException {
        long total = data.size();
        long half = renegotiate ? total / 2 : -1;
        int chunk = Math.min(CHUNK, Flags.maxPayload(packet));
        long pos = 0;
        while (pos < total) {
            if (pos == half) {
                rekey(s);
            }
            int max = (int) Math.min(chunk, pos < half ? half - pos : Long.MAX_VALUE);
            var view = data.slice(pos, max);
            int n = view.remaining();
            s.send(view);
            pos += n;
        }
        if (pos == half) {
            rekey(s); // an empty stream
        }
    }

    /** TLS 1.2: a new handshake; TLS 1.3 has none (OTP 26+: notsup), its counterpart is a KeyUpdate. */
    private void rekey(SslSocket s) throws SslException {
        if (info.protocol() == Protocol.TLS_V1_3) {
            s.updateKeys(How.WRITE);
        } else {
            s.renegotiate();
        }
        info = s.connectionInfo();
    }

    private long readAll(SslSocket s) throws SslException, MismatchException {
        long total = data.size();
        long pos = 0;
        try {
            while (pos < total) {
                byte[] chunk = s.recv(0, IDLE);
                int m = data.mismatch(chunk, pos);
                if (m >= 0) {
                    throw new MismatchException(pos + m >= total
                            ? "the echo has more bytes than were sent (" + (pos + chunk.length) + " > " + total + ")"
                            : "the echo differs from the data sent at byte " + (pos + m));
                }
                pos += chunk.length;
                echoed.accept(pos);
            }
            if (halfClose) {
                expectEnd(s, pos);
            }
            return pos;
        } catch (SslException | MismatchException | RuntimeException e) {
            s.close(); // wakes a sender blocked by back-pressure
            throw e;
        }
    }

    /** After a half-close, the server ends its side too: nothing more may come, then {@code closed}. */
    private void expectEnd(SslSocket s, long pos) throws SslException, MismatchException {
        try {
            byte[] extra = s.recv(0, IDLE);
            throw new MismatchException("the echo has more bytes than were sent (" + (pos + extra.length) + " > "
                    + pos + ")");
        } catch (SslException e) {
            if (e.reason() != Reason.CLOSED) {
                throw e;
            }
        }
    }

    /** The reader's failure unless it is only the {@code closed} caused by the sender's. */
    private static Exception worse(Throwable readFailure, Exception sendFailure) {
        if (readFailure instanceof SslException r && r.reason() == Reason.CLOSED && sendFailure != null) {
            return sendFailure;
        }
        if (readFailure instanceof Exception e) {
            return e;
        }
        return new IllegalStateException(readFailure);
    }

    /** Throws {@code e} with its checked type (the return type lets callers write {@code throw rethrow(e)}). */
    private static SslException rethrow(Exception e) throws SslException, MismatchException {
        if (e instanceof SslException s) {
            throw s;
        }
        if (e instanceof MismatchException m) {
            throw m;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw new IllegalStateException(e);
    }

    /** The protocol and suite as last seen (after a renegotiation, the new ones). */
    ConnectionInfo info() {
        return info;
    }
}
