package io.sslkit.netty.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Base64;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import io.sslkit.Reason;
import io.sslkit.SslException;

/** Helpers for the PEM tests: DER out of PEM text, and assertions on {@code {options, …}} failures. */
final class PemTestSupport {

    private PemTestSupport() {
    }

    /** The DER of the first PEM block of {@code pem}, ignoring headers. */
    static byte[] der(String pem) {
        StringBuilder base64 = new StringBuilder();
        boolean inside = false;
        for (String line : pem.split("\n")) {
            if (line.startsWith("-----BEGIN ")) {
                inside = true;
            } else if (line.startsWith("-----END ")) {
                break;
            } else if (inside && !line.contains(":")) {
                base64.append(line.trim());
            }
        }
        return Base64.getDecoder().decode(base64.toString());
    }

    /**
     * Asserts that {@code call} fails with {@code {options, {option, value, {error, code}}}} and returns the
     * exception.
     */
    static SslException assertFailure(ThrowingCallable call, String option, String value, String code) {
        SslException e = catchThrowableOfType(SslException.class, call);
        assertThat(e).as("expected {error, %s}", code).isNotNull();
        assertThat(e.reason()).isEqualTo(new Reason.Options(option, value, code));
        assertThat(e.getMessage()).isNotBlank();
        return e;
    }

    /** The exception's full stack trace text, with every cause: what a log would show. */
    static String everything(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
