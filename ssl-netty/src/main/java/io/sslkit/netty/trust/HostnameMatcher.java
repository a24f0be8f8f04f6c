package io.sslkit.netty.trust;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.util.IPAddress;

/**
 * Does a certificate name a host? RFC 6125 as OTP's {@code public_key:pkix_verify_hostname/2} applies it: an IP
 * literal is compared with the iPAddress subjectAltNames; a name with the dNSName ones, a wildcard standing for
 * exactly one whole left-most label ({@code *.example.com} matches {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}; partial wildcards such as {@code f*.example.com} match
 * nothing); and only when the certificate has no dNSName at all, with its subject's common names.
 */
final class HostnameMatcher {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatcher() {
    }

    static boolean matches(X509Certificate cert, String host) {
        String h = normalise(host);
        if (h.isEmpty()) {
            return false;
        }
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (isIpLiteral(h)) {
            return sans != null && sans.stream().anyMatch(s -> (Integer) s.get(0) == SAN_IP
                    && sameAddress((String) s.get(1), h));
        }
        String ascii = toAscii(h);
        List<String> dnsNames = new ArrayList<>();
        if (sans != null) {
            sans.stream().filter(s -> (Integer) s.get(0) == SAN_DNS).forEach(s -> dnsNames.add((String) s.get(1)));
        }
        if (dnsNames.isEmpty()) {
            dnsNames.addAll(commonNames(cert));
        }
        return dnsNames.stream().anyMatch(pattern -> matchesDns(normalise(pattern), ascii));
    }

    static boolean isIpLiteral(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return IPAddress.isValid(h);
    }

    private static boolean matchesDns(String pattern, String host) {
        if (!pattern.contains("*")) {
            return pattern.equals(host);
        }
        // Only a whole left-most label may be a wildcard, and it must leave at least two labels (not "*.com").
        if (!pattern.startsWith("*.") || pattern.indexOf('*', 1) >= 0 || pattern.chars().filter(c -> c == '.')
                .count() < 2) {
            return false;
        }
        int dot = host.indexOf('.');
        return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }

    private static boolean sameAddress(String certAddress, String host) {
        try {
            // Both are literals (the JDK prints iPAddress SANs as literals), so no name is looked up.
            return InetAddress.getByName(strip(certAddress)).equals(InetAddress.getByName(strip(host)));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String strip(String literal) {
        return literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1)
                : literal;
    }

    private static String normalise(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static String toAscii(String host) {
        try {
            return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return host;
        }
    }

    private static List<String> commonNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    out.add(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return List.of();
        }
        return out;
    }
}
