package io.sslkit;

import java.util.Map;

/**
 * The clauses of {@code ssl:format_error/1}: one case per reason. Texts follow OTP 25 where OTP has a sentence
 * ("TLS connection is closed", "Invalid TLS option: …", "connection refused"); where OTP only says
 * "Unexpected error: timeout", sslkit gives a sentence of its own.
 */
final class ErrorFormatter {

    /** {@code inet:format_error/1} for the codes a socket meets. */
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("einval", "invalid argument"),
            Map.entry("enotconn", "socket is not connected"),
            Map.entry("econnrefused", "connection refused"),
            Map.entry("econnreset", "connection reset by peer"),
            Map.entry("econnaborted", "software caused connection abort"),
            Map.entry("nxdomain", "non-existing domain"),
            Map.entry("ehostunreach", "host is unreachable"),
            Map.entry("enetunreach", "network is unreachable"),
            Map.entry("eaddrinuse", "address already in use"),
            Map.entry("eaddrnotavail", "can't assign requested address"),
            Map.entry("etimedout", "connection timed out"),
            Map.entry("epipe", "broken pipe"),
            Map.entry("emsgsize", "message too long"),
            Map.entry("eacces", "permission denied"),
            Map.entry("enoent", "no such file or directory"),
            Map.entry("eisdir", "illegal operation on a directory"),
            Map.entry("emfile", "too many open files"),
            Map.entry("enfile", "file table overflow"),
            Map.entry("enobufs", "no buffer space available"),
            Map.entry("eio", "I/O error"),
            Map.entry("eintr", "interrupted: the calling thread was interrupted while it waited"));

    private ErrorFormatter() {
    }

    static String format(Reason reason) {
        if (reason == null) {
            return "Unexpected error: undefined";
        }
        // Java 17 has no pattern switch; Reason is sealed, so this chain is exhaustive (Unexpected last).
        if (reason instanceof Reason.Atom a) {
            return atom(a);
        } else if (reason instanceof Reason.Posix p) {
            return posix(p.code());
        } else if (reason instanceof Reason.TlsAlert t) {
            return t.text();
        } else if (reason instanceof Reason.Options o) {
            return options(o);
        } else if (reason instanceof Reason.InvalidPacket p) {
            return "Invalid packet: the data received could not be decoded with the socket's packet type, "
                    + "or a packet exceeded packet_size: " + p;
        } else if (reason instanceof Reason.PacketTooLarge p) {
            return "Packet too large: " + p.length() + " bytes do not fit a length header of at most " + p.max()
                    + "; nothing was sent";
        } else if (reason instanceof Reason.Unexpected u) {
            return "Unexpected error: " + u.description();
        }
        return "Unexpected error: " + reason;
    }

    static String posix(String code) {
        return POSIX.getOrDefault(code, "unknown POSIX error: " + code);
    }

    private static String atom(Reason.Atom a) {
        return switch (a) {
            case CLOSED -> "TLS connection is closed";
            case TIMEOUT -> "The operation timed out";
            case NOT_OWNER -> "Only the controlling process (the current owner) may do this";
            case NO_PEERCERT -> "The peer sent no certificate";
            case NOTSUP -> "Not supported by this connection's TLS version or engine";
            case PROTOCOL_NOT_NEGOTIATED -> "No application protocol (ALPN) was negotiated";
            case RENEGOTIATION_REJECTED -> "The peer refused to renegotiate";
            case ALREADY_RENEGOTIATING -> "A renegotiation is already in progress";
            case NOOPTIONS -> "No options were given (a TLS server needs at least a certificate and a key)";
        };
    }

    private static String options(Reason.Options o) {
        String file = switch (o.option()) {
            case "certfile" -> "certificate file";
            case "keyfile" -> "private key file";
            case "cacertfile" -> "CA certificate file";
            case "dhfile" -> "DH parameters file";
            default -> null;
        };
        if (o.option().equals("socket_options")) {
            // OTP: "Invalid socket option: ~p" / "Invalid transport socket option ~p: ~s"
            return o.error().isEmpty() ? "Invalid socket option: " + o.value()
                    : "Invalid transport socket option " + o.value() + ": " + problem(o.error());
        }
        if (!o.error().isEmpty()) {
            String what = file != null ? "Invalid " + file + " " + o.value() : "Invalid TLS option " + o.option()
                    + " (" + o.value() + ")";
            return what + ": " + problem(o.error());
        }
        return "Invalid TLS option: {" + o.option() + "," + o.value() + "}";
    }

    private static String problem(String error) {
        return switch (error) {
            case "bad_password" -> "wrong password, or the key is not encrypted the way its header says";
            case "password_required" -> "the key is encrypted and no password was given";
            case "no_key_in_file" -> "no private key found in the file";
            case "no_certificate_in_file" -> "no certificate found in the file";
            case "bad_pem" -> "not a readable PEM file";
            case "bad_der" -> "not valid DER for this option (a certificate or a private key)";
            case "key_does_not_match_certificate" -> "the private key does not belong to the certificate";
            case "unsupported_key" -> "the key type is not supported";
            case "incompatible" -> "options that do not go together";
            case "not_available" -> "not available on this machine";
            case "needs_jdk_engine" -> "only the JDK engine can do this (BoringSSL cannot renegotiate): use provider "
                    + "auto or jdk";
            case "needs_openssl_engine" -> "only the BoringSSL engine can do this: use provider auto or openssl";
            case "client_only" -> "an option (or value) for clients, given to a server";
            case "server_only" -> "an option (or value) for servers, given to a client";
            case "not_supported_by_engines" -> "neither TLS engine can do this (see the option's Javadoc: "
                    + "BoringSSL's TLS 1.3 tickets are stateless and neither engine hands out NewSessionTicket "
                    + "messages)";
            case "foreign_session" -> "not a session saved by SslSocket.session() of this runtime";
            case "other_provider" -> "the saved session belongs to the other TLS engine than the one asked for";
            case "not_48_bytes" -> "a session-ticket key is 48 bytes (16 name, 16 HMAC key, 16 AES key)";
            case "insecure_cipher" -> "an anonymous, NULL, export, RC4 or DES suite: refused unless "
                    + "allowInsecureCiphers(true) is given";
            case "no_owner" -> "an active socket needs an owner to deliver to (SslOptions.owner)";
            case "server_needs_certificate" -> "a TLS server needs a certificate and a private key "
                    + "(cert/certfile and key/keyfile)";
            case "not_recognized" -> "not a cipher suite sslkit knows (OpenSSL or IANA names, or OTP's tuples and "
                    + "maps; OpenSSL keywords such as HIGH are not supported)";
            case "no_supported_ciphers" -> "none of these cipher suites is supported by the TLS engine in use";
            case "dh_not_supported" -> "custom DH parameters cannot be used by either TLS engine (BoringSSL has no "
                    + "finite-field DHE suites and the JDK chooses RFC 7919 groups itself; remove the option, "
                    + "ECDHE suites are used)";
            case "verify_peer_needs_cacerts" -> "verify_peer needs trusted CAs: give cacerts, cacertfile or "
                    + "systemCacerts (or verify_none, which accepts anyone)";
            default -> POSIX.containsKey(error) ? POSIX.get(error) : error;
        };
    }
}
