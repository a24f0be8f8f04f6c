package io.sslkit.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
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
import io.sslkit.netty.context.SniSelector;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.How;
import io.sslkit.PacketType;
import io.sslkit.Provider;
import io.sslkit.netty.handler.StreamEnd;
import io.sslkit.netty.handler.ActiveModeHandler;
import io.sslkit.netty.handler.packet.PacketDecoder;
import io.sslkit.netty.handler.packet.PacketDecoders;
import io.sslkit.netty.handler.RecvException;
import io.sslkit.netty.handler.TlsExitHandler;
import io.sslkit.netty.internal.Await;
import io.sslkit.netty.internal.Errors;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
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

    /** Life cycle as seen by callers. Written by callers and the close listener; read anywhere. */
    enum State { ACCEPTED, HANDSHAKING, OPEN, CLOSED }

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
    private volatile SslHandler ssl;
    /** The version a server handshake chose, for the alert a failure sent; null on clients. */
    private volatile io.sslkit.netty.internal.VersionWitness witness;
    private volatile State state;
    /** mode, packet, header, ...: replaced whole by setopts. */
    private volatile Emulated emulated;
    /** How the peer's stream ended, once it has; {@code null} while open. */
    private volatile StreamEnd readEnd;
    /** The first handshake: done when its SslHandler's is (with SNI, once that handler is chosen). */
    private final io.netty.util.concurrent.Promise<Channel> handshakeDone;
    /** The contexts to choose from by SNI name (a server with sni_hosts/sni_fun), else null. */
    private final SniSelector.Contexts sni;
    /** Whether the (first) handshake resumed a session. */
    private volatile boolean resumed;
    /** {@code shutdown(read)} was called: recv says closed. */
    private volatile boolean readClosed;
    /** A client's session-cache key (see {@link TlsContext#sessionKey}); null for servers and with SNI disabled. */
    private TlsContext.SessionKey sessionKey;

    private NettySslSocket(NettySsl runtime, Channel channel, TlsContext tls, SslOptions opts, String host, int port,
                           State state, SniSelector.Contexts sni) {
        this.sni = sni;
        this.handshakeDone = channel.eventLoop().newPromise();
        this.runtime = runtime;
        this.channel = channel;
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.state = state;
        this.opts = opts;
        SslOptions o = opts;
        this.emulated = Emulated.of(o);
        this.sender = new Sender(channel, gate);
        this.delivery = new OwnerDelivery(this, channel.eventLoop(), o.owner().orElse(null), o.ownerHighWatermark());
        this.active = new ActiveModeHandler(Errors.mapper(tls.client()), delivery)
                .withDecoder(decoderFor(emulated));
        delivery.attach(active);
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
        NettySslSocket s = new NettySslSocket(runtime, channel, tls, opts, host, port, State.HANDSHAKING, null);
        s.sessionKey = key;
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
        return new NettySslSocket(runtime, channel, tls, opts, null, 0, State.ACCEPTED, sni);
    }

    private void installPipeline() {
        ChannelPipeline p = channel.pipeline();
        p.addLast("record-guard", new io.sslkit.netty.handler.RecordGuard( // malformed records: alert + close
                io.sslkit.netty.handler.RecordGuard.DEFAULT_MID_RECORD_LIMIT, handshakeDone));
        if (!tls.client() && tls.provider() == io.sslkit.Provider.OPENSSL && !opts.alpnPreferredProtocols().isEmpty()) {
            // BoringSSL cannot send no_application_protocol itself (see AlpnGuard)
            p.addLast("alpn-guard", new io.sslkit.netty.context.AlpnGuard(opts.alpnPreferredProtocols(),
                    handshakeDone));
        }
        installRenegotiationLimits(p);
        if (!tls.client() && sni != null) {
            // sni_hosts/sni_fun: the SslHandler is chosen by the ClientHello's name, then takes the selector's place
            io.netty.util.concurrent.Promise<SslHandler> selected = channel.eventLoop().newPromise();
            selected.addListener(f -> {
                if (f.isSuccess()) {
                    follow(selected.getNow());
                } else {
                    handshakeDone.tryFailure(f.cause());
                }
            });
            p.addLast("ssl", new SniSelector(sni, selected));
        } else {
            SslHandler h = tls.client() ? tls.newClientHandler(channel.alloc(), sessionKey)
                    : tls.newServerHandler(channel.alloc());
            h.setHandshakeTimeoutMillis(0); // deadlines are the caller's (connect/handshake timeout)
            p.addLast("ssl", h);
            if (!tls.client()) {
                // (not behind an SNI selector: its handler arrives later; such failures name TLS 1.2's alert)
                witness = new io.sslkit.netty.internal.VersionWitness(h.engine());
                p.addBefore("ssl", "version-witness", witness);
            }
            if (!tls.client() && opts.reuseSessionFun().isPresent() && tls.provider() == Provider.OPENSSL) {
                // reuse_session fun: judges the offered session before the engine reads the ClientHello
                p.addBefore("ssl", "reuse-gate",
                        new io.sslkit.netty.context.ResumptionGate(opts.reuseSessionFun().get(), tls));
            }
            follow(h);
        }
        if (tls.provider() == Provider.OPENSSL) {
            // Flushes from many small sends reach SslHandler as one: it then wraps them into full records and one
            // socket write, instead of a record and a syscall per send. Netty's handler flushes before a close, and
            // the sender waits for its last write before a TCP shutdown, so nothing stays behind. Not with the JDK
            // engine: a send still held here when renegotiate() starts would be wrapped after the new ClientHello,
            // and OpenSSL and OTP servers refuse application data in the middle of a renegotiation
            // (unexpected_message; seen in the s_server and Erlang interop rows).
            p.addLast("flush", new io.netty.handler.flush.FlushConsolidationHandler(
                    io.netty.handler.flush.FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        }
        p.addLast("active", active);
        p.addLast("bridge", new SocketBridge(gate));
        if (channel instanceof io.netty.channel.socket.DuplexChannel d && d.isInputShutdown()) {
            // An accepted peer's FIN can be read before transport_accept hands the socket out (epoll reads on
            // EPOLLRDHUP by itself), when none of these handlers saw its event: give it to them now.
            p.fireUserEventTriggered(io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE);
        }
    }

    /**
     * On the JDK engine (BoringSSL neither renegotiates nor accepts a client's renegotiation), between the socket
     * and "ssl": {@code renegotiate_at}, and on a server the rate limit on client-initiated renegotiation.
     */
    private void installRenegotiationLimits(ChannelPipeline p) {
        if (tls.provider() != Provider.JDK) {
            return;
        }
        if (!tls.client()) {
            p.addLast("renegotiation-limiter",
                    new io.sslkit.netty.handler.RenegotiationLimiter(runtime.renegotiationWindow()));
        }
        p.addLast("renegotiate-at", new io.sslkit.netty.handler.RenegotiateAtHandler(
                opts.renegotiateAt().orElse(SslOptions.DEFAULT_RENEGOTIATE_AT)));
    }

    /** Makes {@code h} this socket's SslHandler and follows its handshake. */
    private void follow(SslHandler h) {
        ssl = h;
        long start = System.currentTimeMillis();
        h.handshakeFuture().addListener(f -> { // on the event loop, while the engine is surely alive
            if (f.isSuccess()) {
                resumed = Resumption.resumed(h.engine(), start);
                Resumption.afterHandshake(h.engine(), opts, tls.client());
                handshakeDone.trySuccess(channel);
            } else {
                handshakeDone.tryFailure(f.cause());
            }
        });
    }

    Channel channel() {
        return channel;
    }

    /** The decoder for a packet type; null (raw) for {@code raw}. */
    private static PacketDecoder decoderFor(Emulated e) {
        return e.packet() == PacketType.RAW ? null : PacketDecoders.forType(e.packet(), e.packetSize());
    }

    /** The Java shape of a received message under the current {@code mode}/{@code header} (releases buffers). */
    Object shape(Object message) {
        return emulated.shape(message);
    }

    /** Waits for the handshake of a client socket; on failure closes the channel and throws the reason. */
    void awaitClientHandshake(long deadlineNanos) throws SslException {
        awaitHandshake(deadlineNanos);
    }

    @Override
    public void handshake(Timeout timeout) throws SslException {
        checkNotOnEventLoop();
        synchronized (this) {
            if (state == State.CLOSED) {
                throw new SslException(Reason.CLOSED);
            }
            if (state != State.ACCEPTED) {
                throw new SslException(Reason.EINVAL); // a client, or already handshaken
            }
            state = State.HANDSHAKING;
        }
        long deadline = runtime.orDefault(timeout).deadlineNanos();
        if (!channel.isActive()) {
            closeQuietly();
            throw new SslException(Reason.CLOSED); // the client went away before TLS started
        }
        Await.quietly(channel.eventLoop().submit(() -> {
            installPipeline();
            channel.read(); // autoRead is off: ask for the ClientHello
        }), CLOSE_WAIT_MILLIS);
        awaitHandshake(deadline);
    }

    private void awaitHandshake(long deadlineNanos) throws SslException {
        Future<Channel> hs = handshakeDone;
        try {
            Await.get(hs, deadlineNanos);
            state = State.OPEN;
            // OTP: active delivery starts once the handshake is done
            active.setActive(opts.get(Opt.ACTIVE));
        } catch (TimeoutException e) {
            closeQuietly();
            throw new SslException(Reason.TIMEOUT);
        } catch (ExecutionException e) {
            closeQuietly();
            io.sslkit.netty.internal.VersionWitness w = witness;
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
        Emulated e = emulated;
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
        Object packet = recvPacket(length, timeout);
        if (packet instanceof ByteBuf buf) {
            try {
                return ByteBufUtil.getBytes(buf);
            } finally {
                buf.release();
            }
        }
        throw new SslException(Reason.EINVAL); // an HTTP packet: use recvData
    }

    @Override
    public Object recvData(int length, Timeout timeout) throws SslException {
        return emulated.shape(recvPacket(length, timeout));
    }

    /** One message from the handler: a ByteBuf the caller releases, or a decoded packet. */
    private Object recvPacket(int length, Timeout timeout) throws SslException {
        checkOpen();
        if (readClosed) {
            throw new SslException(Reason.CLOSED);
        }
        checkNotOnEventLoop();
        if (length < 0) {
            throw new SslException(Reason.EINVAL);
        }
        Future<Object> f = active.recv(length, timeout.isInfinite() ? -1 : timeout.toMillis());
        try {
            return Await.get(f, Long.MAX_VALUE); // the handler enforces the timeout, on the event loop
        } catch (ExecutionException e) {
            throw recvFailure(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // unreachable: no deadline given
        } catch (InterruptedException e) {
            return takeAfterInterrupt(f);
        }
    }

    /** Interrupted while waiting: cancel without losing bytes (a request served meanwhile is still returned). */
    private Object takeAfterInterrupt(Future<Object> f) throws SslException {
        active.cancelRecv(f);
        Await.quietly(f, CLOSE_WAIT_MILLIS); // keeps the interrupt status
        Thread.currentThread().interrupt();
        if (f.isSuccess()) {
            return f.getNow();
        }
        throw new SslException(new Reason.Posix("eintr"));
    }

    private SslException recvFailure(Throwable cause) {
        if (cause instanceof RecvException r) {
            return new SslException(r.reason(), r.getCause());
        }
        return new SslException(Errors.reasonOf(cause, tls.client()), cause);
    }

    @Override
    public void setopts(SocketOpt<?>... options) throws SslException {
        checkNotClosed();
        checkNotOnEventLoop();
        for (SocketOpt<?> o : options) { // check all before changing any
            if (o.key() == Opt.ACTIVE && !Active.FALSE.equals(o.value()) && delivery.owner() == null) {
                throw new SslException(new Reason.Options("socket_options", o.toString(), "no_owner"));
            }
            if (o.key() == Opt.BACKLOG || o.key() == Opt.IP) {
                throw new SslException(new Reason.Options("socket_options", o.toString(), "einval"));
            }
        }
        Emulated before = emulated;
        Emulated after = before;
        for (SocketOpt<?> o : options) {
            if (Emulated.handles(o.key())) {
                after = after.with(o.key(), o.value());
            } else if (o.key() != Opt.ACTIVE && !SocketConfig.set(channel, o.key(), o.value())) {
                throw new SslException(new Reason.Options("socket_options", o.toString(), "einval"));
            }
        }
        emulated = after;
        if (after.packet() != before.packet() || after.packetSize() != before.packetSize()) {
            waitFor(active.setDecoder(decoderFor(after))); // applies from the next packet on
        }
        for (SocketOpt<?> o : options) {
            if (o.key() == Opt.ACTIVE) {
                Active a = (Active) o.value();
                if (a.kind() == Active.Kind.ONCE || a.kind() == Active.Kind.TRUE) {
                    // Arming cannot fail: no need to wait for the event loop (the Erlang idiom re-arms {active, once}
                    // after every message); it applies changes in order, before any later call's task. false and
                    // {active, N} still wait: after false no message may come, and N's sum can be out of range.
                    active.setActive(a);
                    continue;
                }
                try {
                    Await.get(active.setActive(a), Long.MAX_VALUE);
                } catch (ExecutionException e) {
                    throw new SslException(Reason.Options.of("socket_options", o.toString()));
                } catch (TimeoutException | InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SslException(new Reason.Posix("eintr"), e);
                }
            }
        }
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
        Map<Opt<?>, Object> out = new LinkedHashMap<>();
        for (Opt<?> k : keys) {
            if (k == Opt.ACTIVE) {
                out.put(k, onLoop(active::active));
            } else if (Emulated.handles(k)) {
                out.put(k, emulated.get(k));
            } else {
                out.put(k, SocketConfig.get(channel, k, opts));
            }
        }
        return out;
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
        return state == State.CLOSED;
    }

    private void checkNotClosed() throws SslException {
        if (state == State.CLOSED) {
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
                readClosed = true;
                waitFor(duplex.shutdownInput());
            }
            case READ_WRITE -> {
                readClosed = true;
                sender.closeOutput(() -> {
                    waitFor(ssl.closeOutbound()); // close_notify first
                    waitFor(duplex.shutdownOutput());
                });
                waitFor(duplex.shutdownInput());
            }
        }
    }

    /** The stream from the peer ended (any mode): remember how; with {@code exit_on_close}, close the socket. */
    void onStreamEnded(StreamEnd end) {
        readEnd = end;
        if (end.isClean() && emulated.exitOnClose() && state == State.OPEN) {
            // OTP's default: once the peer has closed its side the connection is over (queued data stays readable)
            channel.close();
        }
    }

    @Override
    public void renegotiate() throws SslException {
        checkOpen();
        checkNotOnEventLoop();
        Protocol p = negotiatedVersion();
        if (p == Protocol.TLS_V1_3 || tls.provider() != Provider.JDK) {
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
        if (p != Protocol.TLS_V1_3 || tls.provider() != Provider.JDK) {
            throw new SslException(Reason.Atom.NOTSUP);
        }
        newHandshake(); // the JDK engine answers beginHandshake() on TLS 1.3 with a KeyUpdate
    }

    /** {@code SslHandler.renegotiate()} on an engine that can, waiting for it to finish. */
    private void newHandshake() throws SslException {
        try {
            Future<Channel> done = ssl.renegotiate();
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
        boolean wasOpen = state != State.CLOSED;
        close();
        if (wasOpen) {
            delivery.tellClosed();
        }
    }

    @Override
    public void close(Timeout timeout) throws SslException {
        checkNotOnEventLoop();
        State was;
        synchronized (this) {
            was = state;
            state = State.CLOSED;
        }
        if (was == State.CLOSED) {
            throw new SslException(Reason.CLOSED);
        }
        runtime.forget(this);
        try {
            if (was != State.OPEN) {
                throw new SslException(Reason.CLOSED);
            }
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
        synchronized (this) {
            checkOpen();
            state = State.CLOSED;
        }
        runtime.forget(this);
        boolean kept = false;
        try {
            TlsExitHandler exit = new TlsExitHandler(ssl);
            Future<Boolean> added = channel.eventLoop().submit(() -> {
                ChannelHandlerContext sslCtx = channel.pipeline().context(ssl);
                if (sslCtx == null || !channel.isActive()) {
                    return false;
                }
                channel.pipeline().addAfter(sslCtx.name(), "tls-exit", exit);
                return true;
            });
            if (!Await.get(added, deadline)) {
                throw new SslException(Reason.CLOSED);
            }
            // close_notify after the queued sends (later sends: closed). Its future never completes if the channel
            // closed under it (SslHandler already removed): the channel's close ends the wait too.
            Promise<Void> sent = channel.eventLoop().newPromise();
            channel.closeFuture().addListener(f -> sent.trySuccess(null));
            sender.closeOutput(() -> {
                ssl.closeOutbound().addListener(f -> sent.trySuccess(null));
                try {
                    Await.get(sent, deadline);
                } catch (ExecutionException | InterruptedException | TimeoutException e) {
                    throw new SslException(Reason.TIMEOUT, e);
                }
            });
            Promise<Downgraded> result = channel.eventLoop().newPromise();
            exit.start().addListener(f -> { // on the event loop, in the read that carried the close_notify
                if (f.isSuccess()) {
                    result.trySuccess(leaveTls(exit, (TlsExitHandler.Result) f.getNow()));
                } else {
                    result.tryFailure(f.cause());
                }
            });
            Downgraded d = Await.get(result, deadline);
            kept = true;
            return d;
        } catch (TimeoutException e) {
            throw new SslException(Reason.TIMEOUT);
        } catch (ExecutionException e) {
            Reason r = Errors.reasonOf(e.getCause(), tls.client());
            if (r instanceof Reason.Posix || r instanceof Reason.Unexpected && !channel.isActive()) {
                r = Reason.CLOSED; // as in recv: a TCP error (a reset, a failed read on a dead socket) is closed
            }
            throw new SslException(r, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SslException(new Reason.Posix("eintr"), e);
        } finally {
            if (!kept) {
                Await.quietly(channel.close(), CLOSE_WAIT_MILLIS); // as OTP: a failed downgrade closes
            }
        }
    }

    /** Takes the TLS handlers out and puts the plain socket's in (event loop, once the peer's close_notify came). */
    private Downgraded leaveTls(TlsExitHandler exit, TlsExitHandler.Result r) {
        ChannelPipeline p = channel.pipeline();
        ByteBuf queued = active.takeQueued(); // arrived before the exit began: comes first
        byte[] unread;
        try {
            unread = new byte[queued.readableBytes() + r.tlsData().length];
            queued.readBytes(unread, 0, queued.readableBytes());
            System.arraycopy(r.tlsData(), 0, unread, unread.length - r.tlsData().length, r.tlsData().length);
        } finally {
            queued.release();
        }
        p.remove(exit);
        p.remove(active); // its end of stream finds this socket closed: no close, no message to the owner
        for (String name : new String[] {"flush", "bridge", "alpn-guard", "reuse-gate"}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        NettyPlainSocket plain = new NettyPlainSocket(runtime, channel, tls.client());
        plain.install();
        return new Downgraded(plain, r.firstBytes(), unread);
    }

    @Override
    public void close() {
        State was;
        synchronized (this) {
            was = state;
            state = State.CLOSED;
        }
        if (was == State.CLOSED) {
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
        synchronized (this) {
            state = State.CLOSED;
        }
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
        if (state == State.CLOSED || a == null) {
            throw new SslException(Reason.EINVAL); // OTP 25 after close
        }
        return a;
    }

    @Override
    public ConnectionInfo connectionInfo() throws SslException {
        SSLSession s = sslSession();
        return SessionInfo.of(s, ssl, tls, readEnd, resumed);
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
        if (sessionKey == null || !opts.reuseSessions() && opts.reuseSession().isEmpty()) {
            // SNI disabled: the engine was given no name and cached nothing; reuse_sessions false: the session
            // was dropped after the handshake (OTP saves sessions with true or save, not false)
            throw new SslException(Reason.EINVAL);
        }
        return new ClientSession(tls, sessionKey, s.getId(), negotiatedVersion());
    }

    private SSLSession sslSession() throws SslException {
        State s = state;
        if (s == State.CLOSED) {
            throw new SslException(Reason.CLOSED);
        }
        if (s != State.OPEN) {
            throw new SslException(Reason.EINVAL); // no handshake yet
        }
        return ssl.engine().getSession();
    }

    private void checkOpen() throws SslException {
        State s = state;
        if (s == State.CLOSED) {
            throw new SslException(Reason.CLOSED);
        }
        if (s != State.OPEN) {
            throw new SslException(Reason.EINVAL);
        }
    }

    private void checkNotOnEventLoop() {
        Await.offLoop(channel);
    }

    @Override
    public String toString() {
        return "SslSocket[" + channel.localAddress() + " -> " + channel.remoteAddress() + ", " + state + "]";
    }

    /** The version the handshake agreed on. */
    private Protocol negotiatedVersion() {
        return Protocol.fromName(ssl.engine().getSession().getProtocol()).orElse(Protocol.TLS_V1_2);
    }
}
