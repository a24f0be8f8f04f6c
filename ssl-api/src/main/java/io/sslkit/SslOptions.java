package io.sslkit;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS options of {@code ssl:connect/3,4}, {@code ssl:listen/2} and {@code ssl:handshake/2,3}: immutable, made
 * with a {@link Builder}.
 *
 * <p>Everything that can be checked without touching files is checked once, in {@link Builder#build()} (Erlang's
 * {@code handle_options}), which throws {@link SslOptionsException} with an {@code {options, …}} reason. Files
 * named by {@code certfile}/{@code keyfile}/{@code cacertfile} are read when the options are used, by
 * {@code connect}/{@code listen}, which fail with the same kind of reason ({@code {options, {certfile, File,
 * {error, enoent}}}}) — unlike OTP, which reads them lazily and fails the first handshake instead.
 *
 * <pre>{@code
 * SslOptions server = SslOptions.builder()
 *         .certfile(Path.of("server.pem")).keyfile(Path.of("server.key"))
 *         .build();
 * SslOptions client = SslOptions.builder()
 *         .cacertfile(Path.of("ca.pem"))           // verify_peer is the client default (OTP 26+)
 *         .versions(Protocol.TLS_V1_3)
 *         .build();
 * }</pre>
 *
 * <p>{@link #toString()} never shows a private key or a password.
 */
public final class SslOptions {

    /** Default {@code versions}: TLS 1.3 and 1.2. */
    public static final List<Protocol> DEFAULT_VERSIONS = List.of(Protocol.TLS_V1_3, Protocol.TLS_V1_2);

    /** Default {@code depth}: 10, as OTP 21+ (1 through OTP 20). */
    public static final int DEFAULT_DEPTH = 10;

    /** Default {@code renegotiate_at}: 268435456 (2^28) records, as OTP; larger values are clamped to it. */
    public static final long DEFAULT_RENEGOTIATE_AT = 268_435_456L;

    private final Verify verify;
    private final Boolean failIfNoPeerCert;
    private final Path certfile;
    private final Path keyfile;
    private final char[] password;
    private final Path cacertfile;
    private final List<X509Certificate> cert;
    private final PrivateKey key;
    private final PrivateKeyDer keyDer;
    private final List<X509Certificate> cacerts;
    private final boolean systemCacerts;
    private final List<Protocol> versions;
    private final Provider provider;
    private final String serverNameIndication;
    private final boolean serverNameIndicationDisabled;
    private final Map<Opt<?>, Object> socketOptions;
    private final ControllingProcess owner;
    private final int ownerHighWatermark;
    private final VerifyFun.WithState<?> verifyFun;
    private final Integer depth;
    private final PartialChain partialChain;
    private final List<CipherSuite> ciphers;
    private final boolean honorCipherOrder;
    private final List<String> alpnAdvertisedProtocols;
    private final List<String> alpnPreferredProtocols;
    private final byte[] dh;
    private final Path dhfile;
    private final boolean secureRenegotiate;
    private final boolean renegotiation;
    private final boolean allowInsecureCiphers;
    private final Map<String, SslOptions> sniHosts;
    private final java.util.function.Function<String, Optional<SslOptions>> sniFun;
    private final Boolean clientRenegotiation;
    /** {@code renegotiate_at} as given (clamped), or null. */
    private final Long renegotiateAt;
    private final boolean reuseSessions;
    private final java.time.Duration sessionLifetime;
    private final List<byte[]> sessionTicketKeys;
    private final ReuseSessionFun reuseSessionFun;
    private final SavedSession reuseSession;
    private final SessionTickets sessionTickets;

    private SslOptions(Builder b) {
        this.verify = b.verify;
        this.failIfNoPeerCert = b.failIfNoPeerCert;
        this.certfile = b.certfile;
        this.keyfile = b.keyfile;
        this.password = b.password == null ? null : b.password.clone();
        this.cacertfile = b.cacertfile;
        this.cert = b.cert == null ? null : List.copyOf(b.cert);
        this.key = b.key;
        this.keyDer = b.keyDer;
        this.cacerts = b.cacerts == null ? null : List.copyOf(b.cacerts);
        this.systemCacerts = b.systemCacerts;
        this.versions = b.versions == null ? DEFAULT_VERSIONS : List.copyOf(b.versions);
        this.provider = b.provider;
        this.serverNameIndication = b.serverNameIndication;
        this.serverNameIndicationDisabled = b.serverNameIndicationDisabled;
        this.socketOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.socketOptions));
        this.owner = b.owner;
        this.ownerHighWatermark = b.ownerHighWatermark;
        this.verifyFun = b.verifyFun;
        this.depth = b.depth;
        this.partialChain = b.partialChain;
        this.ciphers = b.ciphers == null ? null : List.copyOf(b.ciphers);
        this.honorCipherOrder = b.honorCipherOrder;
        this.alpnAdvertisedProtocols = List.copyOf(b.alpnAdvertisedProtocols);
        this.alpnPreferredProtocols = List.copyOf(b.alpnPreferredProtocols);
        this.dh = b.dh == null ? null : b.dh.clone();
        this.dhfile = b.dhfile;
        this.secureRenegotiate = b.secureRenegotiate;
        this.renegotiation = b.renegotiation;
        this.allowInsecureCiphers = b.allowInsecureCiphers;
        this.sniHosts = Collections.unmodifiableMap(new LinkedHashMap<>(b.sniHosts));
        this.sniFun = b.sniFun;
        this.clientRenegotiation = b.clientRenegotiation;
        this.renegotiateAt = b.renegotiateAt;
        this.reuseSessions = b.reuseSessions;
        this.sessionLifetime = b.sessionLifetime;
        this.sessionTicketKeys = b.sessionTicketKeys.stream().map(byte[]::clone).toList();
        this.reuseSessionFun = b.reuseSessionFun;
        this.reuseSession = b.reuseSession;
        this.sessionTickets = b.sessionTickets;
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The empty option list: a client with every default (verify_peer needs CAs, so add some). */
    public static SslOptions defaults() {
        return builder().build();
    }

    /** A builder holding these options, to derive others from. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.verify = verify;
        b.failIfNoPeerCert = failIfNoPeerCert;
        b.certfile = certfile;
        b.keyfile = keyfile;
        b.password = password == null ? null : password.clone();
        b.cacertfile = cacertfile;
        b.cert = cert == null ? null : new ArrayList<>(cert);
        b.key = key;
        b.keyDer = keyDer;
        b.cacerts = cacerts == null ? null : new ArrayList<>(cacerts);
        b.systemCacerts = systemCacerts;
        b.versions = new ArrayList<>(versions);
        b.provider = provider;
        b.serverNameIndication = serverNameIndication;
        b.serverNameIndicationDisabled = serverNameIndicationDisabled;
        b.socketOptions.putAll(socketOptions);
        b.owner = owner;
        b.ownerHighWatermark = ownerHighWatermark;
        b.verifyFun = verifyFun;
        b.depth = depth;
        b.partialChain = partialChain;
        b.ciphers = ciphers == null ? null : new ArrayList<>(ciphers);
        b.honorCipherOrder = honorCipherOrder;
        b.alpnAdvertisedProtocols = new ArrayList<>(alpnAdvertisedProtocols);
        b.alpnPreferredProtocols = new ArrayList<>(alpnPreferredProtocols);
        b.dh = dh == null ? null : dh.clone();
        b.dhfile = dhfile;
        b.secureRenegotiate = secureRenegotiate;
        b.renegotiation = renegotiation;
        b.allowInsecureCiphers = allowInsecureCiphers;
        b.sniHosts.putAll(sniHosts);
        b.sniFun = sniFun;
        b.clientRenegotiation = clientRenegotiation;
        b.renegotiateAt = renegotiateAt;
        b.reuseSessions = reuseSessions;
        b.sessionLifetime = sessionLifetime;
        b.sessionTicketKeys = new ArrayList<>(sessionTicketKeys);
        b.reuseSessionFun = reuseSessionFun;
        b.reuseSession = reuseSession;
        b.sessionTickets = sessionTickets;
        return b;
    }

    /** The value of a socket option: the one given, else the option's default. */
    public <T> T get(Opt<T> key) {
        Object v = socketOptions.get(key);
        return v == null ? key.defaultValue() : key.cast(v);
    }

    /** The socket options given explicitly, in the order given. */
    public Map<Opt<?>, Object> socketOptions() {
        return socketOptions;
    }

    /** The owner of sockets made with these options, if one was given. */
    public Optional<ControllingProcess> owner() {
        return Optional.ofNullable(owner);
    }

    /**
     * With {@code active=true}: how many delivered bytes may wait unconsumed in the owner before the socket stops
     * reading (it reads on once half of them are taken). Default 1 MiB.
     */
    public int ownerHighWatermark() {
        return ownerHighWatermark;
    }

    /** {@code verify}, if given; empty means the role's default (client: verify_peer; server: verify_none). */
    public Optional<Verify> verify() {
        return Optional.ofNullable(verify);
    }

    /** The {@code verify} in force for a client ({@code verify_peer} unless told otherwise, as OTP 26+). */
    public Verify clientVerify() {
        return verify == null ? Verify.VERIFY_PEER : verify;
    }

    /** The {@code verify} in force for a server ({@code verify_none} unless told otherwise). */
    public Verify serverVerify() {
        return verify == null ? Verify.VERIFY_NONE : verify;
    }

    /** {@code fail_if_no_peer_cert} in force on a server with verify_peer: default {@code true} (OTP 26+). */
    public boolean failIfNoPeerCert() {
        return failIfNoPeerCert == null || failIfNoPeerCert;
    }

    public Optional<Path> certfile() {
        return Optional.ofNullable(certfile);
    }

    /** {@code keyfile}; defaults to {@code certfile}, as in OTP. */
    public Optional<Path> keyfile() {
        return Optional.ofNullable(keyfile != null ? keyfile : certfile);
    }

    /** The password of an encrypted key, as a fresh copy (the caller may wipe it). */
    public Optional<char[]> password() {
        return Optional.ofNullable(password == null ? null : password.clone());
    }

    public Optional<Path> cacertfile() {
        return Optional.ofNullable(cacertfile);
    }

    /** {@code cert}: the own certificate chain given as values (overrides {@code certfile}). */
    public List<X509Certificate> cert() {
        return cert == null ? List.of() : cert;
    }

    /** {@code key} given as a Java key (overrides {@code keyfile}). */
    public Optional<PrivateKey> key() {
        return Optional.ofNullable(key);
    }

    /** {@code key} given as {@code {Type, Der}} (overrides {@code keyfile}). */
    public Optional<PrivateKeyDer> keyDer() {
        return Optional.ofNullable(keyDer);
    }

    /** {@code cacerts}: trusted certificates given as values (overrides {@code cacertfile}). */
    public List<X509Certificate> cacerts() {
        return cacerts == null ? List.of() : cacerts;
    }

    /** Whether the JDK's default trust store is used as {@code cacerts} (OTP: {@code public_key:cacerts_get()}). */
    public boolean systemCacerts() {
        return systemCacerts;
    }

    /** Whether any trusted CA was configured, by value, file or the system store. */
    public boolean hasTrustedCas() {
        return cacerts != null || cacertfile != null || systemCacerts;
    }

    /** Whether an own certificate was configured, by value or file. */
    public boolean hasOwnCertificate() {
        return cert != null || certfile != null;
    }

    /** {@code versions}, most preferred first. */
    public List<Protocol> versions() {
        return versions;
    }

    /** {@code provider}. */
    public Provider provider() {
        return provider;
    }

    /** {@code server_name_indication} given as a host name; empty means "the host given to connect". */
    public Optional<String> serverNameIndication() {
        return Optional.ofNullable(serverNameIndication);
    }

    /** {@code {server_name_indication, disable}}: no SNI is sent and the host name is not checked. */
    public boolean serverNameIndicationDisabled() {
        return serverNameIndicationDisabled;
    }

    /** {@code verify_fun} with its initial state, if one was given. */
    public Optional<VerifyFun.WithState<?>> verifyFun() {
        return Optional.ofNullable(verifyFun);
    }

    /**
     * The {@code verify_fun} in force for a {@code verify}: the one given, else the default fun of that
     * {@code verify} ({@link VerifyFun#verifyPeer()} or {@link VerifyFun#verifyNone()}) with a null state.
     */
    public VerifyFun.WithState<?> verifyFunFor(Verify verify) {
        if (verifyFun != null) {
            return verifyFun;
        }
        return new VerifyFun.WithState<>(verify == Verify.VERIFY_PEER ? VerifyFun.verifyPeer()
                : VerifyFun.verifyNone(), null);
    }

    /** {@code depth}: how many intermediate CAs may follow the peer's certificate. Default 10 (OTP 21+). */
    public int depth() {
        return depth == null ? DEFAULT_DEPTH : depth;
    }

    /** {@code partial_chain}; default {@link PartialChain#UNKNOWN_CA}. */
    public PartialChain partialChain() {
        return partialChain == null ? PartialChain.UNKNOWN_CA : partialChain;
    }

    /** {@code ciphers}, most preferred first; empty means the engine's defaults. */
    public List<CipherSuite> ciphers() {
        return ciphers == null ? List.of() : ciphers;
    }

    /** {@code honor_cipher_order} (server): pick the suite by the server's order. Default {@code false}. */
    public boolean honorCipherOrder() {
        return honorCipherOrder;
    }

    /** {@code alpn_advertised_protocols} (client), most preferred first; empty means no ALPN. */
    public List<String> alpnAdvertisedProtocols() {
        return alpnAdvertisedProtocols;
    }

    /** {@code alpn_preferred_protocols} (server), most preferred first; empty means no ALPN. */
    public List<String> alpnPreferredProtocols() {
        return alpnPreferredProtocols;
    }

    /** {@code dh}: DER-encoded PKCS#3 DH parameters, if given (a copy). */
    public Optional<byte[]> dh() {
        return Optional.ofNullable(dh == null ? null : dh.clone());
    }

    /** {@code dhfile}, if given. */
    public Optional<Path> dhfile() {
        return Optional.ofNullable(dhfile);
    }

    /** {@code secure_renegotiate}: insist on RFC 5746 secure renegotiation. Default {@code true} (OTP 21+). */
    public boolean secureRenegotiate() {
        return secureRenegotiate;
    }

    /** {@code sni_hosts}: server options by the host name a client asks for with SNI (lower case keys). */
    public Map<String, SslOptions> sniHosts() {
        return sniHosts;
    }

    /** {@code sni_fun}, if given. */
    public Optional<java.util.function.Function<String, Optional<SslOptions>>> sniFun() {
        return Optional.ofNullable(sniFun);
    }

    /** Whether a server picks its certificate (its whole options) by the client's SNI name. */
    public boolean choosesBySni() {
        return !sniHosts.isEmpty() || sniFun != null;
    }

    /** Whether {@code ciphers} may name anonymous, NULL, export, RC4 or DES/3DES suites (dangerous). */
    public boolean allowInsecureCiphers() {
        return allowInsecureCiphers;
    }

    /** Whether sockets made with these options must be able to renegotiate TLS 1.2 (selects the JDK engine). */
    public boolean renegotiation() {
        return renegotiation;
    }

    /** {@code client_renegotiation} as given; empty = the engine's own rule (JDK allows, BoringSSL refuses). */
    public Optional<Boolean> clientRenegotiation() {
        return Optional.ofNullable(clientRenegotiation);
    }

    /**
     * {@code renegotiate_at} as given (at most {@link #DEFAULT_RENEGOTIATE_AT}); empty = not given: the JDK engine then
     * renegotiates at {@link #DEFAULT_RENEGOTIATE_AT} records, BoringSSL (which cannot) never does.
     */
    public java.util.OptionalLong renegotiateAt() {
        return renegotiateAt == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(renegotiateAt);
    }

    /** {@code reuse_sessions}: offer (client) or accept (server) session resumption. Default {@code true}. */
    public boolean reuseSessions() {
        return reuseSessions;
    }

    /** {@code session_lifetime}, if given: how long a session may be resumed. */
    public Optional<java.time.Duration> sessionLifetime() {
        return Optional.ofNullable(sessionLifetime);
    }

    /** Session-ticket keys (48 bytes each: name, HMAC key, AES key; the first one encrypts). */
    public List<byte[]> sessionTicketKeys() {
        return sessionTicketKeys.stream().map(byte[]::clone).toList();
    }

    /** Server {@code reuse_session} fun, if one was given (unset: every known session may be resumed). */
    public Optional<ReuseSessionFun> reuseSessionFun() {
        return Optional.ofNullable(reuseSessionFun);
    }

    /** Client {@code reuse_session}: the saved session to resume, if one was given. */
    public Optional<SavedSession> reuseSession() {
        return Optional.ofNullable(reuseSession);
    }

    /** {@code session_tickets} as given; empty = the role's default (client auto, server stateless). */
    public Optional<SessionTickets> sessionTickets() {
        return Optional.ofNullable(sessionTickets);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        if (verify != null) {
            s.append("{verify,").append(verify).append("},");
        }
        if (failIfNoPeerCert != null) {
            s.append("{fail_if_no_peer_cert,").append(failIfNoPeerCert).append("},");
        }
        if (certfile != null) {
            s.append("{certfile,\"").append(certfile).append("\"},");
        }
        if (keyfile != null) {
            s.append("{keyfile,\"").append(keyfile).append("\"},");
        }
        if (password != null) {
            s.append("{password,\"*****\"},");
        }
        if (cacertfile != null) {
            s.append("{cacertfile,\"").append(cacertfile).append("\"},");
        }
        if (cert != null) {
            s.append("{cert,[").append(cert.size()).append(" certificates]},");
        }
        if (key != null || keyDer != null) {
            s.append("{key,*****},");
        }
        if (cacerts != null) {
            s.append("{cacerts,[").append(cacerts.size()).append(" certificates]},");
        }
        if (systemCacerts) {
            s.append("{cacerts,system},");
        }
        s.append("{versions,").append(versions).append("},");
        s.append("{provider,").append(provider).append("}");
        socketOptions.forEach((k, v) -> s.append(",{").append(k.name()).append(',').append(v).append('}'));
        if (owner != null) {
            s.append(",{owner,").append(owner).append('}');
        }
        if (serverNameIndicationDisabled) {
            s.append(",{server_name_indication,disable}");
        } else if (serverNameIndication != null) {
            s.append(",{server_name_indication,\"").append(serverNameIndication).append("\"}");
        }
        appendTrustAndNegotiation(s);
        return s.append(']').toString();
    }

    private void appendTrustAndNegotiation(StringBuilder s) {
        if (verifyFun != null) {
            s.append(',').append(verifyFun); // never the state
        }
        if (depth != null) {
            s.append(",{depth,").append(depth).append('}');
        }
        if (partialChain != null) {
            s.append(",{partial_chain,fun}");
        }
        if (ciphers != null) {
            s.append(",{ciphers,\"");
            for (int i = 0; i < ciphers.size(); i++) {
                s.append(i == 0 ? "" : ":").append(ciphers.get(i).opensslName());
            }
            s.append("\"}");
        }
        if (honorCipherOrder) {
            s.append(",{honor_cipher_order,true}");
        }
        if (!alpnAdvertisedProtocols.isEmpty()) {
            s.append(",{alpn_advertised_protocols,").append(binaries(alpnAdvertisedProtocols)).append('}');
        }
        if (!alpnPreferredProtocols.isEmpty()) {
            s.append(",{alpn_preferred_protocols,").append(binaries(alpnPreferredProtocols)).append('}');
        }
        if (dh != null) {
            s.append(",{dh,<<").append(dh.length).append(" bytes>>}");
        }
        if (dhfile != null) {
            s.append(",{dhfile,\"").append(dhfile).append("\"}");
        }
        if (!secureRenegotiate) {
            s.append(",{secure_renegotiate,false}");
        }
        if (renegotiateAt != null) {
            s.append(",{renegotiate_at,").append(renegotiateAt).append('}');
        }
    }

    private static String binaries(List<String> protocols) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < protocols.size(); i++) {
            s.append(i == 0 ? "" : ",").append("<<\"").append(protocols.get(i)).append("\">>");
        }
        return s.append(']').toString();
    }

    /**
     * Builds {@link SslOptions}. Every setter replaces the earlier value of its option; the Javadoc of each states
     * the default.
     */
    public static final class Builder {
        private Verify verify;
        private Boolean failIfNoPeerCert;
        private Path certfile;
        private Path keyfile;
        private char[] password;
        private Path cacertfile;
        private List<X509Certificate> cert;
        private PrivateKey key;
        private PrivateKeyDer keyDer;
        private List<X509Certificate> cacerts;
        private boolean systemCacerts;
        private List<Protocol> versions;
        private Provider provider = Provider.AUTO;
        private String serverNameIndication;
        private boolean serverNameIndicationDisabled;
        private final Map<Opt<?>, Object> socketOptions = new LinkedHashMap<>();
        private ControllingProcess owner;
        private int ownerHighWatermark = 1 << 20;
        private VerifyFun.WithState<?> verifyFun;
        private Integer depth;
        private PartialChain partialChain;
        private List<CipherSuite> ciphers;
        private boolean honorCipherOrder;
        private List<String> alpnAdvertisedProtocols = new ArrayList<>();
        private List<String> alpnPreferredProtocols = new ArrayList<>();
        private byte[] dh;
        private Path dhfile;
        private boolean secureRenegotiate = true;
        private boolean renegotiation;
        private boolean allowInsecureCiphers;
        private final Map<String, SslOptions> sniHosts = new LinkedHashMap<>();
        private java.util.function.Function<String, Optional<SslOptions>> sniFun;
        private Boolean clientRenegotiation;
        private Long renegotiateAt;
        private boolean reuseSessions = true;
        private java.time.Duration sessionLifetime;
        private List<byte[]> sessionTicketKeys = new ArrayList<>();
        private ReuseSessionFun reuseSessionFun;
        private SavedSession reuseSession;
        private SessionTickets sessionTickets;
        private Reason.Options problem;

        private Builder() {
        }

        /**
         * {@code {verify_fun, {Fun, InitialUserState}}}: the fun that path validation asks about every certificate
         * of the peer's chain (see {@link VerifyFun}). Default: the default fun of {@code verify}
         * ({@link VerifyFun#verifyPeer()}: fail on any problem; {@link VerifyFun#verifyNone()}: accept anything).
         * With {@code verify_none} a fun given here still runs on a client (the server asks for no certificate).
         *
         * @param initialState the state of the first call of every handshake; may be null
         */
        public <S> Builder verifyFun(VerifyFun<S> fun, S initialState) {
            this.verifyFun = new VerifyFun.WithState<>(Objects.requireNonNull(fun, "fun"), initialState);
            return this;
        }

        /**
         * {@code depth}: the most intermediate CA certificates that may follow the peer's certificate before the
         * trusted one (0: the peer is signed by a trusted CA directly). Default 10 (as OTP 21+); 0..255, else
         * {@code {options, {depth, Depth}}}. A longer chain gives {@code {bad_cert, max_path_length_reached}}.
         */
        public Builder depth(int depth) {
            if (depth < 0 || depth > 255) {
                problem = Reason.Options.of("depth", depth);
            }
            this.depth = depth;
            return this;
        }

        /**
         * {@code partial_chain}: when the peer's chain leads to no trusted CA, this fun may name one of its
         * certificates as the trust anchor. Default: {@link PartialChain#UNKNOWN_CA} (never).
         */
        public Builder partialChain(PartialChain fun) {
            this.partialChain = Objects.requireNonNull(fun, "fun");
            return this;
        }

        /**
         * {@code ciphers}: the suites to offer (client) or accept (server), most preferred first. Default: the
         * engine's defaults. BoringSSL always enables all three TLS 1.3 suites whatever is listed here; the JDK
         * honours the TLS 1.3 choice too. Suites the engine lacks are left out; none left fails
         * {@code connect}/{@code listen} with {@code {options, {ciphers, …, {error, no_supported_ciphers}}}}.
         */
        public Builder ciphers(CipherSuite... suites) {
            return cipherSuites(Arrays.asList(suites));
        }

        /** {@code ciphers} as a list of suites. */
        public Builder cipherSuites(List<CipherSuite> suites) {
            for (CipherSuite s : suites) {
                if (!CipherSuite.known().contains(s)) {
                    problem = new Reason.Options("ciphers", s.toString(), "not_recognized");
                }
            }
            if (suites.isEmpty()) {
                problem = Reason.Options.of("ciphers", "[]");
            }
            this.ciphers = new ArrayList<>(suites);
            return this;
        }

        /**
         * {@code ciphers} as OTP's string form: OpenSSL names separated by {@code :} (or commas or spaces), e.g.
         * {@code "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"}; IANA names and Erlang tuples written
         * as text are accepted as well (see {@link CipherSuite#fromName}). OpenSSL keywords ({@code HIGH},
         * {@code !aNULL}, {@code ECDHE+AESGCM}) are not: a name sslkit does not know fails {@link #build()} with
         * {@code {options, {ciphers, Name, {error, not_recognized}}}}.
         */
        public Builder ciphers(String list) {
            return cipherNames(CipherSuite.splitList(list));
        }

        /** {@code ciphers} as a list of names (OpenSSL, IANA or Erlang text), as {@link #ciphers(String)}. */
        public Builder cipherNames(List<String> names) {
            List<CipherSuite> suites = new ArrayList<>();
            for (String name : names) {
                Optional<CipherSuite> s = CipherSuite.fromName(name);
                if (s.isEmpty()) {
                    problem = new Reason.Options("ciphers", name, "not_recognized");
                    return this;
                }
                suites.add(s.get());
            }
            return cipherSuites(suites);
        }

        /**
         * {@code honor_cipher_order} (server): choose the suite by the server's order of {@code ciphers} rather
         * than the client's. Default {@code false} (the client's preference wins, as in OTP).
         */
        public Builder honorCipherOrder(boolean honor) {
            this.honorCipherOrder = honor;
            return this;
        }

        /**
         * {@code alpn_advertised_protocols} (client): the ALPN protocols to offer, most preferred first, e.g.
         * {@code "h2", "http/1.1"}. Default: none (no ALPN). An empty name or one longer than 255 bytes fails
         * {@link #build()} with {@code {options, {alpn_advertised_protocols, {invalid_protocol, <<>>}}}}.
         */
        public Builder alpnAdvertisedProtocols(String... protocols) {
            this.alpnAdvertisedProtocols = alpn("alpn_advertised_protocols", protocols);
            return this;
        }

        /**
         * {@code alpn_preferred_protocols} (server): the ALPN protocols the server accepts, most preferred first;
         * the server's order wins. A client that offers ALPN but none of these is refused with a fatal
         * {@code no_application_protocol} alert. Default: none (no ALPN). Empty names fail as for
         * {@link #alpnAdvertisedProtocols}.
         */
        public Builder alpnPreferredProtocols(String... protocols) {
            this.alpnPreferredProtocols = alpn("alpn_preferred_protocols", protocols);
            return this;
        }

        private List<String> alpn(String option, String... protocols) {
            List<String> out = new ArrayList<>();
            for (String p : protocols) {
                Objects.requireNonNull(p, option);
                int bytes = p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (bytes == 0 || bytes > 255) { // RFC 7301: each name is 1..255 bytes
                    problem = Reason.Options.of(option,
                            "{invalid_protocol,<<" + (bytes == 0 ? "" : "\"" + p + "\"") + ">>}");
                }
                out.add(p);
            }
            return out;
        }

        /**
         * {@code {dh, Der}} (server): DER-encoded PKCS#3 DH parameters for DHE suites. Checked for form here; but
         * neither engine can use custom DH parameters (BoringSSL has no DHE suites at all; the JDK picks RFC 7919
         * groups itself), so {@code listen} fails with {@code {options, {dh, …, {error, dh_not_supported}}}}. Default
         * none. Replaces {@code dhfile}.
         */
        public Builder dh(byte[] der) {
            this.dh = Objects.requireNonNull(der, "der").clone();
            this.dhfile = null;
            if (der.length == 0) {
                problem = Reason.Options.of("dh", "<<>>");
            }
            return this;
        }

        /** {@code {dhfile, Path}} (server): DH parameters from a PEM file; see {@link #dh(byte[])}. Default none. */
        public Builder dhfile(Path dhfile) {
            this.dhfile = Objects.requireNonNull(dhfile, "dhfile");
            this.dh = null;
            return this;
        }

        /**
         * {@code secure_renegotiate}: refuse peers without RFC 5746 secure renegotiation. Default {@code true}
         * (OTP 21+), and the only value sslkit can honour: both engines refuse insecure renegotiation (the JDK's can
         * be told otherwise only JVM-wide), so {@code false} fails {@link #build()} with
         * {@code {options, {secure_renegotiate, false, {error, not_available}}}} rather than being ignored.
         */
        public Builder secureRenegotiate(boolean secure) {
            this.secureRenegotiate = secure;
            return this;
        }

        /**
         * Dangerous: lets {@code ciphers} name anonymous, NULL, export, RC4 and DES/3DES suites. Without it such a
         * suite in the list fails {@code connect}/{@code listen} with
         * {@code {options, {ciphers, Suite, {error, insecure_cipher}}}}. Default {@code false}.
         */
        public Builder allowInsecureCiphers(boolean allow) {
            this.allowInsecureCiphers = allow;
            return this;
        }

        /**
         * {@code sni_hosts} (server): the options to use when a client asks for one of these host names with SNI —
         * typically {@code listenOptions.toBuilder().certfile(...).keyfile(...).build()}; names match without regard
         * to case; other names (and no SNI) get these options. Replaces {@link #sniFun} (OTP: exclusive).
         */
        public Builder sniHosts(Map<String, SslOptions> byHost) {
            sniHosts.clear();
            byHost.forEach((h, o) -> sniHosts.put(h.toLowerCase(java.util.Locale.ROOT), o));
            sniFun = null;
            return this;
        }

        /**
         * {@code sni_fun} (server): called once per new name with the name a client asked for; its options are used
         * for that connection, or these options when it returns empty. Replaces {@link #sniHosts} (OTP: exclusive).
         * A fun that throws fails the handshake.
         */
        public Builder sniFun(java.util.function.Function<String, Optional<SslOptions>> fun) {
            this.sniFun = Objects.requireNonNull(fun, "fun");
            sniHosts.clear();
            return this;
        }

        /**
         * Sockets made with these options must be able to renegotiate TLS 1.2 ({@link SslSocket#renegotiate()}).
         * Only the JDK engine can: {@code provider auto} then picks it, and {@code provider openssl} fails with
         * {@code {options, {renegotiation, true, {error, needs_jdk_engine}}}}. Default {@code false}.
         */
        public Builder renegotiation(boolean needed) {
            this.renegotiation = needed;
            return this;
        }

        /**
         * {@code client_renegotiation} (server): whether a client may start a renegotiation. BoringSSL always
         * refuses, the JDK engine always allows; so {@code true} selects the JDK engine under {@code auto} and
         * {@code false} selects BoringSSL, and a provider that cannot do what is asked fails with an options error.
         * Default: unset, the engine's rule.
         *
         * <p>Deviation from OTP: BoringSSL refuses with a <em>fatal</em> {@code no_renegotiation} alert, so the
         * connection ends (seen with OTP 25 clients: "received SERVER ALERT: Fatal - No Renegotiation"), where an
         * OTP server answers with a warning, its client gets {@code renegotiation_rejected} and the connection goes
         * on. Neither engine can send that warning and keep the connection: BoringSSL has no setting for it, and the
         * JDK engine refuses client renegotiation only JVM-wide.
         *
         * <p>Deviation from OTP: an OTP server rejects a second client-initiated renegotiation that comes within
         * 12 s of the previous one with {@code renegotiation_rejected}. A server that allows client renegotiation
         * here runs the JDK engine, which cannot refuse one renegotiation of one connection (only all of them, JVM
         * wide), and whose {@code no_renegotiation} answer would end a JDK client's connection. So sslkit
         * <em>delays</em> such a renegotiation instead, until 12 s after the previous one: the client's bytes wait
         * unread (TCP holds it back), then the renegotiation succeeds. That bounds what a flooding client costs just
         * as well (one handshake per 12 s), and a well-behaved client loses nothing; server-initiated
         * renegotiations are not limited. See {@code io.sslkit.netty.handler.RenegotiationLimiter}.
         */
        public Builder clientRenegotiation(boolean allowed) {
            this.clientRenegotiation = allowed;
            return this;
        }

        /**
         * {@code {renegotiate_at, N}}: after N application-data records written (TLS 1.2) a connection
         * renegotiates by itself; on TLS 1.3 the same count makes it update its keys instead (OTP's
         * {@code key_update_at}). Default 268435456 (2^28) records, as OTP; larger values are clamped to it, values
         * below 1 fail {@link #build()} with {@code {options, {renegotiate_at, N}}}.
         *
         * <p>Only the JDK engine can renegotiate: giving this option makes {@code provider auto} pick it, and
         * {@code provider openssl} fails with {@code {options, {renegotiate_at, N, {error, needs_jdk_engine}}}}
         * (without it, BoringSSL connections never renegotiate by themselves). A peer that refuses renegotiation (a
         * BoringSSL server, or {@code client_renegotiation false}) ends the connection when the count is reached:
         * {@code send} then fails with {@code closed} and an active owner gets an {@code ssl_error} message, as in
         * OTP (with {@code renegotiation_rejected}, or the peer's alert when it could be read before the peer hung
         * up).
         */
        public Builder renegotiateAt(long records) {
            if (records < 1) {
                problem = Reason.Options.of("renegotiate_at", records);
            }
            this.renegotiateAt = Math.min(records, DEFAULT_RENEGOTIATE_AT);
            return this;
        }

        /**
         * {@code reuse_sessions}: {@code false} stops a client from offering, and a server from accepting, the
         * resumption of earlier sessions. Default {@code true}. On a server it needs BoringSSL (which can refuse
         * tickets per connection; the JDK's TLS 1.3 tickets are stateless): {@code auto} picks it, {@code jdk} is
         * an options error.
         */
        public Builder reuseSessions(boolean reuse) {
            this.reuseSessions = reuse;
            return this;
        }

        /** {@code session_lifetime}: how long sessions may be resumed (whole seconds, at least 1). Default: engine's. */
        public Builder sessionLifetime(java.time.Duration lifetime) {
            if (lifetime.getSeconds() < 1) {
                problem = Reason.Options.of("session_lifetime", lifetime.getSeconds());
            }
            this.sessionLifetime = lifetime;
            return this;
        }

        /**
         * Session-ticket keys for a server (BoringSSL only): 48 bytes each (16 name, 16 HMAC, 16 AES); the first
         * encrypts new tickets, all decrypt. Servers behind one load balancer that share keys resume each other's
         * sessions; rotate with {@link SslListenSocket#sessionTicketKeys(java.util.List)}. Default: keys the engine
         * makes at random per listen socket.
         */
        public Builder sessionTicketKeys(List<byte[]> keys) {
            for (byte[] k : keys) {
                if (k.length != 48) {
                    problem = new Reason.Options("session_ticket_keys", k.length + " bytes", "not_48_bytes");
                }
            }
            this.sessionTicketKeys = keys.stream().map(byte[]::clone).collect(java.util.stream.Collectors.toList());
            return this;
        }

        /**
         * Server {@code {reuse_session, fun(SuggestedId, PeerCert, Compression, CipherSuite) -> boolean()}}: asked
         * whether a session a client offers by id may be resumed; {@code false} (or an exception, logged) gives a
         * full handshake and a new session id. It judges TLS 1.2 session-id resumption (TLS 1.3 tickets are
         * {@link #sessionTickets(SessionTickets)}'s business). Default: unset, every known session is resumed.
         *
         * <p>Needs BoringSSL ({@code auto} picks it, {@code jdk} is an options error): the JDK engine resumes TLS
         * 1.2 from stateless tickets the server cannot look into, switched off only JVM-wide. With BoringSSL, a
         * server with a fun issues no TLS 1.2 tickets, so that TLS 1.2 resumption is by session id, where the fun
         * is asked. Not with {@code sni_hosts}/{@code sni_fun} (options error {@code incompatible}).
         */
        public Builder reuseSession(ReuseSessionFun fun) {
            this.reuseSessionFun = Objects.requireNonNull(fun, "fun");
            return this;
        }

        /**
         * Client {@code {reuse_session, {SessionId, SessionData}}}: resume this session, saved from an earlier
         * connection with {@link SslSocket#session()} (OTP's {@code {reuse_sessions, save}}), whatever host and
         * port this connection goes to and whatever {@link #reuseSessions(boolean)} says (as in OTP, the explicit
         * session comes first). Default: unset.
         *
         * <p>The handshake runs with the TLS context of the connection that saved the session — its engine,
         * trust, own certificate, versions, ciphers and server name (the name sent and checked): resuming
         * continues that session, and each engine finds its sessions only in the context that made them. So the
         * TLS settings of these options must be the same as those (give the same options, or ones derived with
         * {@link SslOptions#toBuilder()}); the socket options, owner and packet options here apply as usual. A
         * different {@code provider} is an options error. If the server refuses the session, the handshake is a
         * full one, as in OTP.
         */
        public Builder reuseSession(SavedSession session) {
            this.reuseSession = Objects.requireNonNull(session, "session");
            return this;
        }

        /**
         * {@code session_tickets}: {@link SessionTickets#DISABLED}, {@link SessionTickets#AUTO} (client) or
         * {@link SessionTickets#STATELESS} (server) and the others, see {@link SessionTickets} for what each
         * engine can do. Default: unset (client {@code auto}, server {@code stateless}: resumption works out of
         * the box, unlike OTP's default {@code disabled}).
         */
        public Builder sessionTickets(SessionTickets mode) {
            this.sessionTickets = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * {@code verify}. Default: {@link Verify#VERIFY_PEER} for clients (OTP 26+), {@link Verify#VERIFY_NONE}
         * for servers. {@code verify_none} on a client is dangerous: anyone can pose as the server.
         */
        public Builder verify(Verify verify) {
            this.verify = Objects.requireNonNull(verify, "verify");
            return this;
        }

        /**
         * {@code fail_if_no_peer_cert}: a server with {@code verify_peer} refuses a client that sends no
         * certificate. Default {@code true} (OTP 26+); meaningless without {@code verify_peer}.
         */
        public Builder failIfNoPeerCert(boolean fail) {
            this.failIfNoPeerCert = fail;
            return this;
        }

        /** {@code certfile}: PEM file with the own certificate, optionally followed by its chain. Default none. */
        public Builder certfile(Path certfile) {
            this.certfile = Objects.requireNonNull(certfile, "certfile");
            return this;
        }

        /**
         * {@code keyfile}: PEM file with the private key (PKCS#8 plain or encrypted, PKCS#1 RSA, SEC1 EC, or a
         * legacy OpenSSL-encrypted PEM). Default: {@code certfile}.
         */
        public Builder keyfile(Path keyfile) {
            this.keyfile = Objects.requireNonNull(keyfile, "keyfile");
            return this;
        }

        /** {@code password} of an encrypted key. Default none. The array is copied; never printed. */
        public Builder password(char[] password) {
            this.password = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        /** {@code password} of an encrypted key, as a string. */
        public Builder password(String password) {
            return password(Objects.requireNonNull(password, "password").toCharArray());
        }

        /** {@code cacertfile}: PEM file with the trusted CA certificates. Default none. */
        public Builder cacertfile(Path cacertfile) {
            this.cacertfile = Objects.requireNonNull(cacertfile, "cacertfile");
            return this;
        }

        /** {@code cert}: the own certificate first, then its chain. Overrides {@code certfile}. */
        public Builder cert(X509Certificate... chain) {
            return cert(Arrays.asList(chain));
        }

        /** {@code cert} as a list. */
        public Builder cert(List<X509Certificate> chain) {
            if (chain.isEmpty()) {
                problem = Reason.Options.of("cert", "[]");
            }
            this.cert = new ArrayList<>(chain);
            return this;
        }

        /** {@code {cert, Der | [Der]}}: certificates as DER bytes. */
        public Builder certDer(byte[]... der) {
            return cert(decode("cert", der));
        }

        /** {@code key} as a Java key. Overrides {@code keyfile}. */
        public Builder key(PrivateKey key) {
            this.key = Objects.requireNonNull(key, "key");
            this.keyDer = null;
            return this;
        }

        /** {@code {key, {Type, Der}}}. Overrides {@code keyfile}. */
        public Builder key(PrivateKeyDer key) {
            this.keyDer = Objects.requireNonNull(key, "key");
            this.key = null;
            return this;
        }

        /** {@code cacerts}: trusted certificates. Overrides {@code cacertfile}. */
        public Builder cacerts(X509Certificate... cas) {
            return cacerts(Arrays.asList(cas));
        }

        /** {@code cacerts} as a list. */
        public Builder cacerts(List<X509Certificate> cas) {
            this.cacerts = new ArrayList<>(cas);
            return this;
        }

        /** {@code {cacerts, [Der]}}: trusted certificates as DER bytes. */
        public Builder cacertsDer(byte[]... der) {
            return cacerts(decode("cacerts", der));
        }

        /**
         * Trust the JDK's default trust store (the Java counterpart of {@code {cacerts, public_key:cacerts_get()}}).
         * Default off: as in OTP 26, a client that verifies must be told whom to trust.
         */
        public Builder systemCacerts(boolean use) {
            this.systemCacerts = use;
            return this;
        }

        /** {@code versions}, most preferred first. Default {@code ['tlsv1.3', 'tlsv1.2']}. */
        public Builder versions(Protocol... versions) {
            return versions(Arrays.asList(versions));
        }

        /** {@code versions} as a list. */
        public Builder versions(List<Protocol> versions) {
            if (versions.isEmpty()) {
                problem = Reason.Options.of("versions", "[]");
            }
            this.versions = new ArrayList<>(versions);
            return this;
        }

        /**
         * {@code versions} by name ({@code "tlsv1.2"}, {@code "TLSv1.3"}); an unknown or unsupported name fails
         * {@link #build()} with {@code {options, {Name, {versions, List}}}} as OTP does.
         */
        public Builder versionNames(List<String> names) {
            List<Protocol> parsed = new ArrayList<>();
            for (String name : names) {
                Optional<Protocol> p = Protocol.fromName(name.trim());
                if (p.isEmpty()) {
                    // OTP: {options, {Version, {versions, List}}}; a blank name is named by the option itself
                    String bad = name.trim().isEmpty() ? "versions" : name.trim();
                    problem = new Reason.Options(bad, "{versions," + names + "}", "");
                    return this;
                }
                parsed.add(p.get());
            }
            return versions(parsed);
        }

        /** {@code provider}: which TLS engine. Default {@link Provider#AUTO}. */
        public Builder provider(Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * {@code server_name_indication}: the name sent as SNI and checked against the server's certificate.
         * Default: the host given to {@code connect} (no SNI for an IP address, but its certificate is still
         * checked against the address).
         */
        public Builder serverNameIndication(String hostName) {
            Objects.requireNonNull(hostName, "hostName");
            if (hostName.isEmpty()) {
                problem = Reason.Options.of("server_name_indication", "\"\"");
            }
            this.serverNameIndication = hostName;
            this.serverNameIndicationDisabled = false;
            return this;
        }

        /**
         * {@code {server_name_indication, disable}}: send no SNI and do not check the server's name. Dangerous with
         * {@code verify_peer}: any certificate of a trusted CA is accepted, whoever it names.
         */
        public Builder disableServerNameIndication() {
            this.serverNameIndication = null;
            this.serverNameIndicationDisabled = true;
            return this;
        }

        /**
         * A socket option ({@code {active, once}}, ...) for the sockets made with these options; an accepted socket
         * inherits the listen socket's. Replaces an earlier value of the same option.
         */
        public <T> Builder set(Opt<T> key, T value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, key.name());
            if (!key.accepts(value)) {
                problem = Reason.Options.of("socket_options", "{" + key.name() + "," + value + "}");
            }
            socketOptions.put(key, value);
            return this;
        }

        /** Socket options given as pairs. */
        public Builder set(SocketOpt<?>... opts) {
            for (SocketOpt<?> o : opts) {
                setUnchecked(o);
            }
            return this;
        }

        private <T> void setUnchecked(SocketOpt<T> o) {
            set(o.key(), o.value());
        }

        /**
         * {@code active}. Default {@link Active#FALSE} — unlike OTP's {@code true}, because a Java caller has no
         * mailbox of its own: data would have nowhere to go. Anything but {@code false} needs an {@link #owner}.
         */
        public Builder active(Active active) {
            return set(Opt.ACTIVE, active);
        }

        /**
         * The controlling process of the sockets made with these options (Erlang: the process that calls
         * {@code connect}/{@code transport_accept}). Default none; needed for any {@code active} other than
         * {@code false}.
         */
        public Builder owner(ControllingProcess owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        /**
         * Flow control for {@code active=true} with a slow owner: the bytes that may wait unconsumed in the owner
         * before reading pauses. Default 1 MiB; must be positive.
         */
        public Builder ownerHighWatermark(int bytes) {
            if (bytes <= 0) {
                problem = Reason.Options.of("owner_high_watermark", bytes);
            }
            this.ownerHighWatermark = bytes;
            return this;
        }

        /** Checks the options together (Erlang's {@code handle_options}) and makes them. */
        public SslOptions build() {
            if (problem != null) {
                throw new SslOptionsException(problem);
            }
            if (!secureRenegotiate) {
                // both engines refuse insecure (pre-RFC 5746) renegotiation; nothing can honour false
                throw new SslOptionsException(new Reason.Options("secure_renegotiate", "false", "not_available"));
            }
            if (renegotiation && Boolean.FALSE.equals(clientRenegotiation)) {
                throw new SslOptionsException(new Reason.Options("client_renegotiation", "false", "incompatible"));
            }
            Object active = socketOptions.get(Opt.ACTIVE);
            if (active != null && !Active.FALSE.equals(active) && owner == null) {
                throw new SslOptionsException(new Reason.Options("active", active.toString(), "no_owner"));
            }
            if (keyDer != null || key != null) {
                if (cert == null && certfile == null) {
                    throw new SslOptionsException(new Reason.Options("key", "no cert or certfile for this key",
                            "incompatible"));
                }
            }
            EnumSet<Protocol> seen = EnumSet.noneOf(Protocol.class);
            if (versions != null) {
                for (Protocol p : versions) {
                    if (!seen.add(p)) {
                        throw new SslOptionsException(Reason.Options.of("versions", versions));
                    }
                }
            }
            return new SslOptions(this);
        }

        private List<X509Certificate> decode(String option, byte[]... ders) {
            List<X509Certificate> out = new ArrayList<>();
            try {
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                for (byte[] der : ders) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
                }
            } catch (CertificateException | RuntimeException e) {
                problem = new Reason.Options(option, "<<DER>>", "bad_der");
            }
            return out;
        }
    }
}
