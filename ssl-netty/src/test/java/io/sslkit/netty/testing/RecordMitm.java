package io.sslkit.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A man in the middle for tests, on loopback, for one connection: it reads the client's bytes record by record and
 * lets a {@link Rewriter} replace one of them (corrupt, split, resize, inject records around it), then passes the
 * server's bytes back untouched while noting their content types. {@link #serverDone()} completes when the server
 * ends its side (FIN or reset); {@link #close()} ends everything. Threads per direction; every read ends with the
 * sockets.
 */
public final class RecordMitm implements AutoCloseable {

    /** Rewrites the client's records. */
    public interface Rewriter {
        /**
         * @param index  the record's number in the client's stream, from 0 (the ClientHello), counting only records
         *               read from the client
         * @param armed  whether {@link #arm()} was called before this record was read
         * @param record the whole record, header included
         * @return the bytes to send the server instead (the record unchanged to leave it); see also
         *         {@link #endAfterThisRecord()}
         */
        byte[] rewrite(int index, boolean armed, byte[] record);
    }

    private final ServerSocket listen;
    private final InetSocketAddress target;
    private final Rewriter rewriter;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> serverDone = new CompletableFuture<>();
    /** The content types of the server's records, in order (23 includes everything sealed in TLS 1.3). */
    private final List<Integer> serverTypes = new CopyOnWriteArrayList<>();
    /** The last two bytes of each plaintext alert the server sent (level, description), in order. */
    private final List<Integer> serverAlerts = new CopyOnWriteArrayList<>();
    private volatile boolean armed;
    /** Set by a rewriter to end the client-to-server direction after the current record. */
    private volatile boolean endAfter;

    public RecordMitm(InetSocketAddress target, Rewriter rewriter) throws IOException {
        this.listen = new ServerSocket();
        this.listen.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5);
        this.target = target;
        this.rewriter = rewriter;
        Thread t = new Thread(this::acceptOne, "record-mitm-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listen.getLocalPort();
    }

    /** From now on, records are passed to the rewriter as armed (e.g. once the handshake is over). */
    public void arm() {
        armed = true;
    }

    /** Makes the client-to-server direction end (FIN) after the record being rewritten. */
    public void endAfterThisRecord() {
        endAfter = true;
    }

    /** Completes when the server closed its side of the connection. */
    public CompletableFuture<Void> serverDone() {
        return serverDone;
    }

    /** The content types of the records the server sent so far. */
    public List<Integer> serverTypes() {
        return List.copyOf(serverTypes);
    }

    /** The descriptions of the plaintext alerts the server sent so far (sealed alerts are not visible). */
    public List<Integer> serverAlerts() {
        return List.copyOf(serverAlerts);
    }

    private void acceptOne() {
        try {
            Socket client = listen.accept();
            Socket server = new Socket(target.getAddress(), target.getPort());
            sockets.add(client);
            sockets.add(server);
            start("c2s", () -> clientToServer(client, server));
            start("s2c", () -> serverToClient(server, client));
        } catch (IOException e) {
            serverDone.completeExceptionally(e);
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, "record-mitm-" + name);
        t.setDaemon(true);
        t.start();
    }

    private void clientToServer(Socket client, Socket server) {
        try (InputStream in = client.getInputStream()) {
            OutputStream out = server.getOutputStream();
            DataInputStream din = new DataInputStream(in);
            for (int index = 0; ; index++) {
                byte[] record = readRecord(din);
                if (record == null) {
                    break;
                }
                byte[] send = rewriter.rewrite(index, armed, record);
                out.write(send);
                out.flush();
                if (endAfter) {
                    break;
                }
            }
            server.shutdownOutput();
        } catch (IOException e) {
            // one side went away
        }
    }

    private void serverToClient(Socket server, Socket client) {
        try (InputStream in = server.getInputStream()) {
            OutputStream out = client.getOutputStream();
            DataInputStream din = new DataInputStream(in);
            while (true) {
                byte[] record = readRecord(din);
                if (record == null) {
                    break;
                }
                serverTypes.add(record[0] & 0xff);
                if (record[0] == 21 && record.length == 7) {
                    serverAlerts.add(record[6] & 0xff);
                }
                out.write(record);
                out.flush();
            }
        } catch (IOException e) {
            // a reset counts as done, as a FIN does
        } finally {
            serverDone.complete(null);
            try {
                client.shutdownOutput();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** One record, or null at the end of the stream; a stream cut inside a record ends as well. */
    private static byte[] readRecord(DataInputStream in) throws IOException {
        byte[] header = new byte[5];
        try {
            in.readFully(header);
            int len = (header[3] & 0xff) << 8 | (header[4] & 0xff);
            byte[] record = new byte[5 + len];
            System.arraycopy(header, 0, record, 0, 5);
            in.readFully(record, 5, len);
            return record;
        } catch (EOFException e) {
            return null;
        }
    }

    /** A record of {@code type} with version 3.3 around {@code body}. */
    public static byte[] record(int type, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(3);
        out.write(3);
        out.write(body.length >> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        listen.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
