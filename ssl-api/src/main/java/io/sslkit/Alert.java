package io.sslkit;

import java.util.Arrays;
import java.util.Optional;

/** TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2), with the atoms OTP uses for them. */
public enum Alert {
    CLOSE_NOTIFY(0, "close_notify", "Close Notify"),
    UNEXPECTED_MESSAGE(10, "unexpected_message", "Unexpected Message"),
    BAD_RECORD_MAC(20, "bad_record_mac", "Bad Record MAC"),
    RECORD_OVERFLOW(22, "record_overflow", "Record Overflow"),
    HANDSHAKE_FAILURE(40, "handshake_failure", "Handshake Failure"),
    BAD_CERTIFICATE(42, "bad_certificate", "Bad Certificate"),
    UNSUPPORTED_CERTIFICATE(43, "unsupported_certificate", "Unsupported Certificate"),
    CERTIFICATE_REVOKED(44, "certificate_revoked", "Certificate Revoked"),
    CERTIFICATE_EXPIRED(45, "certificate_expired", "Certificate Expired"),
    CERTIFICATE_UNKNOWN(46, "certificate_unknown", "Certificate Unknown"),
    ILLEGAL_PARAMETER(47, "illegal_parameter", "Illegal Parameter"),
    UNKNOWN_CA(48, "unknown_ca", "Unknown CA"),
    ACCESS_DENIED(49, "access_denied", "Access Denied"),
    DECODE_ERROR(50, "decode_error", "Decode Error"),
    DECRYPT_ERROR(51, "decrypt_error", "Decrypt Error"),
    PROTOCOL_VERSION(70, "protocol_version", "Protocol Version"),
    INSUFFICIENT_SECURITY(71, "insufficient_security", "Insufficient Security"),
    INTERNAL_ERROR(80, "internal_error", "Internal Error"),
    INAPPROPRIATE_FALLBACK(86, "inappropriate_fallback", "Inappropriate Fallback"),
    USER_CANCELED(90, "user_canceled", "User Canceled"),
    NO_RENEGOTIATION(100, "no_renegotiation", "No Renegotiation"),
    MISSING_EXTENSION(109, "missing_extension", "Missing extension"),
    UNSUPPORTED_EXTENSION(110, "unsupported_extension", "Unsupported Extension"),
    UNRECOGNIZED_NAME(112, "unrecognized_name", "Unrecognized Name"),
    BAD_CERTIFICATE_STATUS_RESPONSE(113, "bad_certificate_status_response", "Bad Certificate Status Response"),
    UNKNOWN_PSK_IDENTITY(115, "unknown_psk_identity", "Unknown Psk Identity"),
    CERTIFICATE_REQUIRED(116, "certificate_required", "Certificate required"),
    NO_APPLICATION_PROTOCOL(120, "no_application_protocol", "No application protocol");

    private final int code;
    private final String erlangName;
    private final String description;

    Alert(int code, String erlangName, String description) {
        this.code = code;
        this.erlangName = erlangName;
        this.description = description;
    }

    /** The alert's number on the wire. */
    public int code() {
        return code;
    }

    /** The atom OTP uses, e.g. {@code unknown_ca}. */
    public String erlangName() {
        return erlangName;
    }

    /** The description OTP prints, e.g. {@code Unknown CA}. */
    public String description() {
        return description;
    }

    /** The alert with this wire number. */
    public static Optional<Alert> fromCode(int code) {
        return Arrays.stream(values()).filter(a -> a.code == code).findFirst();
    }

    /** The alert with this Erlang (or JSSE, which uses the same words) name. */
    public static Optional<Alert> fromName(String name) {
        return Arrays.stream(values()).filter(a -> a.erlangName.equalsIgnoreCase(name)).findFirst();
    }
}
