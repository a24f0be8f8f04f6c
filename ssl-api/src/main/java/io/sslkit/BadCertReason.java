package io.sslkit;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Why path validation objects to a certificate: the {@code Reason} of Erlang's {@code {bad_cert, Reason}}, as a
 * {@link VerifyEvent.BadCert} event hands it to a {@link VerifyFun}, and as a {@link VerifyResult.Fail} hands it back.
 *
 * <p>The {@link Standard} reasons are the ones sslkit's validator finds; a {@code verify_fun} may also fail with a
 * reason of its own ({@link User}, OTP's {@code {fail, MyReason}}). Each reason names the TLS alert that OTP sends
 * when validation stops on it ({@code ssl_handshake:path_validation_alert/1}); see {@link #alert()}.
 */
public sealed interface BadCertReason permits BadCertReason.Standard, BadCertReason.User {

    /** {@code cert_expired}: now is outside the validity period (expired <em>or</em> not yet valid, as in OTP). */
    Standard CERT_EXPIRED = Standard.CERT_EXPIRED;
    /** {@code invalid_issuer}: the issuer name is not the subject of the certificate above it. */
    Standard INVALID_ISSUER = Standard.INVALID_ISSUER;
    /** {@code invalid_signature}: the signature does not verify with the issuer's key. */
    Standard INVALID_SIGNATURE = Standard.INVALID_SIGNATURE;
    /** {@code unknown_ca}: the chain leads to no trusted certificate. */
    Standard UNKNOWN_CA = Standard.UNKNOWN_CA;
    /** {@code selfsigned_peer}: the peer sent one self-signed certificate that is not trusted. */
    Standard SELFSIGNED_PEER = Standard.SELFSIGNED_PEER;
    /** {@code name_not_permitted}: a name in the certificate breaks a CA's name constraints. */
    Standard NAME_NOT_PERMITTED = Standard.NAME_NOT_PERMITTED;
    /** {@code missing_basic_constraint}: a certificate that issues others is not marked {@code cA=TRUE}. */
    Standard MISSING_BASIC_CONSTRAINT = Standard.MISSING_BASIC_CONSTRAINT;
    /** {@code invalid_key_usage}: keyUsage forbids what the certificate is used for. */
    Standard INVALID_KEY_USAGE = Standard.INVALID_KEY_USAGE;
    /** {@code invalid_ext_key_usage}: extendedKeyUsage lacks serverAuth (for a server) or clientAuth (a client). */
    Standard INVALID_EXT_KEY_USAGE = Standard.INVALID_EXT_KEY_USAGE;
    /** {@code max_path_length_reached}: more CAs than {@code depth} or a pathLenConstraint allow. */
    Standard MAX_PATH_LENGTH_REACHED = Standard.MAX_PATH_LENGTH_REACHED;
    /** {@code unknown_critical_extension}: the fun answered {@code unknown} for a critical extension. */
    Standard UNKNOWN_CRITICAL_EXTENSION = Standard.UNKNOWN_CRITICAL_EXTENSION;
    /** {@code hostname_check_failed}: the server's certificate does not name the host the client asked for. */
    Standard HOSTNAME_CHECK_FAILED = Standard.HOSTNAME_CHECK_FAILED;

    /** The atom OTP uses, e.g. {@code cert_expired}; a {@link User} reason's own name. */
    String erlangName();

    /**
     * The fatal alert sent when validation stops on this reason (OTP's {@code path_validation_alert/1}):
     * {@code cert_expired} → certificate_expired; {@code invalid_issuer}, {@code invalid_signature},
     * {@code name_not_permitted}, {@code selfsigned_peer} → bad_certificate; {@code unknown_critical_extension} →
     * unsupported_certificate; {@code cert_revoked} → certificate_revoked; {@code unknown_ca} → unknown_ca; anything
     * else, user reasons included → handshake_failure. Whether the engine can put exactly this alert on the wire is
     * the engine's business (BoringSSL can, the JDK mostly cannot: see {@code io.sslkit.netty.trust}).
     */
    Alert alert();

    /** The reason a validator reports, with the alert OTP sends for it. */
    enum Standard implements BadCertReason {
        CERT_EXPIRED("cert_expired", Alert.CERTIFICATE_EXPIRED),
        INVALID_ISSUER("invalid_issuer", Alert.BAD_CERTIFICATE),
        INVALID_SIGNATURE("invalid_signature", Alert.BAD_CERTIFICATE),
        UNKNOWN_CA("unknown_ca", Alert.UNKNOWN_CA),
        SELFSIGNED_PEER("selfsigned_peer", Alert.BAD_CERTIFICATE),
        NAME_NOT_PERMITTED("name_not_permitted", Alert.BAD_CERTIFICATE),
        MISSING_BASIC_CONSTRAINT("missing_basic_constraint", Alert.HANDSHAKE_FAILURE),
        INVALID_KEY_USAGE("invalid_key_usage", Alert.HANDSHAKE_FAILURE),
        INVALID_EXT_KEY_USAGE("invalid_ext_key_usage", Alert.HANDSHAKE_FAILURE),
        MAX_PATH_LENGTH_REACHED("max_path_length_reached", Alert.HANDSHAKE_FAILURE),
        UNKNOWN_CRITICAL_EXTENSION("unknown_critical_extension", Alert.UNSUPPORTED_CERTIFICATE),
        HOSTNAME_CHECK_FAILED("hostname_check_failed", Alert.HANDSHAKE_FAILURE),
        /** {@code cert_revoked}: never found by sslkit (no CRL/OCSP checks yet); a fun may fail with it. */
        CERT_REVOKED("cert_revoked", Alert.CERTIFICATE_REVOKED),
        /** {@code revocation_status_undetermined}: never found by sslkit; a fun may fail with it. */
        REVOCATION_STATUS_UNDETERMINED("revocation_status_undetermined", Alert.BAD_CERTIFICATE);

        private final String erlangName;
        private final Alert alert;

        Standard(String erlangName, Alert alert) {
            this.erlangName = erlangName;
            this.alert = alert;
        }

        @Override
        public String erlangName() {
            return erlangName;
        }

        @Override
        public Alert alert() {
            return alert;
        }

        /** Looks a standard reason up by its Erlang name. */
        public static Optional<Standard> fromName(String name) {
            return Arrays.stream(values()).filter(r -> r.erlangName.equals(name)).findFirst();
        }

        @Override
        public String toString() {
            return erlangName;
        }
    }

    /**
     * A reason of the {@code verify_fun}'s own: OTP's {@code {fail, MyReason}} with a reason that is not a
     * {@code {bad_cert, _}}. Sent as handshake_failure.
     *
     * @param name what the fun says is wrong, printed as it is
     */
    record User(String name) implements BadCertReason {
        public User {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String erlangName() {
            return name;
        }

        @Override
        public Alert alert() {
            return Alert.HANDSHAKE_FAILURE;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A reason of the fun's own ({@link User}). */
    static BadCertReason user(String name) {
        return new User(name);
    }
}
