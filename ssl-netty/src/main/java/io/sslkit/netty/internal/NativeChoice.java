package io.sslkit.netty.internal;

import io.netty.handler.ssl.OpenSsl;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.sslkit.SslRuntimeOptions;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which native pieces this platform gets, and why: the transport (epoll, kqueue or NIO) and the TLS engine
 * (BoringSSL through netty-tcnative, or the JDK's), each as one line such as {@code epoll (native, linux-x86_64)},
 * {@code nio (epoll unavailable: java.lang.UnsatisfiedLinkError: ...)} or {@code openssl (BoringSSL, native,
 * osx-aarch_64)}.
 *
 * <p>The decision ({@link #transport}) is a pure function of what loaded, so that every branch can be tested on any
 * machine; {@link Transport#choose} feeds it Netty's answers. The first runtime of the JVM logs both lines once on
 * logger {@code io.sslkit}: at DEBUG when both are native, at INFO when something fell back (a user on a platform
 * without natives learns why handshakes are slower).
 */
public final class NativeChoice {

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance("io.sslkit");
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private NativeChoice() {
    }

    /** What one native library answered: whether it loaded, and if not why. */
    public record Native(boolean available, Throwable cause) {

        /** Netty's {@code isAvailable()} and {@code unavailabilityCause()} of one native library. */
        public static Native of(boolean available, Throwable cause) {
            return new Native(available, available ? null : cause);
        }

        String why() {
            if (cause == null) {
                return "not loaded";
            }
            String s = cause.toString();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }

    /** A choice: the transport's (or engine's) name and the line that explains it. */
    public record Choice(String name, String description) {
    }

    /**
     * The platform as Netty's native jars name it: {@code linux-x86_64}, {@code linux-aarch_64},
     * {@code osx-x86_64}, {@code osx-aarch_64}, {@code windows-x86_64}...
     */
    public static String platform() {
        return PlatformDependent.normalizedOs() + "-" + PlatformDependent.normalizedArch();
    }

    /**
     * The transport for {@code wanted} on {@code platform}, given whether epoll and kqueue loaded.
     *
     * @throws IllegalStateException {@code EPOLL} or {@code KQUEUE} was asked for and did not load
     */
    public static Choice transport(SslRuntimeOptions.Transport wanted, String platform, Native epoll,
                                   Native kqueue) {
        return switch (wanted) {
            case NIO -> new Choice("nio", "nio (asked for, " + platform + ")");
            case EPOLL -> required("epoll", platform, epoll);
            case KQUEUE -> required("kqueue", platform, kqueue);
            case AUTO -> automatic(platform, epoll, kqueue);
        };
    }

    private static Choice required(String name, String platform, Native n) {
        if (!n.available()) {
            throw new IllegalStateException(name + " transport is not available on " + platform + ": " + n.why(),
                    n.cause());
        }
        return new Choice(name, name + " (native, " + platform + ")");
    }

    private static Choice automatic(String platform, Native epoll, Native kqueue) {
        if (epoll.available()) {
            return new Choice("epoll", "epoll (native, " + platform + ")");
        }
        if (kqueue.available()) {
            return new Choice("kqueue", "kqueue (native, " + platform + ")");
        }
        if (platform.startsWith("linux")) {
            return new Choice("nio", "nio (epoll unavailable: " + epoll.why() + ")");
        }
        if (platform.startsWith("osx") || platform.endsWith("bsd")) {
            return new Choice("nio", "nio (kqueue unavailable: " + kqueue.why() + ")");
        }
        return new Choice("nio", "nio (no native transport for " + platform + ")");
    }

    /** The engine {@code provider=auto} takes on {@code platform}, given whether BoringSSL loaded. */
    public static Choice engine(String platform, Native boringSsl) {
        if (boringSsl.available()) {
            return new Choice("openssl", "openssl (BoringSSL, native, " + platform + ")");
        }
        return new Choice("jdk", "jdk (BoringSSL unavailable: " + boringSsl.why() + ")");
    }

    /** The engine {@code provider=auto} takes here (loads netty-tcnative if it was not loaded yet). */
    public static Choice engine() {
        return engine(platform(), Native.of(OpenSsl.isAvailable(), OpenSsl.unavailabilityCause()));
    }

    /** Logs the engine and the transport once per JVM: DEBUG when both are native, INFO when one fell back. */
    static void logOnce(String transport) {
        if (!LOGGED.compareAndSet(false, true)) {
            return;
        }
        Choice engine = engine();
        boolean fellBack = transport.startsWith("nio") || engine.name().equals("jdk");
        String line = "sslkit on " + platform() + ": engine " + engine.description() + ", transport " + transport;
        if (fellBack) {
            LOG.info(line);
        } else {
            LOG.debug(line);
        }
    }
}
