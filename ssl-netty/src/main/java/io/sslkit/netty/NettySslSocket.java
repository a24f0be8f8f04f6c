package io.sslkit.netty;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.sslkit.Active;
import io.sslkit.ConnectionInfo;
import io.sslkit.ControllingProcess;
import io.sslkit.Downgraded;
import io.sslkit.Opt;
import io.sslkit.SocketOpt;
import io.sslkit.SslOptions;
import io.sslkit.PeerCert;
import io.sslkit.Protocol;
import io.sslkit.Reason;
import io.sslkit.SslException;
import io.sslkit.SslSocket;
import io.sslkit.Timeout;
import io.sslkit.netty.conn.Emulated;
import io.sslkit.netty.conn.TlsConnection;
import io.sslkit.netty.conn.TlsConnection.Phase;
import io.sslkit.netty.context.SniSelector;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.How;
import io.sslkit.PacketType;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.internal.Await;
import io.sslkit.netty.internal.Errors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The {@link SslSocket} facade over one Netty channel. Thin: each method checks the state and its arguments, hops
 * to the event loop through a handler and waits for the answer. The pipeline is
 * {@code SslHandler → ActiveModeHandler → SocketBridge}; protocol logic lives in those handlers. On the JDK engine
 * {@code RenegotiationLimiter} (servers) and {@code RenegotiateAtHandler} sit before the {@code SslHandler}.
 */
final class NettySslSocket implements SslSocket {

    /** How long {@link #close()} waits for close_notify to go out before it stops waiting. */
    private static final long CLOSE_WAIT_MILLIS = 5_000;

    private final NettySsl runtime;
    private final Channel channel;
    private final TlsContext tls;
    /** The options this socket was made with (an accepted socket: its listen socket's, at accept time). */
    private final SslOptions opts;
    private final String host;
    private final int port;
    private final WriteGate gate = new WriteGate();
    private final ActiveModeHandler active;
    private final OwnerDelivery delivery;
    private final Sender sender;
    private final SocketOptions socketOptions;
    private final PassiveReader reader;
    /** The TLS handlers: the SslHandler, the handshake's outcome, every engine-dependent choice. */
    private final SslPipeline pipeline;
    /** The life cycle, half-closes, peer's end and emulated options: every transition goes through it. */
    private final TlsConnection conn;

    private NettySslSocket(NettySsl runtime, Channel channel, TlsContext tls, SslOptions opts, String host, int port,
                           Phase phase, SniSelector.Contexts sni, TlsContext.SessionKey sessionKey) {
        this.pipeline = new SslPipeline(channel, tls, opts, sni, sessionKey, runtime.renegotiationWindow());
        this.runtime = runtime;
        this.channel = channel;
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.opts = opts;
        SslOptions o = opts;
        this.conn = new TlsConnection(channel, phase, Emulated.of(o));
        this.sender = new Sender(channel, gate, conn, !pipeline.canRenegotiate());
        this.delivery = new OwnerDelivery(this, conn, o.owner().orElse(null));
        this.active = new ActiveModeHandler(Errors.mapper(tls.client()), delivery)
                .withHighWatermark(o.ownerHighWatermark())
                .withDecoder(SocketOptions.decoderFor(conn.emulated()));
        this.socketOptions = new SocketOptions(conn, active, opts);
        this.reader = new PassiveReader(active, Errors.mapper(tls.client()));
        channel.closeFuture().addListener(f -> gate.signal());
    }

    /** A client socket on a channel that is being connected; the pipeline is installed at once. */
    static NettySslSocket client(NettySsl runtime, Channel channel, TlsContext tls, String host, int port) {
        return client(runtime, channel, tls, tls.options(), host, port, tls.sessionKey(host, port));
    }

    /**
     * A client socket whose engine offers what its context caches under {@code key} (a saved session's, for
     * {@code reuse_session}); {@code opts} may be other options than the context's (socket, owner, packet).
     */
    static NettySslSocket client(NettySsl runtime, Channel channel, TlsContext tls, SslOptions opts, String host,
                                 int port, TlsContext.SessionKey key) {
        NettySslSocket s = new NettySslSocket(runtime, channel, tls, opts, host, port, Phase.HANDSHAKING, null, key);
        s.installPipeline();
        return s;
    }

    /**
     * A server socket from {@code transport_accept}: no TLS yet, until {@link #handshake(Timeout)}.
     *
     * @param opts the listen socket's options at accept time (emulated and TCP options are inherited)
     */
    static NettySslSocket accepted(NettySsl runtime, Channel channel, TlsContext tls, SslOptions opts,
                                   SniSelector.Contexts sni) {
        return new NettySslSocket(runtime, channel, tls, opts, null, 0, Phase.ACCEPTED, sni, null);
    }

    private void installPipeline() {
        pipeline.install(active, new SocketBridge(gate));
    }

    Channel channel() {
        return channel;
    }

    /** Waits for the handshake of a client socket; on failure closes the channel and throws the reason. */
    void awaitClientHandshake(long deadlineNanos) throws SslException {
        awaitHandshake(deadlineNanos);
    }

    @Override
    public void handshake(Timeout timeout) throws SslException {
        checkNotOnEventLoop();
        if (!conn.move(Phase.ACCEPTED, Phase.HANDSHAKING)) {
            // closed, or a client, or already handshaken
            throw new SslException(conn.phase() == Phase.CLOSED ? Reason.CLOSED : Reason.EINVAL);
        }
        long deadline = runtime.orDefault(timeout).deadlineNanos();
        if (!channel.isActive()) {
            closeQuietly();
            throw new SslException(Reason.CLOSED); // the client went away before TLS started
        }
        // Not waited for: awaitHandshake waits for what counts (a thread hand-off less per accepted connection)
        channel.eventLoop().execute(() -> {
            try {
                installPipeline();
                channel.read(); // autoRead is off: ask for the ClientHello
            } catch (RuntimeException e) {
                pipeline.handshakeDone().tryFailure(e);
            }
        });
        awaitHandshake(deadline);
    }

    private void awaitHandshake(long deadlineNanos) throws SslException {
        Future<Channel> hs = pipeline.handshakeDone();
        try {
            Await.get(hs, deadlineNanos);
            if (!conn.move(Phase.HANDSHAKING, Phase.OPEN)) {
                throw new SslException(Reason.CLOSED); // closed while the handshake ran: it stays closed
            }
            // OTP: active delivery starts once the handshake is done
            active.setActive(opts.get(Opt.ACTIVE));
        } catch (TimeoutException e) {
            closeQuietly();
            throw new SslException(Reason.TIMEOUT);
        } catch (ExecutionException e) {
            closeQuietly();
            io.sslkit.netty.internal.VersionWitness w = pipeline.witness();
            throw new SslException(Errors.reasonOf(e.getCause(), tls.client(), w == null ? null : w.version()),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
    }

    @Override
    public void send(byte[] data) throws SslException {
        send(ByteBuffer.wrap(data));
    }

    @Override
    public void send(ByteBuffer data) throws SslException {
        checkOpen();
        checkNotOnEventLoop();
        Emulated e = conn.emulated();
        try {
            sender.send(data, e.packet(), e.sendTimeout().deadlineNanos());
        } catch (SslException failure) {
            if (failure.reason() == Reason.TIMEOUT && e.sendTimeoutClose()) {
                close(); // send_timeout_close
            }
            throw failure;
        }
    }

    @Override
    public byte[] recv(int length, Timeout timeout) throws SslException {
        checkReadable();
        return reader.recvBytes(length, timeout, conn.emulated().packet() == PacketType.RAW);
    }

    @Override
    public Object recvData(int length, Timeout timeout) throws SslException {
        checkReadable();
        return conn.emulated().shape(reader.recv(length, timeout));
    }

    @Override
    public int recv(ByteBuffer dst, Timeout timeout) throws SslException {
        checkReadable();
        return reader.recvInto(dst, timeout);
    }

    private void checkReadable() throws SslException {
        checkOpen();
        if (conn.state().readShut()) {
            throw new SslException(Reason.CLOSED);
        }
        checkNotOnEventLoop();
    }

    /** Chooses the receive path (tests). */
    void dataPath(PassiveReader.DataPath path) {
        reader.path(path);
    }

    @Override
    public void setopts(SocketOpt<?>... options) throws SslException {
        checkNotClosed();
        checkNotOnEventLoop();
        socketOptions.setopts(delivery.owner() != null, options);
    }

    private void waitFor(Future<?> f) throws SslException {
        try {
            Await.get(f, Long.MAX_VALUE);
        } catch (ExecutionException e) {
            throw new SslException(Errors.reasonOf(e.getCause(), tls.client()), e.getCause()); // e.g. closed
        } catch (TimeoutException | InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
    }

    @Override
    public Map<Opt<?>, Object> getopts(Opt<?>... keys) throws SslException {
        checkNotClosed();
        checkNotOnEventLoop();
        return socketOptions.getopts(keys);
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws SslException {
        try {
            return Await.get(channel.eventLoop().submit(task), Long.MAX_VALUE);
        } catch (ExecutionException e) {
            throw new SslException(new Reason.Unexpected(String.valueOf(e.getCause())), e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new SslException(Reason.CLOSED);
        }
    }

    @Override
    public void controllingProcess(ControllingProcess current, ControllingProcess next) throws SslException {
        java.util.Objects.requireNonNull(next, "next");
        checkNotClosed();
        synchronized (this) {
            if (delivery.owner() != current) {
                throw new SslException(Reason.Atom.NOT_OWNER);
            }
            delivery.owner(next);
        }
    }

    /** Decrypted bytes buffered and not yet read (waits for the event loop); for tests and metrics. */
    long queuedBytes() throws SslException {
        return onLoop(active::queuedBytes);
    }

    /** How long a {@code send} has been blocked by TCP back-pressure without a break, in ms (0 if none is). */
    long sendBlockedMillis() {
        return gate.blockedMillis();
    }

    /** Whether this side closed the socket (its owner then gets no more messages, as in OTP). */
    boolean closedLocally() {
        return conn.closedLocally();
    }

    private void checkNotClosed() throws SslException {
        if (conn.phase() == Phase.CLOSED) {
            throw new SslException(Reason.CLOSED);
        }
    }

    @Override
    public void shutdown(How how) throws SslException {
        checkOpen();
        checkNotOnEventLoop();
        if (!(channel instanceof DuplexChannel duplex)) {
            throw new SslException(Reason.Atom.NOTSUP);
        }
        switch (how) {
            case WRITE -> sender.closeOutput(() -> waitFor(duplex.shutdownOutput()));
            case READ -> {
                conn.shutRead();
                waitFor(duplex.shutdownInput());
            }
            case READ_WRITE -> {
                conn.shutRead();
                sender.closeOutput(() -> {
                    waitFor(pipeline.ssl().closeOutbound()); // close_notify first
                    waitFor(duplex.shutdownOutput());
                });
                waitFor(duplex.shutdownInput());
            }
        }
    }

    @Override
    public void renegotiate() throws SslException {
        checkOpen();
        checkNotOnEventLoop();
        Protocol p = negotiatedVersion();
        if (p == Protocol.TLS_V1_3 || !pipeline.canRenegotiate()) {
            // OTP 26+: notsup on TLS 1.3. BoringSSL cannot renegotiate, and asking SslHandler would close the channel.
            throw new SslException(Reason.Atom.NOTSUP);
        }
        newHandshake();
    }

    @Override
    public void updateKeys(How how) throws SslException {
        checkOpen();
        checkNotOnEventLoop();
        if (how == How.READ) {
            throw new SslException(Reason.EINVAL);
        }
        Protocol p = negotiatedVersion();
        if (p != Protocol.TLS_V1_3 || !pipeline.canRenegotiate()) {
            throw new SslException(Reason.Atom.NOTSUP);
        }
        newHandshake(); // the JDK engine answers beginHandshake() on TLS 1.3 with a KeyUpdate
    }

    /** {@code SslHandler.renegotiate()} on an engine that can, waiting for it to finish. */
    private void newHandshake() throws SslException {
        try {
            Future<Channel> done = pipeline.ssl().renegotiate();
            // The peer's answer must be read even if nobody reads data now: SslHandler keeps reading once asked,
            // until the handshake is over. (A peer that does not read stalls it, as with OTP.)
            channel.read();
            Await.get(done, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        } catch (ExecutionException e) {
            Reason r = Errors.reasonOf(e.getCause(), tls.client());
            if (r instanceof Reason.TlsAlert a && a.alert() == io.sslkit.Alert.NO_RENEGOTIATION) {
                throw new SslException(Reason.Atom.RENEGOTIATION_REJECTED, e.getCause());
            }
            throw new SslException(r, e.getCause());
        } catch (TimeoutException e) {
            throw new SslException(Reason.TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        }
    }

    /**
     * {@code ssl:stop/0} closes this socket: close it, and tell an owner, which (unlike after its own close) did not
     * ask for it, with a {@link io.sslkit.SslMessage.Closed}.
     */
    void closeByRuntime() {
        boolean wasOpen = conn.phase() != Phase.CLOSED;
        close();
        if (wasOpen) {
            delivery.tellClosed();
        }
    }

    @Override
    public void close(Timeout timeout) throws SslException {
        checkNotOnEventLoop();
        Phase was = conn.close();
        if (was == Phase.CLOSED) {
            throw new SslException(Reason.CLOSED);
        }
        runtime.forget(this);
        try {
            if (was != Phase.OPEN) {
                throw new SslException(Reason.CLOSED);
            }
            SslHandler ssl = pipeline.ssl();
            Await.quietly(ssl.closeOutbound(), CLOSE_WAIT_MILLIS);
            active.setPaused(true); // nobody takes data now: the handler only has to keep reading for the answer
            Await.get(channel.eventLoop().submit(() -> channel.read()), Long.MAX_VALUE);
            Await.get(ssl.sslCloseFuture(), timeout.deadlineNanos());
        } catch (TimeoutException e) {
            throw new SslException(Reason.TIMEOUT);
        } catch (ExecutionException e) {
            throw new SslException(Reason.CLOSED, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        } finally {
            Await.quietly(channel.close(), CLOSE_WAIT_MILLIS);
        }
    }

    // ---- ssl:close/2 with {NewOwner, Timeout}: TLS downgrade ----------------------------------------------------

    @Override
    public Downgraded downgrade(Timeout timeout) throws SslException {
        checkNotOnEventLoop();
        long deadline = timeout.deadlineNanos();
        checkOpen();
        // From now on the owner gets nothing: what it has not had stays queued and is returned as unread data
        waitFor(active.setActive(Active.FALSE));
        if (!conn.move(Phase.OPEN, Phase.CLOSED)) {
            checkOpen(); // closed meanwhile: says why
        }
        runtime.forget(this);
        return new Downgrade(runtime, channel, pipeline.ssl(), active, sender, tls.client()).run(deadline);
    }

    @Override
    public void close() {
        if (conn.close() == Phase.CLOSED) {
            return;
        }
        runtime.forget(this);
        // SslHandler turns close() into close_notify, then closes TCP (bounded by its flush timeout).
        Future<Void> f = channel.close();
        if (!channel.eventLoop().inEventLoop()) {
            Await.quietly(f, CLOSE_WAIT_MILLIS);
        }
    }

    private void closeQuietly() {
        conn.close();
        runtime.forget(this);
        channel.close();
    }

    @Override
    public InetSocketAddress peername() throws SslException {
        return address((InetSocketAddress) channel.remoteAddress());
    }

    @Override
    public InetSocketAddress sockname() throws SslException {
        return address((InetSocketAddress) channel.localAddress());
    }

    private InetSocketAddress address(InetSocketAddress a) throws SslException {
        if (conn.phase() == Phase.CLOSED || a == null) {
            throw new SslException(Reason.EINVAL); // OTP 25 after close
        }
        return a;
    }

    @Override
    public ConnectionInfo connectionInfo() throws SslException {
        SSLSession s = sslSession();
        return SessionInfo.of(s, pipeline.ssl(), tls, conn.state().peerEnd(), pipeline.resumed());
    }

    @Override
    public PeerCert peercert() throws SslException {
        SSLSession s = sslSession();
        try {
            Certificate[] chain = s.getPeerCertificates();
            return PeerCert.of((X509Certificate) chain[0]);
        } catch (SSLPeerUnverifiedException e) {
            throw new SslException(Reason.Atom.NO_PEERCERT);
        } catch (CertificateException e) {
            throw new SslException(new Reason.Unexpected("peer certificate cannot be encoded: " + e.getMessage()));
        }
    }

    @Override
    public io.sslkit.SavedSession session() throws SslException {
        SSLSession s = sslSession();
        if (!tls.client()) {
            throw new SslException(Reason.EINVAL); // only clients resume sessions they saved
        }
        TlsContext.SessionKey sessionKey = pipeline.sessionKey();
        if (sessionKey == null || !opts.reuseSessions() && opts.reuseSession().isEmpty()) {
            // SNI disabled: the engine was given no name and cached nothing; reuse_sessions false: the session
            // was dropped after the handshake (OTP saves sessions with true or save, not false)
            throw new SslException(Reason.EINVAL);
        }
        return new ClientSession(tls, sessionKey, s.getId(), negotiatedVersion());
    }

    private SSLSession sslSession() throws SslException {
        Phase s = conn.phase();
        if (s == Phase.CLOSED) {
            throw new SslException(Reason.CLOSED);
        }
        if (s != Phase.OPEN) {
            throw new SslException(Reason.EINVAL); // no handshake yet
        }
        return pipeline.ssl().engine().getSession();
    }

    private void checkOpen() throws SslException {
        Phase s = conn.phase();
        if (s == Phase.CLOSED) {
            throw new SslException(Reason.CLOSED);
        }
        if (s != Phase.OPEN) {
            throw new SslException(Reason.EINVAL);
        }
    }

    private void checkNotOnEventLoop() {
        Await.offLoop(channel);
    }

    @Override
    public String toString() {
        return "SslSocket[" + channel.localAddress() + " -> " + channel.remoteAddress() + ", " + conn.phase() + "]";
    }

    /** The version the handshake agreed on. */
    private Protocol negotiatedVersion() {
        return Protocol.fromName(pipeline.ssl().engine().getSession().getProtocol()).orElse(Protocol.TLS_V1_2);
    }
}
