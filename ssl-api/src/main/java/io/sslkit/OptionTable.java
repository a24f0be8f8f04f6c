package io.sslkit;

import io.sslkit.OptionSpec.Kind;
import io.sslkit.OptionSpec.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The options of {@link SslOptions}, each declared once: name, role, default, check and how it shows. The order is
 * {@link SslOptions#toString()}'s. Options that exclude each other ({@code key} given as a Java key or as DER,
 * {@code dh}/{@code dhfile}, {@code sni_hosts}/{@code sni_fun}, a server name or none) are separate rows that the
 * builder's setters reset in each other.
 */
final class OptionTable {

    private OptionTable() {
    }

    static final OptionSpec<Verify> VERIFY = OptionSpec.<Verify>of("verify", Role.BOTH, null);
    static final OptionSpec<Boolean> FAIL_IF_NO_PEER_CERT =
            OptionSpec.of("fail_if_no_peer_cert", Role.SERVER, Boolean.TRUE);
    static final OptionSpec<Path> CERTFILE = OptionSpec.<Path>of("certfile", Role.BOTH, null).shown(quoted("certfile"));
    static final OptionSpec<Path> KEYFILE = OptionSpec.<Path>of("keyfile", Role.BOTH, null).shown(quoted("keyfile"));
    static final OptionSpec<char[]> PASSWORD = OptionSpec.<char[]>of("password", Role.BOTH, null)
            .shown(p -> "{password,\"*****\"}").copiedBy(char[]::clone);
    static final OptionSpec<Path> CACERTFILE =
            OptionSpec.<Path>of("cacertfile", Role.BOTH, null).shown(quoted("cacertfile"));
    static final OptionSpec<List<X509Certificate>> CERT = OptionSpec.<List<X509Certificate>>of("cert", Role.BOTH, null)
            .checked(c -> c.isEmpty() ? Reason.Options.of("cert", "[]") : null)
            .shown(c -> "{cert,[" + c.size() + " certificates]}");
    static final OptionSpec<PrivateKey> KEY = OptionSpec.<PrivateKey>of("key", Role.BOTH, null)
            .shown(k -> "{key,*****}");
    static final OptionSpec<PrivateKeyDer> KEY_DER = OptionSpec.<PrivateKeyDer>of("key", Role.BOTH, null)
            .shown(k -> "{key,*****}");
    static final OptionSpec<List<X509Certificate>> CACERTS =
            OptionSpec.<List<X509Certificate>>of("cacerts", Role.BOTH, null)
                    .shown(c -> "{cacerts,[" + c.size() + " certificates]}");
    /** {@code {cacerts, public_key:cacerts_get()}}. */
    static final OptionSpec<Boolean> SYSTEM_CACERTS = OptionSpec.of("system_cacerts", Role.BOTH, Boolean.FALSE)
            .shown(b -> b ? "{cacerts,system}" : null);
    static final OptionSpec<List<Protocol>> VERSIONS =
            OptionSpec.of("versions", Role.BOTH, SslOptions.DEFAULT_VERSIONS).checked(OptionTable::versionsProblem);
    static final OptionSpec<Provider> PROVIDER = OptionSpec.of("provider", Role.BOTH, Provider.AUTO);
    // (the socket options, Opt, show here)
    static final OptionSpec<ControllingProcess> OWNER =
            OptionSpec.<ControllingProcess>of("owner", Role.BOTH, null).kind(Kind.EMULATED);
    /** {@code {server_name_indication, disable}}. */
    static final OptionSpec<Boolean> SNI_DISABLED = OptionSpec.of("server_name_indication", Role.CLIENT, Boolean.FALSE)
            .shown(b -> b ? "{server_name_indication,disable}" : null);
    static final OptionSpec<String> SERVER_NAME_INDICATION =
            OptionSpec.<String>of("server_name_indication", Role.CLIENT, null)
                    .checked(h -> h.isEmpty() ? Reason.Options.of("server_name_indication", "\"\"") : null)
                    .shown(quoted("server_name_indication"));
    static final OptionSpec<VerifyFun.WithState<?>> VERIFY_FUN =
            OptionSpec.<VerifyFun.WithState<?>>of("verify_fun", Role.BOTH, null).shown(String::valueOf);
    static final OptionSpec<Integer> DEPTH = OptionSpec.of("depth", Role.BOTH, SslOptions.DEFAULT_DEPTH)
            .checked(d -> d < 0 || d > 255 ? Reason.Options.of("depth", d) : null);
    static final OptionSpec<PartialChain> PARTIAL_CHAIN =
            OptionSpec.of("partial_chain", Role.BOTH, PartialChain.UNKNOWN_CA).shown(f -> "{partial_chain,fun}");
    static final OptionSpec<List<CipherSuite>> CIPHERS =
            OptionSpec.<List<CipherSuite>>of("ciphers", Role.BOTH, List.of())
                    .checked(OptionTable::ciphersProblem).shown(OptionTable::showCiphers);
    static final OptionSpec<Boolean> HONOR_CIPHER_ORDER = OptionSpec.of("honor_cipher_order", Role.SERVER, false)
            .shown(b -> b ? "{honor_cipher_order,true}" : null);
    static final OptionSpec<List<String>> ALPN_ADVERTISED_PROTOCOLS = alpn("alpn_advertised_protocols", Role.CLIENT);
    static final OptionSpec<List<String>> ALPN_PREFERRED_PROTOCOLS = alpn("alpn_preferred_protocols", Role.SERVER);
    static final OptionSpec<byte[]> DH = OptionSpec.<byte[]>of("dh", Role.SERVER, null)
            .checked(d -> d.length == 0 ? Reason.Options.of("dh", "<<>>") : null)
            .shown(d -> "{dh,<<" + d.length + " bytes>>}").copiedBy(byte[]::clone);
    static final OptionSpec<Path> DHFILE = OptionSpec.<Path>of("dhfile", Role.SERVER, null).shown(quoted("dhfile"));
    static final OptionSpec<Boolean> SECURE_RENEGOTIATE = OptionSpec.of("secure_renegotiate", Role.BOTH, true)
            // both engines refuse insecure (pre-RFC 5746) renegotiation; nothing can honour false
            .checked(b -> b ? null : new Reason.Options("secure_renegotiate", "false", "not_available"))
            .shown(b -> b ? null : "{secure_renegotiate,false}");
    static final OptionSpec<Long> RENEGOTIATE_AT = OptionSpec.<Long>of("renegotiate_at", Role.BOTH, null)
            .checked(r -> r < 1 ? Reason.Options.of("renegotiate_at", r) : null);
    // not shown by toString (as before the table):
    static final OptionSpec<Integer> OWNER_HIGH_WATERMARK =
            OptionSpec.of("owner_high_watermark", Role.BOTH, 1 << 20).kind(Kind.EMULATED).hidden()
                    .checked(b -> b <= 0 ? Reason.Options.of("owner_high_watermark", b) : null);
    static final OptionSpec<Boolean> ALLOW_INSECURE_CIPHERS =
            OptionSpec.of("allow_insecure_ciphers", Role.BOTH, false).hidden();
    static final OptionSpec<Boolean> RENEGOTIATION = OptionSpec.of("renegotiation", Role.BOTH, false).hidden();
    static final OptionSpec<Map<String, SslOptions>> SNI_HOSTS =
            OptionSpec.<Map<String, SslOptions>>of("sni_hosts", Role.SERVER, Map.of()).hidden();
    static final OptionSpec<Function<String, Optional<SslOptions>>> SNI_FUN =
            OptionSpec.<Function<String, Optional<SslOptions>>>of("sni_fun", Role.SERVER, null).hidden();
    static final OptionSpec<Boolean> CLIENT_RENEGOTIATION =
            OptionSpec.<Boolean>of("client_renegotiation", Role.SERVER, null).hidden();
    static final OptionSpec<Boolean> REUSE_SESSIONS = OptionSpec.of("reuse_sessions", Role.BOTH, true).hidden();
    static final OptionSpec<Duration> SESSION_LIFETIME = OptionSpec.<Duration>of("session_lifetime", Role.SERVER, null)
            .checked(d -> d.getSeconds() < 1 ? Reason.Options.of("session_lifetime", d.getSeconds()) : null).hidden();
    static final OptionSpec<List<byte[]>> SESSION_TICKET_KEYS =
            OptionSpec.<List<byte[]>>of("session_ticket_keys", Role.SERVER, List.of())
                    .checked(OptionTable::ticketKeysProblem).hidden()
                    .copiedBy(keys -> keys.stream().map(byte[]::clone).toList());
    static final OptionSpec<ReuseSessionFun> REUSE_SESSION_FUN =
            OptionSpec.<ReuseSessionFun>of("reuse_session", Role.SERVER, null).hidden();
    static final OptionSpec<SavedSession> REUSE_SESSION =
            OptionSpec.<SavedSession>of("reuse_session", Role.CLIENT, null).hidden();
    static final OptionSpec<SessionTickets> SESSION_TICKETS =
            OptionSpec.<SessionTickets>of("session_tickets", Role.BOTH, null).hidden();

    /** Every option, in {@code toString} order. */
    static final List<OptionSpec<?>> ALL = List.of(VERIFY, FAIL_IF_NO_PEER_CERT, CERTFILE, KEYFILE, PASSWORD,
            CACERTFILE, CERT, KEY, KEY_DER, CACERTS, SYSTEM_CACERTS, VERSIONS, PROVIDER, OWNER, SNI_DISABLED,
            SERVER_NAME_INDICATION, VERIFY_FUN, DEPTH, PARTIAL_CHAIN, CIPHERS, HONOR_CIPHER_ORDER,
            ALPN_ADVERTISED_PROTOCOLS, ALPN_PREFERRED_PROTOCOLS, DH, DHFILE, SECURE_RENEGOTIATE, RENEGOTIATE_AT,
            OWNER_HIGH_WATERMARK, ALLOW_INSECURE_CIPHERS, RENEGOTIATION, SNI_HOSTS, SNI_FUN, CLIENT_RENEGOTIATION,
            REUSE_SESSIONS, SESSION_LIFETIME, SESSION_TICKET_KEYS, REUSE_SESSION_FUN, REUSE_SESSION,
            SESSION_TICKETS);

    private static <T> Function<T, String> quoted(String name) {
        return v -> "{" + name + ",\"" + v + "\"}";
    }

    private static OptionSpec<List<String>> alpn(String name, Role role) {
        return OptionSpec.<List<String>>of(name, role, List.of())
                .checked(protocols -> {
                    for (String p : protocols) {
                        int bytes = p.getBytes(StandardCharsets.UTF_8).length;
                        if (bytes == 0 || bytes > 255) { // RFC 7301: each name is 1..255 bytes
                            return Reason.Options.of(name,
                                    "{invalid_protocol,<<" + (bytes == 0 ? "" : "\"" + p + "\"") + ">>}");
                        }
                    }
                    return null;
                })
                .shown(protocols -> protocols.isEmpty() ? null : "{" + name + "," + binaries(protocols) + "}");
    }

    private static Reason.Options versionsProblem(List<Protocol> versions) {
        if (versions.isEmpty()) {
            return Reason.Options.of("versions", "[]");
        }
        EnumSet<Protocol> seen = EnumSet.noneOf(Protocol.class);
        for (Protocol p : versions) {
            if (!seen.add(p)) {
                return Reason.Options.of("versions", versions);
            }
        }
        return null;
    }

    private static Reason.Options ciphersProblem(List<CipherSuite> suites) {
        if (suites.isEmpty()) {
            return Reason.Options.of("ciphers", "[]");
        }
        for (CipherSuite s : suites) {
            if (!CipherSuite.known().contains(s)) {
                return new Reason.Options("ciphers", String.valueOf(s), "not_recognized");
            }
        }
        return null;
    }

    private static String showCiphers(List<CipherSuite> ciphers) {
        StringBuilder s = new StringBuilder("{ciphers,\"");
        for (int i = 0; i < ciphers.size(); i++) {
            s.append(i == 0 ? "" : ":").append(ciphers.get(i).opensslName());
        }
        return s.append("\"}").toString();
    }

    private static Reason.Options ticketKeysProblem(List<byte[]> keys) {
        for (byte[] k : keys) {
            if (k.length != 48) {
                return new Reason.Options("session_ticket_keys", k.length + " bytes", "not_48_bytes");
            }
        }
        return null;
    }

    private static String binaries(List<String> protocols) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < protocols.size(); i++) {
            s.append(i == 0 ? "" : ",").append("<<\"").append(protocols.get(i)).append("\">>");
        }
        return s.append(']').toString();
    }
}
