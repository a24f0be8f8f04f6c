package io.sslkit.examples.otpdiff;

import io.sslkit.Alert;
import io.sslkit.CipherSuite;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslOptions;
import io.sslkit.SslOptionsException;
import io.sslkit.Verify;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code Ssl.formatError} against {@code ssl:format_error/1}, and {@code Reason.toString()} against
 * {@code erl_scan}/{@code erl_parse} ({@code ci/interop/otpdiff_format_error.escript}), for every kind of
 * {@link Reason} sslkit produces: each {@link Reason.Atom}, every POSIX code {@code inet:format_error/1} knows, every
 * alert from either side and role, the option errors sslkit's builders and engines raise (taken from real calls
 * where a builder makes them), file-option errors, packet errors and unexpected failures. A case agrees when the
 * text parses, when {@code ssl:format_error/1} of the parsed term is {@code Ssl.formatError}'s text, and, where
 * OTP has the same error, when the parsed term is the one OTP returns.
 *
 * <p>Documented deviation: {@code format_error_line_breaks} — {@code ~p} breaks a term that does not fit 80
 * columns over several lines; sslkit prints it on one line (the texts are equal once OTP's line breaks and the
 * indentation after them are removed).
 */
class FormatErrorDiffTest {

    static final long SEED = Long.getLong("otpdiff.seed", 0x5eed15L);

    /** A reason, and the term OTP returns for the same error when sslkit claims one (else null). */
    record Case(Reason reason, String otpTerm) {
    }

    @Test
    void formatErrorAgreesWithOtp() throws Exception {
        List<Case> cases = cases(posixCodes());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            lines.add("r" + i + " " + cases.get(i).reason());
        }
        Map<String, String> otp = OtpOracle.ask("otpdiff_format_error.escript", lines);
        OtpOracle.Tally tally = new OtpOracle.Tally("format_error", SEED);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String[] answer = otp.getOrDefault("r" + i, "<no answer>").split(" ");
            String mine = Ssl.formatError(c.reason());
            String theirs;
            if (answer[0].equals("ok")) {
                String canonical = text(answer[1]);
                theirs = text(answer[2]);
                if (c.otpTerm() != null && !canonical.equals(c.otpTerm())) {
                    theirs = "term " + canonical + " is not OTP's " + c.otpTerm();
                }
            } else {
                theirs = "toString() does not parse";
            }
            String deviation = theirs.replaceAll("\n *", "").equals(mine) ? "format_error_line_breaks" : null;
            tally.add("r" + i, c.reason().getClass().getSimpleName() + " " + c.reason(), theirs, mine, deviation);
        }
        tally.report();
    }

    private static String text(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }

    static List<String> posixCodes() throws Exception {
        return new ArrayList<>(OtpOracle.askAll("otpdiff_format_error.escript", "posix"));
    }

    static List<Case> cases(List<String> posix) {
        List<Case> cases = new ArrayList<>();
        for (Reason.Atom a : Reason.Atom.values()) {
            cases.add(new Case(a, a.erlangName()));
        }
        for (String code : posix) {
            cases.add(new Case(new Reason.Posix(code), code));
        }
        cases.add(new Case(new Reason.Posix("not_a_posix_code"), null));
        for (Alert a : Alert.values()) {
            for (Reason.TlsAlert.Origin o : Reason.TlsAlert.Origin.values()) {
                for (Reason.TlsAlert.Role r : Reason.TlsAlert.Role.values()) {
                    cases.add(new Case(new Reason.TlsAlert(a, o, r, ""), null));
                }
            }
            cases.add(new Case(new Reason.TlsAlert(a, Reason.TlsAlert.Origin.LOCAL, Reason.TlsAlert.Role.CLIENT,
                    "{bad_cert,hostname_check_failed} \"quoted\" \\ back"), null));
        }
        options(cases);
        Random rnd = new Random(SEED);
        for (int n : new int[] {0, 1, 3, 8, 20, 64}) {
            byte[] b = new byte[n];
            rnd.nextBytes(b);
            cases.add(new Case(new Reason.InvalidPacket(b), null));
        }
        cases.add(new Case(new Reason.InvalidPacket("GET / HTTP/1.1".getBytes(StandardCharsets.ISO_8859_1)), null));
        cases.add(new Case(new Reason.PacketTooLarge(300, 255), "{badarg,{packet_to_large,300,255}}"));
        cases.add(new Case(new Reason.Unexpected("java.io.IOException: \"broken\" pipe\\"), null));
        cases.add(new Case(new Reason.Unexpected(""), null));
        return cases;
    }

    /** Option errors: from real builder calls where one makes them, else as the engines construct them. */
    static void options(List<Case> cases) {
        Map<String, Supplier<SslOptions>> builds = new LinkedHashMap<>();
        builds.put("{options,{depth,-1}}", () -> SslOptions.builder().depth(-1).build());
        builds.put("{options,{versions,[]}}", () -> SslOptions.builder().versionNames(List.of()).build());
        builds.put("sslv2", () -> SslOptions.builder().versionNames(List.of("sslv2", "sslv3")).build());
        builds.put("{options,{ciphers,[]}}", () -> SslOptions.builder().ciphers(new CipherSuite[0]).build());
        builds.put("unknown cipher", () -> SslOptions.builder().ciphers("NO-SUCH-CIPHER").build());
        builds.put("empty sni", () -> SslOptions.builder().provider(Provider.OPENSSL).verify(Verify.VERIFY_PEER)
                .serverNameIndication("").build());
        for (Map.Entry<String, Supplier<SslOptions>> b : builds.entrySet()) {
            try {
                b.getValue().get();
            } catch (SslOptionsException e) {
                String otp = b.getKey().startsWith("{") ? b.getKey() : null;
                cases.add(new Case(e.reason(), otp));
            } catch (IllegalArgumentException | IllegalStateException e) {
                // builder misuse, not an option error: nothing to compare
            }
        }
        cases.add(new Case(Reason.Options.of("verify", "4"), "{options,{verify,4}}"));
        cases.add(new Case(Reason.Options.of("socket_options", "{active,trice}"),
                "{options,{socket_options,{active,trice}}}"));
        cases.add(new Case(new Reason.Options("socket_options", "{mode,list}", "einval"),
                "{options,{socket_options,{mode,list},einval}}"));
        cases.add(new Case(new Reason.Options("socket_options", "{active,true}", "no_owner"), null));
        for (String file : new String[] {"certfile", "keyfile", "cacertfile", "dhfile"}) {
            for (String err : new String[] {"enoent", "eacces", "eisdir", "bad_pem", "bad_password",
                "no_certificate_in_file", "key_does_not_match_certificate"}) {
                boolean posix = err.startsWith("e");
                cases.add(new Case(new Reason.Options(file, "/tmp/x y.pem", err),
                        posix ? "{options,{" + file + ",\"/tmp/x y.pem\",{error," + err + "}}}" : null));
            }
        }
        String[][] engine = {
            {"secure_renegotiate", "false", "not_available"}, {"client_renegotiation", "false", "incompatible"},
            {"active", "once", "no_owner"}, {"key", "no cert or certfile for this key", "server_needs_certificate"},
            {"cert", "<<DER>>", "bad_der"}, {"reuse_session", "fun", "server_only"},
            {"reuse_session", "{SessionId,SessionData}", "client_only"}, {"session_tickets", "manual",
                "not_supported_by_engines"}, {"renegotiation", "true", "needs_jdk_engine"},
            {"renegotiate_at", "100", "needs_jdk_engine"}, {"provider", "openssl", "not_available"},
            {"versions", "[TLSV1_3]", "not_available"}, {"cacerts", "undefined", "verify_peer_needs_cacerts"},
            {"session_ticket_keys", "12 bytes", "not_48_bytes"}, {"dh", "<<>>", "dh_not_supported"},
            {"ciphers", "TLS_RSA_WITH_RC4_128_SHA", "insecure_cipher"}, {"ciphers", "[\"AES\"]",
                "no_supported_ciphers"}, {"certfile", "undefined", "server_needs_certificate"},
            {"ocsp_stapling", "true", "needs_openssl_engine"},
        };
        for (String[] e : engine) {
            cases.add(new Case(new Reason.Options(e[0], e[1], e[2]), null));
        }
        for (String v : new String[] {"4", "[]", "\"\"", "{verify,foo}", "'tlsv1.2'", "[a,b]", "not a term",
            "VERIFY_PEER", "[TLSv1_2, TLSv1_3]", "PT5S", "-1", "<<1,2>>"}) {
            cases.add(new Case(Reason.Options.of("some_option", v), null));
        }
    }
}
