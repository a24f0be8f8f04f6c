package io.sslkit;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Erlang's {@code verify_fun}: {@code fun(OtpCert, Event, UserState) -> {valid, S} | {fail, R} | {unknown, S}},
 * called by path validation for every certificate of the peer's chain. Given with
 * {@link SslOptions.Builder#verifyFun(VerifyFun, Object)} together with its initial state.
 *
 * <h2>Call order</h2>
 * The chain is ordered from the certificate issued by the trust anchor down to the peer's. If it leads to no trusted
 * certificate, the fun first gets one call with the top-most certificate and {@code {bad_cert, unknown_ca}} (or
 * {@code {bad_cert, selfsigned_peer}} for a lone self-signed peer); answering valid makes that certificate the trust
 * anchor and validation goes on below it (so a lone self-signed peer gives just that one call). An expired trust
 * anchor gives {@code {bad_cert, cert_expired}} with the anchor. Then, for each certificate:
 * <ol>
 *   <li>{@link VerifyEvent.Extension} for each extension the validator does not act on itself (it acts on
 *       basicConstraints, keyUsage, extendedKeyUsage, nameConstraints and the key identifiers; the peer's
 *       subjectAltName is reported, as in OTP);</li>
 *   <li>{@link VerifyEvent.BadCert} for each problem, in this order: {@code cert_expired}, {@code invalid_issuer},
 *       {@code name_not_permitted}, {@code invalid_signature}, {@code missing_basic_constraint},
 *       {@code max_path_length_reached}, {@code invalid_key_usage}, {@code invalid_ext_key_usage};</li>
 *   <li>{@link VerifyEvent#VALID} for a CA certificate, {@link VerifyEvent#VALID_PEER} for the peer's — or, on a
 *       client whose host name check fails, {@code {bad_cert, hostname_check_failed}} in place of
 *       {@code valid_peer}.</li>
 * </ol>
 * The state returned by one call is passed to the next; each handshake starts from the initial state.
 *
 * <h2>Example: OTP's {@code verify_fun_always_run} test</h2>
 * <pre>{@code
 * VerifyFun<Integer> countValid = (cert, event, n) -> {
 *     if (event instanceof VerifyEvent.BadCert b) return VerifyResult.fail(b.reason());
 *     if (event instanceof VerifyEvent.Extension) return VerifyResult.unknown(n);
 *     if (event instanceof VerifyEvent.ValidPeer && n == 2) return VerifyResult.fail("always_run");
 *     return VerifyResult.valid(n + 1);
 * };
 * SslOptions o = SslOptions.builder().cacerts(root).verifyFun(countValid, 0).build();
 * }</pre>
 *
 * <h2>Threading</h2>
 * The fun runs on the thread where the engine checks certificates (an event loop, or a task executor); it must not
 * block for long. It may be called for several handshakes at once, each with its own state.
 *
 * @param <S> the user state
 */
@FunctionalInterface
public interface VerifyFun<S> {

    /**
     * One step of path validation.
     *
     * @param cert  the certificate the event is about
     * @param event what validation found
     * @param state the state the previous call returned (the initial state on the first call)
     * @return {@link VerifyResult#valid}, {@link VerifyResult#fail} or {@link VerifyResult#unknown}; throwing
     *         counts as failing with the event's reason (or a user reason naming the exception)
     */
    VerifyResult<S> verify(X509Certificate cert, VerifyEvent event, S state);

    /**
     * The default fun of {@code verify_peer}: {@code {bad_cert, R}} → {@code {fail, R}};
     * {@code {extension, _}} → {@code {unknown, S}}; {@code valid}/{@code valid_peer} → {@code {valid, S}}.
     */
    @SuppressWarnings("unchecked")
    static <S> VerifyFun<S> verifyPeer() {
        return (VerifyFun<S>) Defaults.VERIFY_PEER;
    }

    /**
     * The default fun of {@code verify_none} (OTP 20+): {@code {bad_cert, _}} → {@code {valid, S}}; a critical
     * {@code {extension, _}} → {@code {valid, S}}, a non-critical one → {@code {unknown, S}};
     * {@code valid}/{@code valid_peer} → {@code {valid, S}}. Accepts every chain: dangerous.
     */
    @SuppressWarnings("unchecked")
    static <S> VerifyFun<S> verifyNone() {
        return (VerifyFun<S>) Defaults.VERIFY_NONE;
    }

    /**
     * A fun with its initial state: the value of {@code {verify_fun, {Fun, InitialUserState}}}.
     *
     * @param fun          the fun
     * @param initialState the state of the first call of each handshake (may be null)
     */
    record WithState<S>(VerifyFun<S> fun, S initialState) {
        public WithState {
            Objects.requireNonNull(fun, "fun");
        }

        /** Runs the fun, with the types checked once here. */
        public VerifyResult<S> verify(X509Certificate cert, VerifyEvent event, S state) {
            return fun.verify(cert, event, state);
        }

        /** Never shows the state: it may hold secrets. */
        @Override
        public String toString() {
            return fun == Defaults.VERIFY_PEER ? "{verify_fun,verify_peer_default}"
                    : fun == Defaults.VERIFY_NONE ? "{verify_fun,verify_none_default}"
                    : "{verify_fun,{" + fun.getClass().getSimpleName() + ",_}}";
        }
    }

    /** The two default funs, as singletons so that {@link WithState#toString()} can name them. */
    final class Defaults {
        static final VerifyFun<Object> VERIFY_PEER = (cert, event, state) -> {
            if (event instanceof VerifyEvent.BadCert b) {
                return VerifyResult.fail(b.reason());
            }
            if (event instanceof VerifyEvent.Extension) {
                return VerifyResult.unknown(state);
            }
            return VerifyResult.valid(state);
        };

        static final VerifyFun<Object> VERIFY_NONE = (cert, event, state) -> {
            if (event instanceof VerifyEvent.Extension e && !e.critical()) {
                return VerifyResult.unknown(state);
            }
            return VerifyResult.valid(state);
        };

        private Defaults() {
        }
    }
}
