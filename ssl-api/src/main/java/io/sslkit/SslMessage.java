package io.sslkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What an active socket sends its owner: Erlang's {@code {ssl, S, Data}}, {@code {ssl_closed, S}},
 * {@code {ssl_error, S, Reason}} and {@code {ssl_passive, S}}. Each carries its socket, so one owner can serve many.
 * Data already received is always delivered before {@link Closed} or {@link Error}.
 */
public sealed interface SslMessage permits SslMessage.Data, SslMessage.Closed, SslMessage.Error, SslMessage.Passive {

    /** The socket the message is about. */
    SslSocket socket();

    /**
     * {@code {ssl, S, Data}}: one message of data (one packet when {@code packet} is not raw).
     *
     * <p>{@link #data()} is, by {@code mode}: a {@code byte[]} (binary, the Java default), a {@link String} whose
     * chars are the bytes 0..255 (list: an Erlang string, ISO-8859-1), or an {@link HttpPacket} for the HTTP
     * packet types. {@link #bytes()} gives the bytes of the first two.
     */
    final class Data implements SslMessage {
        private final SslSocket socket;
        private final Object data;
        private final int size;
        private final Runnable onConsumed;
        private final AtomicBoolean consumed = new AtomicBoolean();

        /**
         * @param size       how many received bytes the message stands for (for flow control)
         * @param onConsumed run once when the owner has taken the message (see {@link #markConsumed()})
         */
        public Data(SslSocket socket, Object data, int size, Runnable onConsumed) {
            this.socket = Objects.requireNonNull(socket, "socket");
            this.data = Objects.requireNonNull(data, "data");
            this.size = size;
            this.onConsumed = onConsumed;
        }

        @Override
        public SslSocket socket() {
            return socket;
        }

        /** The payload: {@code byte[]}, {@code String} (list mode) or {@link HttpPacket}. */
        public Object data() {
            return data;
        }

        /** The payload as bytes (binary or list mode). @throws IllegalStateException for an HTTP packet */
        public byte[] bytes() {
            if (data instanceof byte[] b) {
                return b.clone();
            }
            if (data instanceof String s) {
                return s.getBytes(StandardCharsets.ISO_8859_1);
            }
            throw new IllegalStateException("not a byte payload: " + data);
        }

        /** How many received bytes this message stands for. */
        public int size() {
            return size;
        }

        /**
         * Tells the socket that the owner has taken this message, so that reading can go on when a slow owner had
         * paused it. {@link Mailbox} calls it on {@code receive}; for other owners the socket calls it when
         * {@link ControllingProcess#deliver} returns. Idempotent.
         */
        public void markConsumed() {
            if (consumed.compareAndSet(false, true) && onConsumed != null) {
                onConsumed.run();
            }
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Data d) || d.socket != socket) {
                return false;
            }
            return data instanceof byte[] a && d.data instanceof byte[] b ? Arrays.equals(a, b) : data.equals(d.data);
        }

        @Override
        public int hashCode() {
            return socket.hashCode() * 31 + (data instanceof byte[] a ? Arrays.hashCode(a) : data.hashCode());
        }

        @Override
        public String toString() {
            String d = data instanceof byte[] b ? "<<" + b.length + " bytes>>" : data instanceof String s
                    ? "\"" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "\"" : String.valueOf(data);
            return "{ssl," + socket + "," + d + "}";
        }
    }

    /** {@code {ssl_closed, S}}: the peer closed; every byte before it was delivered. */
    record Closed(SslSocket socket) implements SslMessage {
        @Override
        public String toString() {
            return "{ssl_closed," + socket + "}";
        }
    }

    /** {@code {ssl_error, S, Reason}}: the connection failed (a TLS alert, an invalid packet, ...). */
    record Error(SslSocket socket, Reason reason) implements SslMessage {
        @Override
        public String toString() {
            return "{ssl_error," + socket + "," + reason + "}";
        }
    }

    /** {@code {ssl_passive, S}}: an {@code {active, N}} count ran out; the socket is passive now. */
    record Passive(SslSocket socket) implements SslMessage {
        @Override
        public String toString() {
            return "{ssl_passive," + socket + "}";
        }
    }
}
