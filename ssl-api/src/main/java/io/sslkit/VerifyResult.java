package io.sslkit;

import java.util.Objects;

/**
 * A {@link VerifyFun}'s answer: Erlang's {@code {valid, UserState} | {fail, Reason} | {unknown, UserState}}.
 *
 * <ul>
 *   <li>{@link Valid}: go on (for a {@link VerifyEvent.BadCert}: accept this problem) with the new state.</li>
 *   <li>{@link Fail}: stop; the handshake fails and the peer gets the alert of {@link BadCertReason#alert()}.</li>
 *   <li>{@link Unknown}: "I do not know this" — for a critical {@link VerifyEvent.Extension} the validator then
 *       asks again with {@link BadCertReason#UNKNOWN_CRITICAL_EXTENSION}; for anything else it goes on, as OTP
 *       does (so answering {@code unknown} to a {@code bad_cert} accepts the problem).</li>
 * </ul>
 *
 * @param <S> the user state threaded through the calls
 */
public sealed interface VerifyResult<S> permits VerifyResult.Valid, VerifyResult.Fail, VerifyResult.Unknown {

    /** {@code {valid, State}}. */
    static <S> VerifyResult<S> valid(S state) {
        return new Valid<>(state);
    }

    /** {@code {unknown, State}}. */
    static <S> VerifyResult<S> unknown(S state) {
        return new Unknown<>(state);
    }

    /** {@code {fail, Reason}}. */
    static <S> VerifyResult<S> fail(BadCertReason reason) {
        return new Fail<>(reason);
    }

    /** {@code {fail, MyReason}} with a reason of the fun's own; sent as handshake_failure. */
    static <S> VerifyResult<S> fail(String userReason) {
        return new Fail<>(new BadCertReason.User(userReason));
    }

    /** {@code {valid, State}}. @param state the new user state (may be null) */
    record Valid<S>(S state) implements VerifyResult<S> {
    }

    /** {@code {fail, Reason}}. */
    record Fail<S>(BadCertReason reason) implements VerifyResult<S> {
        public Fail {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** {@code {unknown, State}}. @param state the new user state (may be null) */
    record Unknown<S>(S state) implements VerifyResult<S> {
    }
}
