package io.sslkit.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sslkit.Ssl;
import io.sslkit.SslRuntimeOptions;
import io.sslkit.Versions;
import io.sslkit.netty.internal.NativeChoice.Native;
import org.junit.jupiter.api.Test;

/**
 * Which transport and engine each platform gets, and the reason given: every branch with made-up answers from the
 * native libraries, then the real choice on this machine.
 */
class NativeChoiceTest {

    private static final Native LOADED = Native.of(true, null);
    private static final Native NO_EPOLL = Native.of(false,
            new UnsatisfiedLinkError("could not load a native library: netty_transport_native_epoll_x86_64"));
    private static final Native NOT_MAC = Native.of(false,
            new UnsupportedOperationException("Only supported on OSX/BSD"));

    @Test
    void linuxTakesEpollWhenItLoadsAndSaysWhyWhenItDoesNot() {
        assertThat(NativeChoice.transport(SslRuntimeOptions.Transport.AUTO, "linux-aarch_64", LOADED, NOT_MAC))
                .isEqualTo(new NativeChoice.Choice("epoll", "epoll (native, linux-aarch_64)"));
        assertThat(NativeChoice.transport(SslRuntimeOptions.Transport.AUTO, "linux-x86_64", NO_EPOLL, NOT_MAC))
                .isEqualTo(new NativeChoice.Choice("nio", "nio (epoll unavailable: java.lang.UnsatisfiedLinkError: "
                        + "could not load a native library: netty_transport_native_epoll_x86_64)"));
    }

    @Test
    void macTakesKqueueWhenItLoadsAndSaysWhyWhenItDoesNot() {
        Native notLinux = Native.of(false, new IllegalStateException("Only supported on Linux"));
        assertThat(NativeChoice.transport(SslRuntimeOptions.Transport.AUTO, "osx-aarch_64", notLinux, LOADED))
                .isEqualTo(new NativeChoice.Choice("kqueue", "kqueue (native, osx-aarch_64)"));
        Native noKqueue = Native.of(false, new UnsatisfiedLinkError("netty_transport_native_kqueue_aarch_64"));
        assertThat(NativeChoice.transport(SslRuntimeOptions.Transport.AUTO, "osx-x86_64", notLinux, noKqueue)
                .description())
                .isEqualTo("nio (kqueue unavailable: java.lang.UnsatisfiedLinkError: "
                        + "netty_transport_native_kqueue_aarch_64)");
    }

    @Test
    void windowsHasNoNativeTransportAndNioIsAlwaysThere() {
        Native no = Native.of(false, new UnsupportedOperationException("no"));
        assertThat(NativeChoice.transport(SslRuntimeOptions.Transport.AUTO, "windows-x86_64", no, no))
                .isEqualTo(new NativeChoice.Choice("nio", "nio (no native transport for windows-x86_64)"));
        assertThat(NativeChoice.transport(SslRuntimeOptions.Transport.NIO, "linux-x86_64", LOADED, no))
                .isEqualTo(new NativeChoice.Choice("nio", "nio (asked for, linux-x86_64)"));
    }

    @Test
    void aNativeTransportAskedForByNameFailsWithItsCause() throws Exception {
        assertThatThrownBy(() -> NativeChoice.transport(SslRuntimeOptions.Transport.EPOLL, "linux-x86_64",
                NO_EPOLL, NOT_MAC))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("epoll transport is not available on linux-x86_64: java.lang.UnsatisfiedLinkError: "
                        + "could not load a native library: netty_transport_native_epoll_x86_64")
                .hasCause(NO_EPOLL.cause());
        assertThatThrownBy(() -> NativeChoice.transport(SslRuntimeOptions.Transport.KQUEUE, "linux-x86_64",
                LOADED, NOT_MAC))
                .isInstanceOf(IllegalStateException.class).hasCause(NOT_MAC.cause());
        assertThatThrownBy(() -> Ssl.start(SslRuntimeOptions.defaults()
                .withTransport(SslRuntimeOptions.Transport.KQUEUE)))
                .as("kqueue never loads on Linux").isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("kqueue transport is not available on linux-");
    }

    @Test
    void theEngineIsBoringSslWhenItLoadsElseTheJdksWithTheCause() {
        assertThat(NativeChoice.engine("osx-aarch_64", LOADED))
                .isEqualTo(new NativeChoice.Choice("openssl", "openssl (BoringSSL, native, osx-aarch_64)"));
        assertThat(NativeChoice.engine("linux-riscv64", Native.of(false,
                new UnsatisfiedLinkError("netty_tcnative_linux_riscv64")))
                .description()).isEqualTo("jdk (BoringSSL unavailable: java.lang.UnsatisfiedLinkError: "
                + "netty_tcnative_linux_riscv64)");
    }

    @Test
    void onLinuxX8664BothNativesReallyLoadAndVersionsSaysSo() throws Exception {
        assumeTrue(NativeChoice.platform().equals("linux-x86_64"), "CI and this machine are linux-x86_64");
        try (Ssl ssl = Ssl.start()) {
            Versions v = ssl.versions();
            assertThat(v.transport()).isEqualTo("epoll");
            assertThat(v.transportChoice()).isEqualTo("epoll (native, linux-x86_64)");
            assertThat(v.providerChoice()).isEqualTo("openssl (BoringSSL, native, linux-x86_64)");
            assertThat(v.toString()).contains("{choices,\"openssl (BoringSSL, native, linux-x86_64)\","
                    + "\"epoll (native, linux-x86_64)\"}");
        }
        try (Ssl nio = Ssl.start(SslRuntimeOptions.defaults().withTransport(SslRuntimeOptions.Transport.NIO))) {
            assertThat(nio.versions().transportChoice()).isEqualTo("nio (asked for, linux-x86_64)");
        }
    }
}
