package io.sslkit;

/**
 * The clauses of {@code ssl:format_error/1} (OTP 25), one per reason, applied to the term each {@link Reason} prints
 * as: the text is OTP's for the same term, checked against OTP itself by the {@code otp-diff format_error} test.
 * Like OTP, a reason with no sentence of its own prints as {@code "Unexpected error: " + term}. One difference:
 * {@code ~p} breaks a term longer than the line (80 columns) over several lines; sslkit keeps it on one.
 */
final class ErrorFormatter {

    private ErrorFormatter() {
    }

    static String format(Reason reason) {
        if (reason == null) {
            return "Unexpected error: undefined";
        }
        // Java 17 has no pattern switch; Reason is sealed, so this chain is exhaustive.
        if (reason instanceof Reason.Atom a) {
            return atom(a.erlangName());
        } else if (reason instanceof Reason.Posix p) {
            return atom(p.code());
        } else if (reason instanceof Reason.TlsAlert t) {
            return t.text();
        } else if (reason instanceof Reason.Options o) {
            return options(o);
        }
        return unexpected(reason.toString());
    }

    /** The clauses for an atom: {@code closed}, else {@code inet:format_error/1} if it names it, else unexpected. */
    static String atom(String name) {
        if (name.equals("closed")) {
            return "TLS connection is closed";
        }
        String posix = PosixTexts.of(name);
        return posix != null ? posix : unexpected(ErlangTerms.atom(name));
    }

    private static String unexpected(String term) {
        return "Unexpected error: " + term;
    }

    private static String options(Reason.Options o) {
        if (!o.error().isEmpty() && o.isFileError()) {
            // file_error_format/1: file:format_error/1 of a POSIX code, "decoding error" for anything else
            String text = PosixTexts.of(o.error());
            return fileDescription(o.option()) + o.value() + ": " + (text != null ? text : "decoding error");
        }
        if (o.option().equals("socket_options")) {
            String value = ErlangTerms.print(o.value());
            return o.error().isEmpty() ? "Invalid socket option: " + value
                    : "Invalid transport socket option " + value + ": " + atom(o.error());
        }
        return "Invalid TLS option: " + o.innerTerm();
    }

    private static String fileDescription(String option) {
        return switch (option) {
            case "cacertfile" -> "Invalid CA certificate file ";
            case "certfile" -> "Invalid certificate file ";
            case "keyfile" -> "Invalid key file ";
            default -> "Invalid DH params file ";
        };
    }
}
