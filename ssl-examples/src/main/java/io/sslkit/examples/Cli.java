package io.sslkit.examples;

import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslOptionsException;
import io.sslkit.netty.handler.TlsErrors;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every {@code sslkit} command fails: one line on stderr, {@code error <text>}, and a documented exit code.
 *
 * <ul>
 *   <li>{@value #USAGE}: a usage error. A flag picocli or a converter of {@link Flags} refuses (unknown, missing,
 *   out of range, a file that cannot be read), or options {@code SslOptions.build()} refuses
 *   ({@link SslOptionsException}). The line ends with where to look: {@code try 'sslkit echo-server --help'};
 *   no usage text follows it.</li>
 *   <li>{@value #FAILURE}: a runtime failure. An {@link SslException} (its reason as {@link Ssl#formatError}
 *   words it, on one line), a socket error thrown by Netty outside the sslkit API (mapped to its POSIX reason by
 *   {@link TlsErrors#posixReasonOf}, as the library does), a {@link Failure} of the command, or anything else (its class and
 *   message, never a stack trace).</li>
 * </ul>
 *
 * <p>The commands throw; only the handlers installed by {@link #configure} print. Standard output stays for results
 * ({@code listening <port>}, {@code ok …}) that scripts read.
 */
final class Cli {

    /** Exit code of a command that did its work. */
    static final int OK = 0;
    /** Exit code of a TLS, network or data failure. */
    static final int FAILURE = 1;
    /** Exit code of a usage error (bad flags). */
    static final int USAGE = 2;

    private Cli() {
    }

    /** A command's own failure, its message already one readable line (exit code {@value #FAILURE}). */
    static class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /**
     * Carries a checked exception out of code whose signature cannot declare it ({@link ServingCommand#serve});
     * the handler reports its cause.
     */
    static final class Unchecked extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unchecked(Exception cause) {
            super(cause);
        }
    }

    /** Installs the two handlers on {@code cl} (and so on its subcommands). */
    static CommandLine configure(CommandLine cl) {
        cl.setParameterExceptionHandler(Cli::usageError);
        cl.setExecutionExceptionHandler(Cli::failure);
        return cl;
    }

    /** {@link Ssl#formatError} on one line (alert texts carry the engine's detail on a second line). */
    static String oneLine(Reason reason) {
        return oneLine(Ssl.formatError(reason));
    }

    static String oneLine(String text) {
        return String.valueOf(text).strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String text = oneLine(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                text += " (did you mean " + String.join(" or ", suggestions) + "?)";
            }
        }
        return usageLine(cl, text);
    }

    private static int usageLine(CommandLine cl, String text) {
        PrintWriter err = cl.getErr();
        err.println("error " + text + "; try '" + cl.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return USAGE;
    }

    private static int failure(Exception ex, CommandLine cl, ParseResult parsed) {
        Throwable t = ex instanceof Unchecked && ex.getCause() != null ? ex.getCause() : ex;
        if (t instanceof SslOptionsException o) {
            return usageLine(cl, oneLine(o.reason()));
        }
        PrintWriter err = cl.getErr();
        err.println("error " + describe(t));
        err.flush();
        return FAILURE;
    }

    /** The one-line text of a runtime failure. */
    static String describe(Throwable t) {
        if (t instanceof SslException s) {
            return oneLine(s.reason());
        }
        if (t instanceof Failure f) {
            return oneLine(f.getMessage());
        }
        return oneLine(TlsErrors.posixReasonOf(t)
                .orElseGet(() -> new Reason.Unexpected(t.getClass().getName() + ": " + t.getMessage())));
    }
}
