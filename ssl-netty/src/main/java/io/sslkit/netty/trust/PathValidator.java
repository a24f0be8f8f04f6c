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
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;

/**
 * RFC 5280 path validation that reports to a {@link VerifyFun}, in the order OTP's {@code public_key} does. The
 * checks come from the JDK (dates, signatures, keys) and BouncyCastle (extensions, name constraints); the sequence
 * of events is sslkit's, documented on {@link VerifyFun}.
 *
 * <h2>What is checked, per certificate from the top of the path down to the peer (OTP 25's order)</h2>
 * <ol>
 *   <li>{@code max_path_length_reached}: more CAs above than {@code depth} or a pathLenConstraint allow (OTP's
 *       counting: the counter starts at {@code depth}, each non-self-issued CA takes one and may lower it to its
 *       pathLenConstraint; a certificate met with the counter below zero is the one reported, before anything
 *       else about it);</li>
 *   <li>the extensions, in the certificate's order: keyUsage of a CA without keyCertSign gives
 *       {@code invalid_key_usage}; an extendedKeyUsage without the {@link Purpose} gives
 *       {@code invalid_ext_key_usage} (anyExtendedKeyUsage does not count, as in OTP); every extension OTP does not
 *       consume ({@link CertView#consumed}) goes to the fun as {@link VerifyEvent.Extension} — subject and
 *       authority key identifiers included; {@code unknown} for a critical one fails the path with
 *       {@code unknown_critical_extension};</li>
 *   <li>{@code missing_basic_constraint}: a CA position without {@code cA=TRUE} whose keyUsage has keyCertSign;</li>
 *   <li>{@code cert_expired}: now outside notBefore..notAfter;</li>
 *   <li>{@code invalid_issuer}: issuer name ≠ the subject of the certificate above;</li>
 *   <li>{@code name_not_permitted}: subject or subjectAltNames outside the name constraints collected so far
 *       (from the anchor and each CA above; RFC 5280 6.1.3 (b), (c));</li>
 *   <li>{@code invalid_signature}: the signature does not verify with the key of the certificate above (also when
 *       key identifiers disagree);</li>
 *   <li>{@code valid}, or for the peer {@code valid_peer} — replaced by {@code hostname_check_failed} when a host
 *       name is given and the certificate does not name it.</li>
 * </ol>
 * Not checked: revocation (CRL, OCSP), certificate policies (critical policy extensions are shown to the fun). The
 * peer's keyUsage is not checked here, as in OTP (BoringSSL checks it in the handshake, before any fun is called).
 *
 * <h2>Where this differs from OTP 25, and why</h2>
 * <ul>
 *   <li>A certificate the peer sends that is itself trusted, or is issued by a trusted intermediate, anchors the
 *       path (RFC 5280); OTP needs {@code partial_chain} for an intermediate. A lone self-signed peer that is
 *       trusted is validated against itself (host name included) instead of giving {@code selfsigned_peer}.</li>
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

        /** OTP's public_key:validate/2 for one certificate, with ssl's handling of extKeyUsage and host names. */
        private void check(CertView c, boolean last) throws CertificateRejectedException {
            if (maxPathLength < 0) {
                // public_key:path_validation/2 asks before looking at the certificate
                report(c, VerifyEvent.badCert(BadCertReason.MAX_PATH_LENGTH_REACHED));
                maxPathLength = 0; // OTP: accepting the problem restarts the count here
            }
            int nextLength = walkExtensions(c, last);
            problem(c, !c.validAt(now), BadCertReason.CERT_EXPIRED);
            // pubkey_cert:validate_issuer/4 compares names only: a key id mismatch surfaces as invalid_signature
            problem(c, !c.namesAsIssuer(workingIssuer), BadCertReason.INVALID_ISSUER);
            problem(c, (!c.selfIssued() || last) && !names.permits(c), BadCertReason.NAME_NOT_PERMITTED);
            problem(c, !CertChecks.signedBy(c, workingIssuer.cert.getPublicKey()), BadCertReason.INVALID_SIGNATURE);
            if (!last) {
                report(c, VerifyEvent.VALID);
                workingIssuer = c;
                names.addConstraints(c);
                maxPathLength = nextLength;
            } else if (host != null && !HostnameMatcher.matches(c.cert, host)) {
                report(c, VerifyEvent.badCert(BadCertReason.HOSTNAME_CHECK_FAILED));
            } else {
                report(c, VerifyEvent.VALID_PEER);
            }
        }

        /**
         * pubkey_cert:validate_extensions/7: every extension in the certificate's order, its problem reported where
         * it is met; the fun sees each one OTP does not consume itself. Returns the path length for the next
         * certificate (RFC 5280 6.1.4 (l), (m), with OTP's counting).
         */
        private int walkExtensions(CertView c, boolean last) throws CertificateRejectedException {
            boolean basicConstraint = false;
            int nextLength = maxPathLength;
            for (Extension e : c.extensionsInOrder()) {
                ASN1ObjectIdentifier id = e.getExtnId();
                if (id.equals(Extension.basicConstraints)) {
                    BasicConstraints bc = BasicConstraints.getInstance(e.getParsedValue());
                    if (bc.isCA()) {
                        basicConstraint = true;
                        int len = c.selfIssued() ? maxPathLength : maxPathLength - 1;
                        nextLength = bc.getPathLenConstraint() == null ? len
                                : (int) Math.min(len, bc.getPathLenConstraint().longValue());
                    }
                } else if (id.equals(Extension.keyUsage)) {
                    // the peer's keyUsage is left to the handshake, as OTP does
                    problem(c, !last && !CertChecks.keyCertSign(c), BadCertReason.INVALID_KEY_USAGE);
                } else if (id.equals(Extension.extendedKeyUsage)) {
                    // ssl_certificate:validate/3 answers for extKeyUsage before the fun is asked
                    problem(c, !CertChecks.extendedKeyUsageAllows(c, purpose), BadCertReason.INVALID_EXT_KEY_USAGE);
                } else if (!CertView.consumed(e)) {
                    reportExtension(c, e);
                }
            }
            if (!basicConstraint && !last && CertChecks.keyCertSign(c)) {
                report(c, VerifyEvent.badCert(BadCertReason.MISSING_BASIC_CONSTRAINT));
                nextLength = c.selfIssued() ? maxPathLength : maxPathLength - 1;
            }
            return nextLength;
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
                // OTP pubkey_cert:verify_fun/4: unknown for a critical extension fails the path at once, with
                // {bad_cert, unknown_critical_extension}; the fun is not asked again
                throw new CertificateRejectedException(BadCertReason.UNKNOWN_CRITICAL_EXTENSION, c.cert,
                        VerifyEvent.badCert(BadCertReason.UNKNOWN_CRITICAL_EXTENSION), null);
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
