package io.sslkit;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A TLS cipher suite, as OTP describes one ({@code #{key_exchange, cipher, mac, prf}}) and with its OpenSSL and
 * IANA names. The values are those of {@link #known()}: the TLS 1.2 and 1.3 suites of the JDK and BoringSSL engines.
 * Which of them an engine can actually use is said by {@code io.sslkit.netty.context.CipherSuites.list}.
 *
 * <p>Erlang's forms map as follows: the map {@code #{key_exchange => ecdhe_rsa, cipher => aes_128_gcm, mac => aead,
 * prf => sha256}} is {@link #erlang(String, String, String, String)}; the old tuples {@code {rsa, aes_128_cbc, sha}}
 * and {@code {ecdhe_rsa, aes_128_gcm, aead, sha256}} are {@link #erlang(String, String, String)} and the same
 * four-argument method; {@link #fromName(String)} reads any of them as text as well as OpenSSL and IANA names.
 *
 * @param keyExchange the key exchange atom: {@code ecdhe_ecdsa}, {@code ecdhe_rsa}, {@code dhe_rsa}, {@code rsa},
 *                    or {@code any} for TLS 1.3 suites
 * @param cipher      the bulk cipher atom: {@code aes_128_gcm}, {@code aes_256_cbc}, {@code chacha20_poly1305},
 *                    {@code 3des_ede_cbc}, ...
 * @param mac         {@code aead}, {@code sha}, {@code sha256} or {@code sha384}
 * @param prf         {@code sha256}, {@code sha384} or {@code default_prf}
 * @param ianaName    e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256} (also the Java name)
 * @param opensslName e.g. {@code ECDHE-RSA-AES128-GCM-SHA256}
 */
public record CipherSuite(String keyExchange, String cipher, String mac, String prf, String ianaName,
                          String opensslName) {

    public CipherSuite {
        Objects.requireNonNull(keyExchange, "keyExchange");
        Objects.requireNonNull(cipher, "cipher");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(prf, "prf");
        Objects.requireNonNull(ianaName, "ianaName");
        Objects.requireNonNull(opensslName, "opensslName");
    }

    /** IANA name → OpenSSL name, in sslkit's order of preference (TLS 1.3 first, then ECDHE with AEAD, ...). */
    private static final String[][] TABLE = {
        {"TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"},
        {"TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384"},
        {"TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256"},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
        {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256"},
        {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
        {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384"},
        {"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"},
        {"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305"},
        {"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256"},
        {"TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384"},
        {"TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305"},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256"},
        {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256"},
        {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384"},
        {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384"},
        {"TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256"},
        {"TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256"},
        {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA"},
        {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA"},
        {"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA"},
        {"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA"},
        {"TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA"},
        {"TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA"},
        {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
        {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
        {"TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256"},
        {"TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256"},
        {"TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA"},
        {"TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA"},
        {"TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA"},
    };

    private static final List<CipherSuite> KNOWN;
    private static final Map<String, CipherSuite> BY_NAME = new HashMap<>();

    static {
        List<CipherSuite> all = new ArrayList<>();
        for (String[] row : TABLE) {
            CipherSuite s = parseIana(row[0], row[1]);
            all.add(s);
            BY_NAME.put(row[0].toUpperCase(Locale.ROOT), s);
            BY_NAME.put(row[1].toUpperCase(Locale.ROOT), s);
        }
        KNOWN = List.copyOf(all);
    }

    /** Every suite sslkit knows by name, most preferred first. */
    public static List<CipherSuite> known() {
        return KNOWN;
    }

    /**
     * The suite with this name: an IANA name ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}), an OpenSSL name
     * ({@code ECDHE-RSA-AES128-GCM-SHA256}), ignoring case, or an Erlang term as text ({@code
     * {ecdhe_rsa,aes_128_gcm,aead,sha256}}, {@code {rsa,aes_128_cbc,sha}}, {@code #{key_exchange => rsa, ...}}).
     * Empty for anything else, including OpenSSL keywords such as {@code HIGH} or {@code !aNULL}.
     */
    public static Optional<CipherSuite> fromName(String name) {
        String n = name.trim();
        if (n.startsWith("{") || n.startsWith("#{")) {
            return fromErlangTerm(n);
        }
        return Optional.ofNullable(BY_NAME.get(n.toUpperCase(Locale.ROOT)));
    }

    /**
     * Splits OTP's string form of {@code ciphers} into names: separated by {@code :}, commas or spaces, except
     * inside an Erlang tuple or map written as text ({@code {rsa, aes_128_cbc, sha}}), which stays whole.
     */
    static List<String> splitList(String list) {
        List<String> names = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        int braces = 0;
        for (char ch : list.toCharArray()) {
            braces += ch == '{' ? 1 : ch == '}' ? -1 : 0;
            if (braces == 0 && (ch == ':' || ch == ',' || Character.isWhitespace(ch))) {
                if (name.length() > 0) {
                    names.add(name.toString());
                    name.setLength(0);
                }
            } else {
                name.append(ch);
            }
        }
        if (name.length() > 0) {
            names.add(name.toString());
        }
        return names;
    }

    /** The suite of the map {@code #{key_exchange, cipher, mac, prf}} (or the 4-tuple of the same atoms). */
    public static Optional<CipherSuite> erlang(String keyExchange, String cipher, String mac, String prf) {
        return KNOWN.stream().filter(s -> s.keyExchange.equals(keyExchange) && s.cipher.equals(cipher)
                && s.mac.equals(mac) && s.prf.equals(prf)).findFirst();
    }

    /**
     * The suite of the pre-OTP-20 3-tuple {@code {KeyExchange, Cipher, Hash}} ({@code {rsa, aes_128_cbc, sha}}):
     * the hash is the MAC, or for an AEAD cipher the PRF hash.
     */
    public static Optional<CipherSuite> erlang(String keyExchange, String cipher, String hash) {
        return KNOWN.stream().filter(s -> s.keyExchange.equals(keyExchange) && s.cipher.equals(cipher)
                && (s.mac.equals(hash) || s.mac.equals("aead") && s.prf.equals(hash))).findFirst();
    }

    /** The name in a format; {@link Format#ERLANG} gives the map as Erlang prints it (keys sorted). */
    public String name(Format format) {
        return switch (format) {
            case IANA -> ianaName;
            case OPENSSL -> opensslName;
            case ERLANG -> "#{cipher => " + atom(cipher) + ",key_exchange => " + atom(keyExchange) + ",mac => "
                    + atom(mac) + ",prf => " + atom(prf) + "}";
        };
    }

    /**
     * {@code ssl:suite_to_str/1}: the RFC (IANA) name, e.g. {@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}.
     */
    public static String suiteToStr(CipherSuite suite) {
        return suite.ianaName;
    }

    /**
     * {@code ssl:suite_to_openssl_str/1}: the OpenSSL name, e.g. {@code ECDHE-RSA-AES128-GCM-SHA256}; TLS 1.3
     * suites keep their RFC name, as in OpenSSL and OTP.
     */
    public static String suiteToOpensslStr(CipherSuite suite) {
        return suite.opensslName;
    }

    /**
     * {@code ssl:str_to_suite/1}: the suite with this RFC or OpenSSL name, matched exactly as OTP does (case and
     * spaces count). Empty where OTP returns {@code {error, {not_recognized, Str}}}; unlike {@link #fromName}, it
     * reads no Erlang term and ignores no case.
     */
    public static Optional<CipherSuite> strToSuite(String name) {
        return KNOWN.stream().filter(s -> s.ianaName.equals(name) || s.opensslName.equals(name)).findFirst();
    }

    /**
     * {@code ssl:filter_cipher_suites/2}: the suites that every filter accepts, in their order. As in OTP, only the
     * first filter given for a field counts, and suites no engine of sslkit knows ({@link #known()}) are dropped,
     * as OTP drops those its crypto library lacks.
     */
    public static List<CipherSuite> filterCipherSuites(List<CipherSuite> suites, Filter... filters) {
        Map<Field, Filter> first = new EnumMap<>(Field.class);
        for (Filter f : filters) {
            first.putIfAbsent(f.field(), f);
        }
        return suites.stream().filter(KNOWN::contains)
                .filter(s -> first.values().stream().allMatch(f -> f.accept().test(f.field().of(s))))
                .toList();
    }

    /** {@code ssl:prepend_cipher_suites/2} with a list: {@code Preferred ++ (Suites -- Preferred)}. */
    public static List<CipherSuite> prependCipherSuites(List<CipherSuite> preferred, List<CipherSuite> suites) {
        List<CipherSuite> out = new ArrayList<>(preferred);
        out.addAll(minus(suites, preferred));
        return List.copyOf(out);
    }

    /**
     * {@code ssl:prepend_cipher_suites/2} with filters: the suites the filters accept ({@link #filterCipherSuites})
     * go first, the rest follow in their order.
     */
    public static List<CipherSuite> prependMatching(List<CipherSuite> suites, Filter... filters) {
        return prependCipherSuites(filterCipherSuites(suites, filters), suites);
    }

    /** {@code ssl:append_cipher_suites/2} with a list: {@code (Suites -- Deferred) ++ Deferred}. */
    public static List<CipherSuite> appendCipherSuites(List<CipherSuite> deferred, List<CipherSuite> suites) {
        List<CipherSuite> out = new ArrayList<>(minus(suites, deferred));
        out.addAll(deferred);
        return List.copyOf(out);
    }

    /**
     * {@code ssl:append_cipher_suites/2} with filters: the suites the filters accept ({@link #filterCipherSuites})
     * go last, the rest stay first in their order.
     */
    public static List<CipherSuite> appendMatching(List<CipherSuite> suites, Filter... filters) {
        return appendCipherSuites(filterCipherSuites(suites, filters), suites);
    }

    /** Erlang's {@code A -- B}: removes the first occurrence in {@code a} of each element of {@code b}. */
    private static List<CipherSuite> minus(List<CipherSuite> a, List<CipherSuite> b) {
        List<CipherSuite> out = new ArrayList<>(a);
        b.forEach(out::remove);
        return out;
    }

    /** A field of OTP's suite map, as a filter of {@code filter_cipher_suites/2} names it. */
    public enum Field {
        /** {@code key_exchange}: {@code ecdhe_rsa}, {@code rsa}, ... ({@code any} for TLS 1.3). */
        KEY_EXCHANGE,
        /** {@code cipher}: {@code aes_128_gcm}, {@code chacha20_poly1305}, ... */
        CIPHER,
        /** {@code mac}: {@code aead}, {@code sha}, {@code sha256}, {@code sha384}. */
        MAC,
        /** {@code prf}: {@code sha256}, {@code sha384}, {@code default_prf}. */
        PRF;

        String of(CipherSuite s) {
            return switch (this) {
                case KEY_EXCHANGE -> s.keyExchange;
                case CIPHER -> s.cipher;
                case MAC -> s.mac;
                case PRF -> s.prf;
            };
        }
    }

    /**
     * One filter of {@code ssl:filter_cipher_suites/2}: OTP's {@code {key_exchange, fun(Atom) -> boolean() end}}
     * is {@code new Filter(Field.KEY_EXCHANGE, kx -> kx.equals("ecdhe_rsa"))}; the predicate sees the atom's name.
     *
     * @param field  the field of the suite the predicate looks at
     * @param accept whether a suite with that field value stays
     */
    public record Filter(Field field, java.util.function.Predicate<String> accept) {
        public Filter {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(accept, "accept");
        }
    }

    /** Whether this is a TLS 1.3 suite (key exchange {@code any}). */
    public boolean isTls13() {
        return keyExchange.equals("any");
    }

    @Override
    public String toString() {
        return name(Format.ERLANG);
    }

    private static String atom(String s) {
        return Character.isDigit(s.charAt(0)) ? "'" + s + "'" : s;
    }

    /** Derives OTP's description from the IANA name, so that the table holds names only. */
    private static CipherSuite parseIana(String iana, String openssl) {
        String body = iana.substring("TLS_".length());
        int with = body.indexOf("_WITH_");
        String kx = with < 0 ? "any" : body.substring(0, with).toLowerCase(Locale.ROOT);
        String rest = with < 0 ? body : body.substring(with + "_WITH_".length());
        int lastUnderscore = rest.lastIndexOf('_');
        String hash = rest.substring(lastUnderscore + 1).toLowerCase(Locale.ROOT);
        String cipher = rest.substring(0, lastUnderscore).toLowerCase(Locale.ROOT);
        boolean aead = cipher.endsWith("_gcm") || cipher.endsWith("_ccm") || cipher.startsWith("chacha20");
        String mac = aead ? "aead" : hash;
        // OTP's table (ssl_cipher_format): AEAD and SHA-384 suites name their PRF hash, and so do the ECDHE CBC
        // SHA-256 suites (RFC 5289 gives them P_SHA256); other CBC suites use the version's default PRF.
        boolean namedPrf = aead || hash.equals("sha384") || hash.equals("sha256") && kx.startsWith("ecdhe");
        String prf = namedPrf ? hash : "default_prf";
        return new CipherSuite(kx, cipher, mac, prf, iana, openssl);
    }

    private static Optional<CipherSuite> fromErlangTerm(String term) {
        boolean map = term.startsWith("#{");
        String inner = term.substring(map ? 2 : 1, term.endsWith("}") ? term.length() - 1 : term.length());
        String[] parts = inner.split(",");
        Map<String, String> fields = new HashMap<>();
        List<String> values = new ArrayList<>();
        for (String part : parts) {
            if (map) {
                String[] kv = part.split("=>");
                if (kv.length != 2) {
                    return Optional.empty();
                }
                fields.put(unquote(kv[0]), unquote(kv[1]));
            } else {
                values.add(unquote(part));
            }
        }
        if (map) {
            String prf = fields.getOrDefault("prf", "default_prf");
            if (fields.get("key_exchange") == null || fields.get("cipher") == null || fields.get("mac") == null) {
                return Optional.empty();
            }
            return erlang(fields.get("key_exchange"), fields.get("cipher"), fields.get("mac"), prf);
        }
        return switch (values.size()) {
            case 3 -> erlang(values.get(0), values.get(1), values.get(2));
            case 4 -> erlang(values.get(0), values.get(1), values.get(2).equals("null") ? "aead" : values.get(2),
                    values.get(3));
            default -> Optional.empty();
        };
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("'") && t.endsWith("'") ? t.substring(1, t.length() - 1) : t;
    }
}
