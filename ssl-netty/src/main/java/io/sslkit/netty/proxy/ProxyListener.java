package io.sslkit.netty.proxy;

/**
 * What a {@link TlsProxy} reports, for access logs and metrics. Called on event loops, several at once: an
 * implementation must be thread-safe and must not block (hand slow work such as file writes to a queue).
 */
public interface ProxyListener {

    /** A connection was accepted (not refused). */
    default void opened() {
    }

    /** A connection was closed at accept by {@code maxConnections}. */
    default void refused() {
    }

    /**
     * A client's handshake ended: {@code outcome} {@code ok}, {@code alert}, {@code timeout} or {@code closed};
     * {@code alert} the alert's name ({@code unknown_ca}) or {@code null}; {@code nanos} from the first byte
     * read to the end.
     */
    default void handshake(String outcome, String alert, long nanos) {
    }

    /** A connection ended; {@link ConnectionRecord} says how. */
    default void closed(ConnectionRecord record) {
    }

    /** Listens to nothing. */
    ProxyListener NONE = new ProxyListener() {
    };

    /** Both listeners, {@code a} first. */
    static ProxyListener both(ProxyListener a, ProxyListener b) {
        return new ProxyListener() {
            @Override
            public void opened() {
                a.opened();
                b.opened();
            }

            @Override
            public void refused() {
                a.refused();
                b.refused();
            }

            @Override
            public void handshake(String outcome, String alert, long nanos) {
                a.handshake(outcome, alert, nanos);
                b.handshake(outcome, alert, nanos);
            }

            @Override
            public void closed(ConnectionRecord record) {
                a.closed(record);
                b.closed(record);
            }
        };
    }
}
