package io.sslkit.netty.trust;

import io.sslkit.BadCertReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Orders the chain a peer sent into a path, as OTP's {@code ssl_certificate:trusted_cert_and_paths} does: starting
 * at the peer's certificate, each next certificate is the one the current one names as its issuer (by name,
 * preferring the one whose key identifier matches), until a trusted certificate issues the current one. The order in which the
 * peer sent its certificates does not matter; extra ones are ignored.
 *
 * <p>The result is the path from the top down to the peer, with its trust anchor or, if it reaches none, the
 * problem: {@link BadCertReason#SELFSIGNED_PEER} for a lone self-issued certificate, else
 * {@link BadCertReason#UNKNOWN_CA}.
 */
final class ChainOrder {

    /** A chain longer than this is certainly not a path (RFC 5280 has no limit; OTP's depth is at most 255). */
    private static final int MAX_LENGTH = 257;

    /**
     * @param anchor  the trusted certificate that issued {@code path.get(0)}, or null
     * @param path    top-most first, the peer's last; never empty
     * @param problem null if an anchor was found
     */
    record Path(CertView anchor, List<CertView> path, BadCertReason problem) {
    }

    private ChainOrder() {
    }

    static Path order(List<CertView> presented, List<CertView> anchors) {
        CertView peer = presented.get(0);
        Set<CertView> pool = new LinkedHashSet<>(presented.subList(1, presented.size()));
        List<CertView> up = new ArrayList<>();
        CertView current = peer;
        while (true) {
            up.add(current);
            CertView anchor = issuerAmong(current, anchors);
            if (anchor != null) {
                return new Path(anchor, reversed(up), null);
            }
            if (current.selfIssued() || up.size() >= MAX_LENGTH) {
                break;
            }
            pool.remove(current);
            CertView next = issuerAmong(current, List.copyOf(pool));
            if (next == null) {
                break;
            }
            current = next;
        }
        BadCertReason problem = up.size() == 1 && peer.selfIssued() ? BadCertReason.SELFSIGNED_PEER
                : BadCertReason.UNKNOWN_CA;
        return new Path(null, reversed(up), problem);
    }

    /**
     * The candidate that {@code cert} names as its issuer. Preferred: one whose key id agrees with the authority
     * key id, and of several such, the first whose key verifies the signature. Failing that, one with the right
     * name only: a mismatch of key ids or signature is then the fun's business ({@code invalid_issuer},
     * {@code invalid_signature}), not {@code unknown_ca}.
     */
    private static CertView issuerAmong(CertView cert, List<CertView> candidates) {
        List<CertView> byName = new ArrayList<>(1);
        List<CertView> byKeyId = new ArrayList<>(1);
        for (CertView c : candidates) {
            if (cert.namesAsIssuer(c)) {
                byName.add(c);
                if (cert.keyIdMatches(c)) {
                    byKeyId.add(c);
                }
            }
        }
        List<CertView> best = byKeyId.isEmpty() ? byName : byKeyId;
        if (best.size() > 1) {
            for (CertView c : best) {
                if (verifies(cert, c)) {
                    return c;
                }
            }
        }
        return best.isEmpty() ? null : best.get(0);
    }

    private static boolean verifies(CertView cert, CertView issuer) {
        try {
            cert.cert.verify(issuer.cert.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static List<CertView> reversed(List<CertView> up) {
        List<CertView> down = new ArrayList<>(up);
        Collections.reverse(down);
        return down;
    }
}
