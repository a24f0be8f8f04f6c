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
 * <p>Each option is declared once, in a table ({@link #table()}: OTP name, {@link OptionSpec.Kind kind},
 * {@link OptionSpec.Role role}, default, check). The builder only stores: every setter replaces the earlier value,
 * a wrong one included, and {@link Builder#build()} checks them all at once, reporting every problem (the first as
 * the exception's reason). {@link #client()} and {@link #server(X509Certificate, PrivateKey)} start a builder for
 * one role.
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

    /** The options given, by their row of the table; unmodifiable; values copied in (arrays: out too). */
    private final Map<OptionSpec<?>, Object> values;
    /** The socket options given, in the order given; unmodifiable. */
    private final Map<Opt<?>, Object> socketOptions;

    private SslOptions(Builder b) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(b.values));
        this.socketOptions = Collections.unmodifiableMap(new LinkedHashMap<>(b.socketOptions));
    }

    /** A builder with every option at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder for a client ({@code ssl:connect/3}'s options): {@code verify_peer} (the client default since OTP 26,
     * here explicit), so it still needs trusted CAs ({@code cacerts}, {@code cacertfile} or
     * {@code systemCacerts(true)}).
     */
    public static Builder client() {
        return builder().verify(Verify.VERIFY_PEER);
    }

    /**
     * A builder for a server ({@code ssl:listen/2}'s options) with its certificate chain (own certificate first)
     * and key: {@code {cert, Der}}, {@code {key, Key}}; {@code verify_none} (the server default).
     */
    public static Builder server(List<X509Certificate> chain, PrivateKey key) {
        return builder().cert(chain).key(key);
    }

    /** {@link #server(List, PrivateKey)} with a certificate that needs no chain. */
    public static Builder server(X509Certificate cert, PrivateKey key) {
        return server(List.of(cert), key);
    }

    /** A builder for a server whose chain and key are PEM files ({@code certfile}, {@code keyfile}). */
    public static Builder server(Path certfile, Path keyfile) {
        return builder().certfile(certfile).keyfile(keyfile);
    }

    /** The empty option list: a client with every default (verify_peer needs CAs, so add some). */
    public static SslOptions defaults() {
        return builder().build();
    }

    /**
     * The option table: every TLS and emulated option once, with its OTP name, kind, role and default (socket
     * options are {@link Opt}'s).
     */
    public static List<OptionSpec<?>> table() {
        return OptionTable.ALL;
    }

    /** A builder holding these options, to derive others from. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        b.socketOptions.putAll(socketOptions);
        return b;
    }

    /** The value of an option of the table: the one given (a copy, for arrays), else its default. */
    private <T> T value(OptionSpec<T> spec) {
        Object v = values.get(spec);
        return v == null ? spec.defaultValue() : spec.copy(spec.cast(v));
    }

    /** Whether an option of the table was given. */
    private boolean given(OptionSpec<?> spec) {
        return values.containsKey(spec);
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
        return Optional.ofNullable(value(OptionTable.OWNER));
    }

    /**
     * With {@code active=true}: how many delivered bytes may wait unconsumed in the owner before the socket stops
     * reading (it reads on once half of them are taken). Default 1 MiB.
     */
    public int ownerHighWatermark() {
        return value(OptionTable.OWNER_HIGH_WATERMARK);
    }

    /** {@code verify}, if given; empty means the role's default (client: verify_peer; server: verify_none). */
    public Optional<Verify> verify() {
        return Optional.ofNullable(value(OptionTable.VERIFY));
    }

    /** The {@code verify} in force for a client ({@code verify_peer} unless told otherwise, as OTP 26+). */
    public Verify clientVerify() {
        return verify().orElse(Verify.VERIFY_PEER);
    }

    /** The {@code verify} in force for a server ({@code verify_none} unless told otherwise). */
    public Verify serverVerify() {
        return verify().orElse(Verify.VERIFY_NONE);
    }

    /** {@code fail_if_no_peer_cert} in force on a server with verify_peer: default {@code true} (OTP 26+). */
    public boolean failIfNoPeerCert() {
        return value(OptionTable.FAIL_IF_NO_PEER_CERT);
    }

    public Optional<Path> certfile() {
        return Optional.ofNullable(value(OptionTable.CERTFILE));
    }

    /** {@code keyfile}; defaults to {@code certfile}, as in OTP. */
    public Optional<Path> keyfile() {
        return Optional.ofNullable(value(OptionTable.KEYFILE)).or(this::certfile);
    }

    /** The password of an encrypted key, as a fresh copy (the caller may wipe it). */
    public Optional<char[]> password() {
        return Optional.ofNullable(value(OptionTable.PASSWORD));
    }

    public Optional<Path> cacertfile() {
        return Optional.ofNullable(value(OptionTable.CACERTFILE));
    }

    /** {@code cert}: the own certificate chain given as values (overrides {@code certfile}). */
    public List<X509Certificate> cert() {
        return Objects.requireNonNullElse(value(OptionTable.CERT), List.of());
    }

    /** {@code key} given as a Java key (overrides {@code keyfile}). */
    public Optional<PrivateKey> key() {
        return Optional.ofNullable(value(OptionTable.KEY));
    }

    /** {@code key} given as {@code {Type, Der}} (overrides {@code keyfile}). */
    public Optional<PrivateKeyDer> keyDer() {
        return Optional.ofNullable(value(OptionTable.KEY_DER));
    }

    /** {@code cacerts}: trusted certificates given as values (overrides {@code cacertfile}). */
    public List<X509Certificate> cacerts() {
        return Objects.requireNonNullElse(value(OptionTable.CACERTS), List.of());
    }

    /** Whether the JDK's default trust store is used as {@code cacerts} (OTP: {@code public_key:cacerts_get()}). */
    public boolean systemCacerts() {
        return value(OptionTable.SYSTEM_CACERTS);
    }

    /** Whether any trusted CA was configured, by value, file or the system store. */
    public boolean hasTrustedCas() {
        return given(OptionTable.CACERTS) || given(OptionTable.CACERTFILE) || systemCacerts();
    }

    /** Whether an own certificate was configured, by value or file. */
    public boolean hasOwnCertificate() {
        return given(OptionTable.CERT) || given(OptionTable.CERTFILE);
    }

    /** {@code versions}, most preferred first. */
    public List<Protocol> versions() {
        return value(OptionTable.VERSIONS);
    }

    /** {@code provider}. */
    public Provider provider() {
        return value(OptionTable.PROVIDER);
    }

    /** {@code server_name_indication} given as a host name; empty means "the host given to connect". */
    public Optional<String> serverNameIndication() {
        return Optional.ofNullable(value(OptionTable.SERVER_NAME_INDICATION));
    }

    /** {@code {server_name_indication, disable}}: no SNI is sent and the host name is not checked. */
    public boolean serverNameIndicationDisabled() {
        return value(OptionTable.SNI_DISABLED);
    }

    /** {@code verify_fun} with its initial state, if one was given. */
    public Optional<VerifyFun.WithState<?>> verifyFun() {
        return Optional.ofNullable(value(OptionTable.VERIFY_FUN));
    }

    /**
     * The {@code verify_fun} in force for a {@code verify}: the one given, else the default fun of that
     * {@code verify} ({@link VerifyFun#verifyPeer()} or {@link VerifyFun#verifyNone()}) with a null state.
     */
    public VerifyFun.WithState<?> verifyFunFor(Verify verify) {
        VerifyFun.WithState<?> verifyFun = value(OptionTable.VERIFY_FUN);
        if (verifyFun != null) {
            return verifyFun;
        }
        return new VerifyFun.WithState<>(verify == Verify.VERIFY_PEER ? VerifyFun.verifyPeer()
                : VerifyFun.verifyNone(), null);
    }

    /** {@code depth}: how many intermediate CAs may follow the peer's certificate. Default 10 (OTP 21+). */
    public int depth() {
        return value(OptionTable.DEPTH);
    }

    /** {@code partial_chain}; default {@link PartialChain#UNKNOWN_CA}. */
    public PartialChain partialChain() {
        return value(OptionTable.PARTIAL_CHAIN);
    }

    /** {@code ciphers}, most preferred first; empty means the engine's defaults. */
    public List<CipherSuite> ciphers() {
        return value(OptionTable.CIPHERS);
    }

    /** {@code honor_cipher_order} (server): pick the suite by the server's order. Default {@code false}. */
    public boolean honorCipherOrder() {
        return value(OptionTable.HONOR_CIPHER_ORDER);
    }

    /** {@code alpn_advertised_protocols} (client), most preferred first; empty means no ALPN. */
    public List<String> alpnAdvertisedProtocols() {
        return value(OptionTable.ALPN_ADVERTISED_PROTOCOLS);
    }

    /** {@code alpn_preferred_protocols} (server), most preferred first; empty means no ALPN. */
    public List<String> alpnPreferredProtocols() {
        return value(OptionTable.ALPN_PREFERRED_PROTOCOLS);
    }

    /** {@code dh}: DER-encoded PKCS#3 DH parameters, if given (a copy). */
    public Optional<byte[]> dh() {
        return Optional.ofNullable(value(OptionTable.DH));
    }

    /** {@code dhfile}, if given. */
    public Optional<Path> dhfile() {
        return Optional.ofNullable(value(OptionTable.DHFILE));
    }

    /** {@code secure_renegotiate}: insist on RFC 5746 secure renegotiation. Default {@code true} (OTP 21+). */
    public boolean secureRenegotiate() {
        return value(OptionTable.SECURE_RENEGOTIATE);
    }

    /** {@code sni_hosts}: server options by the host name a client asks for with SNI (lower case keys). */
    public Map<String, SslOptions> sniHosts() {
        return value(OptionTable.SNI_HOSTS);
    }

    /** {@code sni_fun}, if given. */
    public Optional<java.util.function.Function<String, Optional<SslOptions>>> sniFun() {
        return Optional.ofNullable(value(OptionTable.SNI_FUN));
    }

    /** Whether a server picks its certificate (its whole options) by the client's SNI name. */
    public boolean choosesBySni() {
        return !sniHosts().isEmpty() || given(OptionTable.SNI_FUN);
    }

    /** Whether {@code ciphers} may name anonymous, NULL, export, RC4 or DES/3DES suites (dangerous). */
    public boolean allowInsecureCiphers() {
        return value(OptionTable.ALLOW_INSECURE_CIPHERS);
    }

    /** Whether sockets made with these options must be able to renegotiate TLS 1.2 (selects the JDK engine). */
    public boolean renegotiation() {
        return value(OptionTable.RENEGOTIATION);
    }

    /** {@code client_renegotiation} as given; empty = the engine's own rule (JDK allows, BoringSSL refuses). */
    public Optional<Boolean> clientRenegotiation() {
        return Optional.ofNullable(value(OptionTable.CLIENT_RENEGOTIATION));
    }

    /**
     * {@code renegotiate_at} as given (at most {@link #DEFAULT_RENEGOTIATE_AT}); empty = not given: the JDK engine then
     * renegotiates at {@link #DEFAULT_RENEGOTIATE_AT} records, BoringSSL (which cannot) never does.
     */
    public java.util.OptionalLong renegotiateAt() {
        Long renegotiateAt = value(OptionTable.RENEGOTIATE_AT);
        return renegotiateAt == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(renegotiateAt);
    }

    /** {@code reuse_sessions}: offer (client) or accept (server) session resumption. Default {@code true}. */
    public boolean reuseSessions() {
        return value(OptionTable.REUSE_SESSIONS);
    }

    /** {@code session_lifetime}, if given: how long a session may be resumed. */
    public Optional<java.time.Duration> sessionLifetime() {
        return Optional.ofNullable(value(OptionTable.SESSION_LIFETIME));
    }

    /** Session-ticket keys (48 bytes each: name, HMAC key, AES key; the first one encrypts). */
    public List<byte[]> sessionTicketKeys() {
        return value(OptionTable.SESSION_TICKET_KEYS);
    }

    /** Server {@code reuse_session} fun, if one was given (unset: every known session may be resumed). */
    public Optional<ReuseSessionFun> reuseSessionFun() {
        return Optional.ofNullable(value(OptionTable.REUSE_SESSION_FUN));
    }

    /** Client {@code reuse_session}: the saved session to resume, if one was given. */
    public Optional<SavedSession> reuseSession() {
        return Optional.ofNullable(value(OptionTable.REUSE_SESSION));
    }

    /** {@code session_tickets} as given; empty = the role's default (client auto, server stateless). */
    public Optional<SessionTickets> sessionTickets() {
        return Optional.ofNullable(value(OptionTable.SESSION_TICKETS));
    }

    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        for (OptionSpec<?> spec : OptionTable.ALL) {
            boolean always = spec == OptionTable.VERSIONS || spec == OptionTable.PROVIDER;
            Object v = values.containsKey(spec) ? values.get(spec) : always ? spec.defaultValue() : null;
            String s = v == null ? null : spec.show(v);
            if (s != null) {
                shown.add(s);
            }
            if (spec == OptionTable.PROVIDER) {
                socketOptions.forEach((k, o) -> shown.add("{" + k.name() + "," + o + "}"));
            }
        }
        return "[" + String.join(",", shown) + "]";
    }

    /**
     * Builds {@link SslOptions}. The builder only stores: every setter replaces the earlier value of its option
     * (and of an option it excludes, as its Javadoc says), and {@link #build()} checks them all at once. The
     * Javadoc of each setter names the OTP option and states its default.
     */
    public static final class Builder {
        /** The options given, by row, in the order first given. */
        private final Map<OptionSpec<?>, Object> values = new LinkedHashMap<>();
        private final Map<Opt<?>, Object> socketOptions = new LinkedHashMap<>();
        /** Input that gave no value (an unknown name, DER that does not decode), by row; setting it again clears it. */
        private final Map<OptionSpec<?>, Reason.Options> unparsed = new LinkedHashMap<>();

        private Builder() {
        }

        private <T> Builder put(OptionSpec<T> spec, T value) {
            unparsed.remove(spec);
            values.put(spec, spec.copy(value));
            return this;
        }

        private Builder unparsed(OptionSpec<?> spec, Reason.Options problem) {
            unparsed.put(spec, problem);
            return this;
        }

        private static <T> List<T> listOf(List<T> list) {
            return Collections.unmodifiableList(new ArrayList<>(list));
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
            return put(OptionTable.VERIFY_FUN, new VerifyFun.WithState<>(Objects.requireNonNull(fun, "fun"),
                    initialState));
        }

        /**
         * {@code depth}: the most intermediate CA certificates that may follow the peer's certificate before the
         * trusted one (0: the peer is signed by a trusted CA directly). Default 10 (as OTP 21+); 0..255, else
         * {@code {options, {depth, Depth}}}. A longer chain gives {@code {bad_cert, max_path_length_reached}}.
         */
        public Builder depth(int depth) {
            return put(OptionTable.DEPTH, depth);
        }

        /**
         * {@code partial_chain}: when the peer's chain leads to no trusted CA, this fun may name one of its
         * certificates as the trust anchor. Default: {@link PartialChain#UNKNOWN_CA} (never).
         */
        public Builder partialChain(PartialChain fun) {
            return put(OptionTable.PARTIAL_CHAIN, Objects.requireNonNull(fun, "fun"));
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

        /** {@code ciphers} as a list of suites; default: the engine's defaults, as {@link #ciphers(CipherSuite...)}. */
        public Builder cipherSuites(List<CipherSuite> suites) {
            return put(OptionTable.CIPHERS, listOf(suites));
        }

        /**
         * {@code ciphers} as OTP's string form: OpenSSL names separated by {@code :} (or commas or spaces), e.g.
         * {@code "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"}; IANA names and Erlang tuples written
         * as text are accepted as well (see {@link CipherSuite#fromName}). OpenSSL keywords ({@code HIGH},
         * {@code !aNULL}, {@code ECDHE+AESGCM}) are not: a name sslkit does not know fails {@link #build()} with
         * {@code {options, {ciphers, Name, {error, not_recognized}}}}. Default: the engine's defaults.
         */
        public Builder ciphers(String list) {
            return cipherNames(CipherSuite.splitList(list));
        }

        /**
         * {@code ciphers} as a list of names (OpenSSL, IANA or Erlang text), as {@link #ciphers(String)}. Default: the
         * engine's defaults.
         */
        public Builder cipherNames(List<String> names) {
            List<CipherSuite> suites = new ArrayList<>();
            for (String name : names) {
                Optional<CipherSuite> s = CipherSuite.fromName(name);
                if (s.isEmpty()) {
                    return unparsed(OptionTable.CIPHERS, new Reason.Options("ciphers", name, "not_recognized"));
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
            return put(OptionTable.HONOR_CIPHER_ORDER, honor);
        }

        /**
         * {@code alpn_advertised_protocols} (client): the ALPN protocols to offer, most preferred first, e.g.
         * {@code "h2", "http/1.1"}. Default: none (no ALPN). An empty name or one longer than 255 bytes fails
         * {@link #build()} with {@code {options, {alpn_advertised_protocols, {invalid_protocol, <<>>}}}}.
         */
        public Builder alpnAdvertisedProtocols(String... protocols) {
            return put(OptionTable.ALPN_ADVERTISED_PROTOCOLS, alpn("alpn_advertised_protocols", protocols));
        }

        /**
         * {@code alpn_preferred_protocols} (server): the ALPN protocols the server accepts, most preferred first;
         * the server's order wins. A client that offers ALPN but none of these is refused with a fatal
         * {@code no_application_protocol} alert. Default: none (no ALPN). Empty names fail as for
         * {@link #alpnAdvertisedProtocols}.
         */
        public Builder alpnPreferredProtocols(String... protocols) {
            return put(OptionTable.ALPN_PREFERRED_PROTOCOLS, alpn("alpn_preferred_protocols", protocols));
        }

        private static List<String> alpn(String option, String... protocols) {
            for (String p : protocols) {
                Objects.requireNonNull(p, option);
            }
            return List.of(protocols);
        }

        /**
         * {@code {dh, Der}} (server): DER-encoded PKCS#3 DH parameters for DHE suites. Checked for form here; but
         * neither engine can use custom DH parameters (BoringSSL has no DHE suites at all; the JDK picks RFC 7919
         * groups itself), so {@code listen} fails with {@code {options, {dh, …, {error, dh_not_supported}}}}. Default
         * none. Replaces {@code dhfile}.
         */
        public Builder dh(byte[] der) {
            values.remove(OptionTable.DHFILE);
            return put(OptionTable.DH, Objects.requireNonNull(der, "der"));
        }

        /**
         * {@code {dhfile, Path}} (server): DH parameters from a PEM file; see {@link #dh(byte[])}. Default none.
         * Replaces {@code dh}.
         */
        public Builder dhfile(Path dhfile) {
            values.remove(OptionTable.DH);
            return put(OptionTable.DHFILE, Objects.requireNonNull(dhfile, "dhfile"));
        }

        /**
         * {@code secure_renegotiate}: refuse peers without RFC 5746 secure renegotiation. Default {@code true}
         * (OTP 21+), and the only value sslkit can honour: both engines refuse insecure renegotiation (the JDK's can
         * be told otherwise only JVM-wide), so {@code false} fails {@link #build()} with
         * {@code {options, {secure_renegotiate, false, {error, not_available}}}} rather than being ignored.
         */
        public Builder secureRenegotiate(boolean secure) {
            return put(OptionTable.SECURE_RENEGOTIATE, secure);
        }

        /**
         * Dangerous: lets {@code ciphers} name anonymous, NULL, export, RC4 and DES/3DES suites. Without it such a
         * suite in the list fails {@code connect}/{@code listen} with
         * {@code {options, {ciphers, Suite, {error, insecure_cipher}}}}. Default {@code false}.
         */
        public Builder allowInsecureCiphers(boolean allow) {
            return put(OptionTable.ALLOW_INSECURE_CIPHERS, allow);
        }

        /**
         * {@code sni_hosts} (server): the options to use when a client asks for one of these host names with SNI —
         * typically {@code listenOptions.toBuilder().certfile(...).keyfile(...).build()}; names match without regard
         * to case; other names (and no SNI) get these options. Replaces {@link #sniFun} (OTP: exclusive). Default:
         * none (every client gets these options).
         */
        public Builder sniHosts(Map<String, SslOptions> byHost) {
            Map<String, SslOptions> lower = new LinkedHashMap<>();
            byHost.forEach((h, o) -> lower.put(h.toLowerCase(java.util.Locale.ROOT), o));
            values.remove(OptionTable.SNI_FUN);
            return put(OptionTable.SNI_HOSTS, Collections.unmodifiableMap(lower));
        }

        /**
         * {@code sni_fun} (server): called once per new name with the name a client asked for; its options are used
         * for that connection, or these options when it returns empty. Replaces {@link #sniHosts} (OTP: exclusive).
         * A fun that throws fails the handshake. Default: none.
         */
        public Builder sniFun(java.util.function.Function<String, Optional<SslOptions>> fun) {
            values.remove(OptionTable.SNI_HOSTS);
            return put(OptionTable.SNI_FUN, Objects.requireNonNull(fun, "fun"));
        }

        /**
         * Sockets made with these options must be able to renegotiate TLS 1.2 ({@link SslSocket#renegotiate()}).
         * Only the JDK engine can: {@code provider auto} then picks it, and {@code provider openssl} fails with
         * {@code {options, {renegotiation, true, {error, needs_jdk_engine}}}}. Default {@code false}.
         */
        public Builder renegotiation(boolean needed) {
            return put(OptionTable.RENEGOTIATION, needed);
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
            return put(OptionTable.CLIENT_RENEGOTIATION, allowed);
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
            return put(OptionTable.RENEGOTIATE_AT, Math.min(records, DEFAULT_RENEGOTIATE_AT));
        }

        /**
         * {@code reuse_sessions}: {@code false} stops a client from offering, and a server from accepting, the
         * resumption of earlier sessions. Default {@code true}. On a server it needs BoringSSL (which can refuse
         * tickets per connection; the JDK's TLS 1.3 tickets are stateless): {@code auto} picks it, {@code jdk} is
         * an options error.
         */
        public Builder reuseSessions(boolean reuse) {
            return put(OptionTable.REUSE_SESSIONS, reuse);
        }

        /**
         * {@code session_lifetime}: how long sessions may be resumed (whole seconds, at least 1). Default: the
         * engine's.
         */
        public Builder sessionLifetime(java.time.Duration lifetime) {
            return put(OptionTable.SESSION_LIFETIME, Objects.requireNonNull(lifetime, "lifetime"));
        }

        /**
         * {@code session_ticket_keys}: session-ticket keys for a server (BoringSSL only): 48 bytes each (16 name,
         * 16 HMAC, 16 AES); the first encrypts new tickets, all decrypt. Servers behind one load balancer that share keys resume each other's
         * sessions; rotate with {@link SslListenSocket#sessionTicketKeys(java.util.List)}. Default: keys the engine
         * makes at random per listen socket.
         */
        public Builder sessionTicketKeys(List<byte[]> keys) {
            return put(OptionTable.SESSION_TICKET_KEYS, keys.stream().map(byte[]::clone).toList());
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
            return put(OptionTable.REUSE_SESSION_FUN, Objects.requireNonNull(fun, "fun"));
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
            return put(OptionTable.REUSE_SESSION, Objects.requireNonNull(session, "session"));
        }

        /**
         * {@code session_tickets}: {@link SessionTickets#DISABLED}, {@link SessionTickets#AUTO} (client) or
         * {@link SessionTickets#STATELESS} (server) and the others, see {@link SessionTickets} for what each
         * engine can do. Default: unset (client {@code auto}, server {@code stateless}: resumption works out of
         * the box, unlike OTP's default {@code disabled}).
         */
        public Builder sessionTickets(SessionTickets mode) {
            return put(OptionTable.SESSION_TICKETS, Objects.requireNonNull(mode, "mode"));
        }

        /**
         * {@code verify}. Default: {@link Verify#VERIFY_PEER} for clients (OTP 26+), {@link Verify#VERIFY_NONE}
         * for servers. {@code verify_none} on a client is dangerous: anyone can pose as the server.
         */
        public Builder verify(Verify verify) {
            return put(OptionTable.VERIFY, Objects.requireNonNull(verify, "verify"));
        }

        /**
         * {@code fail_if_no_peer_cert}: a server with {@code verify_peer} refuses a client that sends no
         * certificate. Default {@code true} (OTP 26+); meaningless without {@code verify_peer}.
         */
        public Builder failIfNoPeerCert(boolean fail) {
            return put(OptionTable.FAIL_IF_NO_PEER_CERT, fail);
        }

        /** {@code certfile}: PEM file with the own certificate, optionally followed by its chain. Default none. */
        public Builder certfile(Path certfile) {
            return put(OptionTable.CERTFILE, Objects.requireNonNull(certfile, "certfile"));
        }

        /**
         * {@code keyfile}: PEM file with the private key (PKCS#8 plain or encrypted, PKCS#1 RSA, SEC1 EC, or a
         * legacy OpenSSL-encrypted PEM). Default: {@code certfile}.
         */
        public Builder keyfile(Path keyfile) {
            return put(OptionTable.KEYFILE, Objects.requireNonNull(keyfile, "keyfile"));
        }

        /** {@code password} of an encrypted key. Default none. The array is copied; never printed. */
        public Builder password(char[] password) {
            return put(OptionTable.PASSWORD, Objects.requireNonNull(password, "password"));
        }

        /** {@code password} of an encrypted key, as a string. Default: none (the key is not encrypted). */
        public Builder password(String password) {
            return password(Objects.requireNonNull(password, "password").toCharArray());
        }

        /** {@code cacertfile}: PEM file with the trusted CA certificates. Default none. */
        public Builder cacertfile(Path cacertfile) {
            return put(OptionTable.CACERTFILE, Objects.requireNonNull(cacertfile, "cacertfile"));
        }

        /**
         * {@code cert}: the own certificate first, then its chain. Overrides {@code certfile}. Default: none (a server
         * needs one of the two). An empty chain fails {@link #build()} with {@code {options, {cert, []}}}.
         */
        public Builder cert(X509Certificate... chain) {
            return cert(Arrays.asList(chain));
        }

        /** {@code cert} as a list; see {@link #cert(X509Certificate...)}. Default: none. */
        public Builder cert(List<X509Certificate> chain) {
            return put(OptionTable.CERT, listOf(chain));
        }

        /**
         * {@code {cert, Der | [Der]}}: certificates as DER bytes. Default: none. Bytes that do not decode fail
         * {@link #build()} with {@code {options, {cert, <<DER>>, {error, bad_der}}}}.
         */
        public Builder certDer(byte[]... der) {
            List<X509Certificate> chain = decode(der);
            return chain == null ? unparsed(OptionTable.CERT, new Reason.Options("cert", "<<DER>>", "bad_der"))
                    : cert(chain);
        }

        /** {@code key} as a Java key. Overrides {@code keyfile}; replaces a DER key. Default: none. */
        public Builder key(PrivateKey key) {
            values.remove(OptionTable.KEY_DER);
            return put(OptionTable.KEY, Objects.requireNonNull(key, "key"));
        }

        /** {@code {key, {Type, Der}}}. Overrides {@code keyfile}; replaces a Java key. Default: none. */
        public Builder key(PrivateKeyDer key) {
            values.remove(OptionTable.KEY);
            return put(OptionTable.KEY_DER, Objects.requireNonNull(key, "key"));
        }

        /** {@code cacerts}: trusted certificates. Overrides {@code cacertfile}. Default: none. */
        public Builder cacerts(X509Certificate... cas) {
            return cacerts(Arrays.asList(cas));
        }

        /** {@code cacerts} as a list; see {@link #cacerts(X509Certificate...)}. Default: none. */
        public Builder cacerts(List<X509Certificate> cas) {
            return put(OptionTable.CACERTS, listOf(cas));
        }

        /**
         * {@code {cacerts, [Der]}}: trusted certificates as DER bytes. Default: none. Bytes that do not decode fail
         * {@link #build()} with {@code {options, {cacerts, <<DER>>, {error, bad_der}}}}.
         */
        public Builder cacertsDer(byte[]... der) {
            List<X509Certificate> cas = decode(der);
            return cas == null ? unparsed(OptionTable.CACERTS, new Reason.Options("cacerts", "<<DER>>", "bad_der"))
                    : cacerts(cas);
        }

        /**
         * {@code cacerts} from the system: trust the JDK's default trust store (the Java counterpart of
         * {@code {cacerts, public_key:cacerts_get()}}).
         * Default off: as in OTP 26, a client that verifies must be told whom to trust.
         */
        public Builder systemCacerts(boolean use) {
            return put(OptionTable.SYSTEM_CACERTS, use);
        }

        /** {@code versions}, most preferred first. Default {@code ['tlsv1.3', 'tlsv1.2']}. */
        public Builder versions(Protocol... versions) {
            return versions(Arrays.asList(versions));
        }

        /** {@code versions} as a list, most preferred first. Default: TLS 1.3 and 1.2 ({@link #DEFAULT_VERSIONS}). */
        public Builder versions(List<Protocol> versions) {
            return put(OptionTable.VERSIONS, listOf(versions));
        }

        /**
         * {@code versions} by name ({@code "tlsv1.2"}, {@code "TLSv1.3"}); an unknown or unsupported name fails
         * {@link #build()} with {@code {options, {Name, {versions, List}}}} as OTP does. Default: TLS 1.3 and 1.2.
         */
        public Builder versionNames(List<String> names) {
            List<Protocol> parsed = new ArrayList<>();
            for (String name : names) {
                Optional<Protocol> p = Protocol.fromName(name.trim());
                if (p.isEmpty()) {
                    // OTP: {options, {Version, {versions, List}}}; a blank name is named by the option itself
                    String bad = name.trim().isEmpty() ? "versions" : name.trim();
                    return unparsed(OptionTable.VERSIONS, new Reason.Options(bad, "{versions," + names + "}", ""));
                }
                parsed.add(p.get());
            }
            return versions(parsed);
        }

        /** {@code provider}: which TLS engine. Default {@link Provider#AUTO}. */
        public Builder provider(Provider provider) {
            return put(OptionTable.PROVIDER, Objects.requireNonNull(provider, "provider"));
        }

        /**
         * {@code server_name_indication}: the name sent as SNI and checked against the server's certificate.
         * Default: the host given to {@code connect} (no SNI for an IP address, but its certificate is still
         * checked against the address).
         */
        public Builder serverNameIndication(String hostName) {
            values.remove(OptionTable.SNI_DISABLED);
            return put(OptionTable.SERVER_NAME_INDICATION, Objects.requireNonNull(hostName, "hostName"));
        }

        /**
         * {@code {server_name_indication, disable}}: send no SNI and do not check the server's name. Dangerous with
         * {@code verify_peer}: any certificate of a trusted CA is accepted, whoever it names. Default: SNI on (the host
         * given to {@code connect}). Replaces {@link #serverNameIndication}.
         */
        public Builder disableServerNameIndication() {
            values.remove(OptionTable.SERVER_NAME_INDICATION);
            return put(OptionTable.SNI_DISABLED, true);
        }

        /**
         * A socket option ({@code {active, once}}, ...) for the sockets made with these options; an accepted socket
         * inherits the listen socket's. Replaces an earlier value of the same option. Default:
         * {@link Opt#defaultValue()} of each option. A value the option does not allow fails {@link #build()} with
         * {@code {options, {socket_options, {Name, Value}}}}.
         */
        public <T> Builder set(Opt<T> key, T value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, key.name());
            socketOptions.put(key, value); // checked at build()
            return this;
        }

        /** Socket options ({@code [{active, once}, ...]}) given as pairs; see {@link #set(Opt, Object)}. */
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
            return put(OptionTable.OWNER, Objects.requireNonNull(owner, "owner"));
        }

        /**
         * Flow control for {@code active=true} with a slow owner: the bytes that may wait unconsumed in the owner
         * before reading pauses. Default 1 MiB; must be positive.
         */
        public Builder ownerHighWatermark(int bytes) {
            return put(OptionTable.OWNER_HIGH_WATERMARK, bytes);
        }

        /** Checks the options together (Erlang's {@code handle_options}) and makes them. */
        /**
         * Checks every option once (Erlang's {@code handle_options}) and builds the options.
         *
         * @throws SslOptionsException with the first problem's {@code {options, {Opt, Value}}} as its reason; every
         *                             problem is in its message and {@link SslOptionsException#problems()}
         */
        public SslOptions build() {
            List<Reason.Options> problems = new ArrayList<>();
            for (Map.Entry<OptionSpec<?>, Object> e : values.entrySet()) {
                Reason.Options p = unparsed.containsKey(e.getKey()) ? null : e.getKey().problem(e.getValue());
                if (p != null) {
                    problems.add(p);
                }
            }
            problems.addAll(unparsed.values());
            socketOptions.forEach((k, v) -> {
                if (!k.accepts(v)) {
                    problems.add(Reason.Options.of("socket_options", "{" + k.name() + "," + v + "}"));
                }
            });
            problems.addAll(combinations());
            if (!problems.isEmpty()) {
                throw new SslOptionsException(problems);
            }
            return new SslOptions(this);
        }

        /** Options that are fine alone but not together. */
        private List<Reason.Options> combinations() {
            List<Reason.Options> out = new ArrayList<>();
            if (Boolean.TRUE.equals(values.get(OptionTable.RENEGOTIATION))
                    && Boolean.FALSE.equals(values.get(OptionTable.CLIENT_RENEGOTIATION))) {
                out.add(new Reason.Options("client_renegotiation", "false", "incompatible"));
            }
            Object active = socketOptions.get(Opt.ACTIVE);
            if (active != null && !Active.FALSE.equals(active) && !values.containsKey(OptionTable.OWNER)) {
                out.add(new Reason.Options("active", active.toString(), "no_owner"));
            }
            boolean key = values.containsKey(OptionTable.KEY) || values.containsKey(OptionTable.KEY_DER);
            if (key && !values.containsKey(OptionTable.CERT) && !values.containsKey(OptionTable.CERTFILE)) {
                out.add(new Reason.Options("key", "no cert or certfile for this key", "incompatible"));
            }
            return out;
        }

        /** The certificates of DER encodings; {@code null} if one does not decode. */
        private static List<X509Certificate> decode(byte[]... ders) {
            List<X509Certificate> out = new ArrayList<>();
            try {
                CertificateFactory cf = CertificateFactory.getInstance("X.509");
                for (byte[] der : ders) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
                }
            } catch (CertificateException | RuntimeException e) {
                return null;
            }
            return out;
        }
    }
}
