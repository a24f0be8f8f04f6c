package io.sslkit.netty.internal;

import io.netty.channel.unix.Errors.NativeIoException;
import io.sslkit.Reason;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The POSIX reason ({@code eaddrinuse}, {@code econnrefused}, {@code eacces}, ...) of a socket call that failed, as
 * {@code inet} names it, for both of Netty's transports.
 *
 * <h2>Native transports (epoll, io_uring, kqueue)</h2>
 * Netty throws {@link NativeIoException} (or its {@code ConnectException} subclass) carrying the negative
 * {@code errno} ({@link NativeIoException#expectedErr()}), never the JDK's {@link BindException}. The errno is
 * looked up in the table of the platform the transport runs on: Linux for epoll and io_uring, the BSD numbering
 * (macOS, FreeBSD) for kqueue. Codes 1..34 are the same on both.
 *
 * <h2>NIO</h2>
 * The JDK keeps no errno: its exceptions carry the platform's {@code strerror} text, and the type says only part of
 * it ({@link BindException} is also thrown for {@code eacces} and {@code eaddrnotavail}). The {@code strerror}
 * texts of the codes a socket meets are matched exactly (not searched for words), then the type decides.
 */
public final class PosixErrors {

    /**
     * errno (positive) to code, where Linux and the BSDs agree (1..34 are the historic Unix numbers). {@code EBADF}
     * and {@code ENOTCONN} are left out on purpose: they mean the socket is gone, which sslkit reports as
     * {@code closed}, as OTP does for a socket closed under a call.
     */
    private static final Map<Integer, String> COMMON = Map.ofEntries(
            Map.entry(1, "eperm"), Map.entry(2, "enoent"), Map.entry(4, "eintr"), Map.entry(5, "eio"),
            Map.entry(12, "enomem"), Map.entry(13, "eacces"), Map.entry(22, "einval"),
            Map.entry(23, "enfile"), Map.entry(24, "emfile"), Map.entry(32, "epipe"));

    private static final Map<Integer, String> LINUX = Map.ofEntries(
            Map.entry(90, "emsgsize"), Map.entry(97, "eafnosupport"), Map.entry(98, "eaddrinuse"),
            Map.entry(99, "eaddrnotavail"), Map.entry(100, "enetdown"), Map.entry(101, "enetunreach"),
            Map.entry(103, "econnaborted"), Map.entry(104, "econnreset"), Map.entry(105, "enobufs"),
            Map.entry(110, "etimedout"), Map.entry(111, "econnrefused"),
            Map.entry(113, "ehostunreach"));

    private static final Map<Integer, String> BSD = Map.ofEntries(
            Map.entry(40, "emsgsize"), Map.entry(47, "eafnosupport"), Map.entry(48, "eaddrinuse"),
            Map.entry(49, "eaddrnotavail"), Map.entry(50, "enetdown"), Map.entry(51, "enetunreach"),
            Map.entry(53, "econnaborted"), Map.entry(54, "econnreset"), Map.entry(55, "enobufs"),
            Map.entry(60, "etimedout"), Map.entry(61, "econnrefused"),
            Map.entry(65, "ehostunreach"));

    /** The JDK's {@code strerror} texts (glibc and macOS spell these the same). */
    private static final Map<String, String> STRERROR = Map.ofEntries(
            Map.entry("address already in use", "eaddrinuse"),
            Map.entry("cannot assign requested address", "eaddrnotavail"),
            Map.entry("can't assign requested address", "eaddrnotavail"),
            Map.entry("permission denied", "eacces"),
            Map.entry("operation not permitted", "eperm"),
            Map.entry("connection refused", "econnrefused"),
            Map.entry("connection reset by peer", "econnreset"),
            Map.entry("connection reset", "econnreset"),
            Map.entry("broken pipe", "epipe"),
            Map.entry("no route to host", "ehostunreach"),
            Map.entry("network is unreachable", "enetunreach"),
            Map.entry("connection timed out", "etimedout"),
            Map.entry("too many open files", "emfile"),
            Map.entry("too many open files in system", "enfile"),
            Map.entry("no buffer space available", "enobufs"));

    private static final Map<Integer, String> PLATFORM = platformTable();

    private PosixErrors() {
    }

    /**
     * The POSIX reason of {@code t} (or of the first cause in its chain that has one): a native errno, or a JDK
     * socket exception; empty for anything else (a TLS failure, a closed channel, an errno no socket call
     * gives).
     */
    public static Optional<Reason> reasonOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException) {
                return Optional.empty(); // a TLS failure, even one caused by the socket: Errors reads the alert
            }
            Optional<String> code = codeOf(c);
            if (code.isPresent()) {
                return Optional.of(new Reason.Posix(code.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> codeOf(Throwable c) {
        if (c instanceof NativeIoException n) {
            return errno(-n.expectedErr());
        }
        if (!(c instanceof IOException)) {
            return Optional.empty();
        }
        Optional<String> byText = strerror(c.getMessage());
        if (byText.isPresent()) {
            return byText;
        }
        if (c instanceof BindException) {
            return Optional.of("eaddrinuse"); // bind(2)'s usual failure; the others have their own texts above
        }
        if (c instanceof ConnectException || c instanceof PortUnreachableException) {
            return Optional.of("econnrefused");
        }
        if (c instanceof NoRouteToHostException) {
            return Optional.of("ehostunreach");
        }
        return Optional.empty();
    }

    /** The code of a positive errno on this platform, if it is one a socket meets. */
    static Optional<String> errno(int errno) {
        String common = COMMON.get(errno);
        return Optional.ofNullable(common != null ? common : PLATFORM.get(errno));
    }

    /**
     * The JDK's message is the bare {@code strerror} text, or Netty's {@code "bind(..) failed: <text>"}: the text
     * after the last ": ", compared whole.
     */
    private static Optional<String> strerror(String message) {
        if (message == null) {
            return Optional.empty();
        }
        String m = message.strip().toLowerCase(Locale.ROOT);
        int colon = m.lastIndexOf(": ");
        String text = colon < 0 ? m : m.substring(colon + 2);
        return Optional.ofNullable(STRERROR.get(text));
    }

    private static Map<Integer, String> platformTable() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean bsd = os.contains("mac") || os.contains("darwin") || os.contains("bsd");
        return bsd ? BSD : LINUX;
    }
}
