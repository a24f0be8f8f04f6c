package io.sslkit;

import java.util.Arrays;
import java.util.Objects;

/**
 * Why an operation failed: the {@code Reason} of Erlang's {@code {error, Reason}}.
 *
 * <p>Every reason prints as the Erlang term it stands for ({@code toString()}), and {@link Ssl#formatError(Reason)}
 * turns it into a sentence, as {@code ssl:format_error/1} does. Reasons are values: two reasons that print the same
 * are {@code equals}, so tests and callers can compare them with constants such as {@link #CLOSED}.
 */
public sealed interface Reason
        permits Reason.Atom, Reason.Posix, Reason.TlsAlert, Reason.Options, Reason.InvalidPacket,
        Reason.PacketTooLarge, Reason.Unexpected {

    /** {@code closed}: the connection is closed (by us, the peer, or a fatal error reported earlier). */
    Atom CLOSED = Atom.CLOSED;
    /** {@code timeout}: the operation's timeout ran out; the socket stays usable where the operation allows. */
    Atom TIMEOUT = Atom.TIMEOUT;
    /** {@code einval}: invalid argument, e.g. {@code recv} on an active socket. */
    Posix EINVAL = new Posix("einval");
    /** {@code enotconn}: not connected, e.g. {@code send} on a listen socket. */
    Posix ENOTCONN = new Posix("enotconn");
    /** {@code econnrefused}: nobody listens at the address. */
    Posix ECONNREFUSED = new Posix("econnrefused");
    /** {@code nxdomain}: the host name does not resolve. */
    Posix NXDOMAIN = new Posix("nxdomain");
    /** {@code econnreset}: the peer reset the connection. */
    Posix ECONNRESET = new Posix("econnreset");

    /**
     * A reason that Erlang writes as a bare atom and that is not a POSIX code.
     */
    enum Atom implements Reason {
        CLOSED("closed"),
        TIMEOUT("timeout"),
        NOT_OWNER("not_owner"),
        NO_PEERCERT("no_peercert"),
        NOTSUP("notsup"),
        PROTOCOL_NOT_NEGOTIATED("protocol_not_negotiated"),
        RENEGOTIATION_REJECTED("renegotiation_rejected"),
        ALREADY_RENEGOTIATING("already_renegotiating"),
        NOOPTIONS("nooptions");

        private final String erlangName;

        Atom(String erlangName) {
            this.erlangName = erlangName;
        }

        /** The atom as Erlang prints it. */
        public String erlangName() {
            return erlangName;
        }

        @Override
        public String toString() {
            return erlangName;
        }
    }

    /**
     * A POSIX error of the transport, named as {@code inet:format_error/1} names it: {@code econnrefused},
     * {@code nxdomain}, {@code einval}, {@code enotconn}, {@code econnreset}, {@code ehostunreach}, ...
     *
     * @param code the lowercase code
     */
    record Posix(String code) implements Reason {
        public Posix {
            Objects.requireNonNull(code, "code");
        }

        @Override
        public String toString() {
            return code;
        }
    }

    /**
     * {@code {tls_alert, {Description, Text}}}: a fatal TLS alert, sent by us ({@link Origin#LOCAL}, "generated")
     * or received from the peer ({@link Origin#PEER}).
     *
     * @param alert       the alert description
     * @param origin      who sent it
     * @param role        the role of this side ({@code client} or {@code server}), for the text
     * @param detail      what the engine said, or the local reason for sending it (e.g. {@code hostname_check_failed});
     *                    may be empty
     */
    record TlsAlert(Alert alert, Origin origin, Role role, String detail) implements Reason {
        public TlsAlert {
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(role, "role");
            detail = detail == null ? "" : detail;
        }

        /** Who sent an alert. */
        public enum Origin { LOCAL, PEER }

        /** Which side of the connection reports the alert. */
        public enum Role { CLIENT, SERVER }

        /**
         * The text OTP 22+ puts in the alert tuple, e.g.
         * {@code "TLS client: received SERVER ALERT: Fatal - Unknown CA"}.
         */
        public String text() {
            String me = role == Role.CLIENT ? "client" : "server";
            String sender = origin == Origin.LOCAL
                    ? (role == Role.CLIENT ? "CLIENT" : "SERVER")
                    : (role == Role.CLIENT ? "SERVER" : "CLIENT");
            String verb = origin == Origin.LOCAL ? "generated" : "received";
            String text = "TLS " + me + ": " + verb + " " + sender + " ALERT: Fatal - " + alert.description();
            return detail.isEmpty() ? text : text + "\n " + detail;
        }

        @Override
        public String toString() {
            return "{tls_alert,{" + alert.erlangName() + "," + ErlangTerms.string(text()) + "}}";
        }
    }

    /**
     * {@code {options, …}}: an option or its value is wrong, or a file it names cannot be used.
     *
     * @param option the option's Erlang name ({@code certfile}, {@code verify}, {@code versions}, ...)
     * @param value  the offending value as an Erlang term ({@code 4}, {@code [a,b]}, {@code {mode,list}}); a file
     *               option's file name as it is; text that is no Erlang term is printed as a string
     * @param error  what is wrong, or empty when the value itself is simply not allowed: a POSIX code for files
     *               and transport refusals ({@code enoent}, {@code eacces}, {@code einval}), or an atom such as
     *               {@code bad_password}, {@code key_does_not_match_certificate}, {@code needs_openssl_engine}
     */
    record Options(String option, String value, String error) implements Reason {
        public Options {
            Objects.requireNonNull(option, "option");
            value = value == null ? "" : value;
            error = error == null ? "" : error;
        }

        /** An option whose value is not allowed: {@code {options, {Opt, Value}}}. */
        public static Options of(String option, Object value) {
            return new Options(option, String.valueOf(value), "");
        }

        /** Errors of reading a file option, printed as OTP prints a file error (besides POSIX codes). */
        private static final java.util.Set<String> FILE_ERRORS = java.util.Set.of("bad_pem", "bad_der",
                "no_key_in_file", "no_certificate_in_file", "unsupported_key");

        /**
         * Whether this is an error reading a file option ({@code certfile}, {@code keyfile}, {@code cacertfile},
         * {@code dhfile}): a POSIX code, or a file that cannot be decoded. OTP's term is then
         * {@code {Opt, File, {error, Error}}}, printed {@code "Invalid key file File: no such file or directory"}.
         */
        boolean isFileError() {
            boolean fileOption = switch (option) {
                case "certfile", "keyfile", "cacertfile", "dhfile" -> true;
                default -> false;
            };
            return fileOption && (FILE_ERRORS.contains(error) || PosixTexts.of(error) != null);
        }

        /**
         * The term inside {@code {options, …}}, as OTP's {@code ~p} prints it: {@code {Opt,Value}} for a value that
         * is not allowed; {@code {socket_options,Value,Error}} for a transport refusal; {@code {Opt,"File",{error,
         * Error}}} for a file that cannot be read; any other problem first, as OTP's {@code {sslv2,{versions,[…]}}}:
         * {@code {Error,{Opt,Value}}}, e.g. {@code {needs_jdk_engine,{renegotiation,true}}}. A value that is no
         * Erlang term is printed as a string, so the whole always parses.
         */
        String innerTerm() {
            String opt = ErlangTerms.atom(option);
            if (error.isEmpty()) {
                return "{" + opt + "," + ErlangTerms.print(value) + "}";
            }
            String err = ErlangTerms.print(error);
            if (option.equals("socket_options")) {
                return "{" + opt + "," + ErlangTerms.print(value) + "," + err + "}";
            }
            if (isFileError()) {
                return "{" + opt + "," + ErlangTerms.string(value) + ",{error," + err + "}}";
            }
            return "{" + err + ",{" + opt + "," + ErlangTerms.print(value) + "}}";
        }

        @Override
        public String toString() {
            return "{options," + innerTerm() + "}";
        }
    }

    /**
     * {@code {invalid_packet, Bin}}: the decrypted stream could not be decoded with the {@code packet} type, or a
     * packet exceeded {@code packet_size}. The connection is closed after it is reported.
     *
     * @param data the bytes that could not be decoded (a prefix, for long input)
     */
    record InvalidPacket(byte[] data) implements Reason {
        public InvalidPacket {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InvalidPacket p && Arrays.equals(p.data, data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "{invalid_packet," + ErlangTerms.print(new ErlangTerms.Binary(data)) + "}";
        }
    }

    /**
     * {@code {badarg, {packet_to_large, Len, Max}}} (sic, as OTP spells it): a payload too long for the
     * {@code packet} length header; nothing was sent.
     */
    record PacketTooLarge(long length, long max) implements Reason {
        @Override
        public String toString() {
            return "{badarg,{packet_to_large," + length + "," + max + "}}";
        }
    }

    /**
     * Anything else: a failure sslkit did not expect, with the text of its cause. Never used for a condition a
     * caller can act on; those have their own reason.
     */
    record Unexpected(String description) implements Reason {
        public Unexpected {
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String toString() {
            return "{unexpected," + ErlangTerms.string(description) + "}";
        }
    }
}
