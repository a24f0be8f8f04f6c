package io.sslkit.netty.trust;

import io.sslkit.BadCertReason;
import io.sslkit.PartialChain;
import io.sslkit.VerifyEvent;
import io.sslkit.VerifyFun;
import io.sslkit.VerifyResult;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;

/**
 * RFC 5280 path validation that reports to a {@link VerifyFun}, in the order OTP's {@code public_key} does. The
 * checks come from the JDK (dates, signatures, keys) and BouncyCastle (extensions, name constraints); the sequence
 * of events is sslkit's, documented on {@link VerifyFun}.
 *
 * <h2>What is checked, per certificate from the top of the path down to the peer</h2>
 * <ol>
 *   <li>every extension not in {@link CertView#CONSUMED} goes to the fun as {@link VerifyEvent.Extension};</li>
 *   <li>{@code cert_expired}: now outside notBefore..notAfter;</li>
 *   <li>{@code invalid_issuer}: issuer name ≠ the subject of the certificate above, or authority key id ≠ its
 *       subject key id (where both are present);</li>
 *   <li>{@code name_not_permitted}: subject or subjectAltNames outside the name constraints collected so far
 *       (from the anchor and each CA above; RFC 5280 6.1.3 (b), (c));</li>
 *   <li>{@code invalid_signature}: the signature does not verify with the key of the certificate above;</li>
 *   <li>{@code missing_basic_constraint}: a CA position without {@code cA=TRUE};</li>
 *   <li>{@code max_path_length_reached}: more CAs below than {@code depth} or a pathLenConstraint allow (OTP's
 *       counting: the counter starts at {@code depth}, each non-self-issued CA takes one and may lower it to its
 *       pathLenConstraint; a certificate met with the counter below zero is the one reported);</li>
 *   <li>{@code invalid_key_usage}: a CA whose keyUsage lacks keyCertSign, or a peer whose keyUsage does not
 *       allow its TLS use (digitalSignature; keyEncipherment for TLS 1.2 RSA key transport);</li>
 *   <li>{@code invalid_ext_key_usage}: an extendedKeyUsage without the {@link Purpose} nor anyExtendedKeyUsage;</li>
 *   <li>{@code valid}, or for the peer {@code valid_peer} — replaced by {@code hostname_check_failed} when a host
 *       name is given and the certificate does not name it.</li>
 * </ol>
 * Not checked: revocation (CRL, OCSP), certificate policies (policy extensions are shown to the fun instead).
 *
 * <h2>Where this differs from OTP 25, and why</h2>
 * <ul>
 *   <li>Within one certificate, OTP reports basicConstraints/keyUsage problems while walking the extensions,
 *       before the time check, and {@code max_path_length_reached} before anything else; here every problem comes
 *       after the extension events, in the order above. Sequences without such problems are identical.</li>
 *   <li>A certificate the peer sends that is itself trusted, or is issued by a trusted intermediate, anchors the
 *       path (RFC 5280); OTP needs {@code partial_chain} for an intermediate. A lone self-signed peer that is
 *       trusted is validated against itself (host name included) instead of giving {@code selfsigned_peer}.</li>
 *   <li>{@code missing_basic_constraint} is reported for every CA position without {@code cA=TRUE}; OTP skips it
 *       when such a certificate also lacks keyCertSign.</li>
 *   <li>The peer's keyUsage is checked against its TLS use; OTP leaves that to the handshake.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Immutable and thread-safe; each {@link #validate} call has its own state.
 */
public final class PathValidator {

    private final List<CertView> anchors;
    private final VerifyFun.WithState<?> fun;
    private final int depth;
    private final PartialChain partialChain;
    private final Clock clock;

    /**
     * @param anchors      the trusted certificates (may be empty: then every chain is {@code unknown_ca})
     * @param fun          the fun and its initial state
     * @param depth        OTP's {@code depth}: intermediate CAs allowed below the anchor, 0..255
     * @param partialChain asked when the chain reaches no anchor
     * @param clock        the time certificates are checked at
     */
    public PathValidator(Collection<X509Certificate> anchors, VerifyFun.WithState<?> fun, int depth,
            PartialChain partialChain, Clock clock) {
        if (depth < 0 || depth > 255) {
            throw new IllegalArgumentException("depth must be 0..255: " + depth);
        }
        this.anchors = anchors.stream().map(CertView::of).toList();
        this.fun = Objects.requireNonNull(fun, "fun");
        this.depth = depth;
        this.partialChain = Objects.requireNonNull(partialChain, "partialChain");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The trusted certificates. */
    public List<X509Certificate> anchors() {
        return anchors.stream().map(v -> v.cert).toList();
    }

    /**
     * Validates a chain as the peer sent it (its own certificate first).
     *
     * @param chain    the peer's chain; not empty
     * @param purpose  what the peer is: a server ({@link Purpose#SERVER_AUTH}) or a client
     * @param host     the name to check the peer's certificate against, or null for none
     * @param authType the engine's authentication type ({@code "RSA"}, {@code "ECDHE_ECDSA"}, {@code "UNKNOWN"}
     *                 for TLS 1.3 ...), for the peer's keyUsage; may be null
     * @return the user state after the last call
     * @throws CertificateRejectedException when the fun answers {@code fail} (or throws)
     */
    public Object validate(List<X509Certificate> chain, Purpose purpose, String host, String authType)
            throws CertificateRejectedException {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty chain");
        }
        List<CertView> views = new ArrayList<>(chain.size());
        for (X509Certificate c : chain) {
            views.add(CertView.of(c));
        }
        return new Run<>(fun, purpose, host, authType, clock.instant()).validate(views);
    }

    /** One validation: the user state and the RFC 5280 working state, threaded from certificate to certificate. */
    private final class Run<S> {
        private final VerifyFun.WithState<S> fun;
        private final Purpose purpose;
        private final String host;
        private final String authType;
        private final Instant now;
        private S state;
        private CertView workingIssuer;
        private int maxPathLength;
        private final NameChecks names = new NameChecks();

        Run(VerifyFun.WithState<S> fun, Purpose purpose, String host, String authType, Instant now) {
            this.fun = fun;
            this.purpose = purpose;
            this.host = host;
            this.authType = authType;
            this.now = now;
            this.state = fun.initialState();
        }

        S validate(List<CertView> chain) throws CertificateRejectedException {
            ChainOrder.Path ordered = ChainOrder.order(chain, anchors);
            CertView anchor = ordered.anchor();
            List<CertView> path = ordered.path();
            if (ordered.problem() != null) {
                Optional<Integer> trusted = ordered.problem() == BadCertReason.UNKNOWN_CA ? partial(path)
                        : Optional.empty();
                int top = trusted.orElse(0);
                if (trusted.isEmpty()) {
                    // OTP: one call with the top-most certificate; valid makes it the anchor.
                    report(path.get(0), VerifyEvent.badCert(ordered.problem()));
                }
                anchor = path.get(top);
                path = path.subList(top + 1, path.size());
            }
            if (!anchor.validAt(now)) {
                report(anchor, VerifyEvent.badCert(BadCertReason.CERT_EXPIRED));
            }
            workingIssuer = anchor;
            maxPathLength = depth;
            names.addConstraints(anchor);
            for (int i = 0; i < path.size(); i++) {
                check(path.get(i), i == path.size() - 1);
            }
            return state;
        }

        /** The index in {@code path} of the certificate the partial_chain fun trusts, if any. */
        private Optional<Integer> partial(List<CertView> path) {
            List<X509Certificate> certs = path.stream().map(v -> v.cert).toList();
            try {
                Optional<X509Certificate> chosen = partialChain.trustedCa(certs);
                return chosen.map(certs::indexOf).filter(i -> i >= 0);
            } catch (RuntimeException e) {
                return Optional.empty(); // OTP: a crashing partial_chain fun counts as unknown_ca
            }
        }

        private void check(CertView c, boolean last) throws CertificateRejectedException {
            for (Extension e : c.extensionsInOrder()) {
                if (!CertView.CONSUMED.contains(e.getExtnId())) {
                    reportExtension(c, e);
                }
            }
            problem(c, !c.validAt(now), BadCertReason.CERT_EXPIRED);
            problem(c, !c.namesAsIssuer(workingIssuer) || !c.keyIdMatches(workingIssuer),
                    BadCertReason.INVALID_ISSUER);
            problem(c, (!c.selfIssued() || last) && !names.permits(c), BadCertReason.NAME_NOT_PERMITTED);
            problem(c, !CertChecks.signedBy(c, workingIssuer.cert.getPublicKey()), BadCertReason.INVALID_SIGNATURE);
            BasicConstraints bc = c.basicConstraints();
            boolean ca = bc != null && bc.isCA();
            problem(c, !last && !ca, BadCertReason.MISSING_BASIC_CONSTRAINT);
            if (maxPathLength < 0) {
                report(c, VerifyEvent.badCert(BadCertReason.MAX_PATH_LENGTH_REACHED));
                maxPathLength = 0; // OTP: accepting the problem restarts the count here
            }
            problem(c, !CertChecks.keyUsageAllows(c, last, purpose, authType), BadCertReason.INVALID_KEY_USAGE);
            problem(c, !CertChecks.extendedKeyUsageAllows(c, purpose), BadCertReason.INVALID_EXT_KEY_USAGE);
            if (!last) {
                report(c, VerifyEvent.VALID);
                prepareNext(c, bc, ca);
            } else if (host != null && !HostnameMatcher.matches(c.cert, host)) {
                report(c, VerifyEvent.badCert(BadCertReason.HOSTNAME_CHECK_FAILED));
            } else {
                report(c, VerifyEvent.VALID_PEER);
            }
        }

        /** RFC 5280 6.1.4, with OTP's path length counting. */
        private void prepareNext(CertView c, BasicConstraints bc, boolean ca) {
            workingIssuer = c;
            names.addConstraints(c);
            int next = c.selfIssued() ? maxPathLength : maxPathLength - 1;
            if (ca && bc.getPathLenConstraint() != null) {
                next = Math.min(next, bc.getPathLenConstraint().intValue());
            }
            maxPathLength = next;
        }

        private void problem(CertView c, boolean found, BadCertReason reason) throws CertificateRejectedException {
            if (found) {
                report(c, VerifyEvent.badCert(reason));
            }
        }

        private void reportExtension(CertView c, Extension e) throws CertificateRejectedException {
            VerifyEvent.Extension event = new VerifyEvent.Extension(e.getExtnId().getId(), e.isCritical(),
                    e.getExtnValue().getOctets());
            if (call(c, event) && e.isCritical()) {
                // OTP pubkey_cert:verify_fun/4: unknown for a critical extension is asked again as a bad_cert.
                report(c, VerifyEvent.badCert(BadCertReason.UNKNOWN_CRITICAL_EXTENSION));
            }
        }

        private void report(CertView c, VerifyEvent event) throws CertificateRejectedException {
            call(c, event);
        }

        /** Calls the fun; returns whether it answered unknown; throws on fail. */
        private boolean call(CertView c, VerifyEvent event) throws CertificateRejectedException {
            VerifyResult<S> r;
            try {
                r = Objects.requireNonNull(fun.verify(c.cert, event, state), "verify_fun returned null");
            } catch (RuntimeException e) {
                BadCertReason reason = event instanceof VerifyEvent.BadCert b ? b.reason()
                        : BadCertReason.user("verify_fun_crashed");
                throw new CertificateRejectedException(reason, c.cert, event, e);
            }
            if (r instanceof VerifyResult.Fail<S> f) {
                throw new CertificateRejectedException(f.reason(), c.cert, event, null);
            }
            if (r instanceof VerifyResult.Valid<S> v) {
                state = v.state();
                return false;
            }
            state = ((VerifyResult.Unknown<S>) r).state();
            return true;
        }
    }
}
