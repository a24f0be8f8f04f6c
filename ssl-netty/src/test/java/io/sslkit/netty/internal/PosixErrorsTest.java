package io.sslkit.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors.NativeIoException;
import io.sslkit.Provider;
import io.sslkit.Reason;
import io.sslkit.Ssl;
import io.sslkit.SslException;
import io.sslkit.SslListenSocket;
import io.sslkit.SslRuntimeOptions;
import io.sslkit.netty.testing.TestPki;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Socket failures reach the caller as the POSIX reason OTP's {@code inet} gives, on both transports. */
class PosixErrorsTest {

    private static final TestPki PKI = TestPki.ec();

    @ParameterizedTest
    @EnumSource(value = SslRuntimeOptions.Transport.class, names = {"EPOLL", "NIO"})
    void listeningOnABusyPortIsEaddrinuse(SslRuntimeOptions.Transport transport) throws Exception {
        try (Ssl ssl = Ssl.start(SslRuntimeOptions.defaults().withTransport(transport));
             SslListenSocket first = ssl.listen(0, PKI.serverOptions(Provider.AUTO).build())) {
            assertThat(ssl.versions().transport()).isEqualTo(transport.name().toLowerCase(java.util.Locale.ROOT));
            SslException e = org.junit.jupiter.api.Assertions.assertThrows(SslException.class,
                    () -> ssl.listen(first.port(), PKI.serverOptions(Provider.AUTO).build()).close());
            assertThat(e.reason()).isEqualTo(new Reason.Posix("eaddrinuse"));
            assertThat(Ssl.formatError(e.reason())).isEqualTo("address already in use");
        }
    }

    @Test
    void nativeErrnosAreNamedAsInet() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Epoll.isAvailable(), "Netty's native library (Linux)");
        assertThat(PosixErrors.reasonOf(new NativeIoException("bind", -98))).contains(new Reason.Posix("eaddrinuse"));
        assertThat(PosixErrors.reasonOf(new NativeIoException("bind", -13))).contains(new Reason.Posix("eacces"));
        assertThat(PosixErrors.reasonOf(new NativeIoException("bind", -99)))
                .contains(new Reason.Posix("eaddrnotavail"));
        assertThat(PosixErrors.reasonOf(new NativeIoException("connect", -111)))
                .contains(Reason.ECONNREFUSED);
        assertThat(PosixErrors.reasonOf(new NativeIoException("read", -104))).contains(Reason.ECONNRESET);
        assertThat(PosixErrors.reasonOf(new NativeIoException("accept", -24))).contains(new Reason.Posix("emfile"));
        // a socket that is gone is the caller's "closed", not a POSIX error
        assertThat(PosixErrors.reasonOf(new NativeIoException("write", -9))).isEmpty();
        assertThat(PosixErrors.reasonOf(new NativeIoException("read", -107))).isEmpty();
        // wrapped, as a bind future's cause arrives
        assertThat(PosixErrors.reasonOf(new IllegalStateException(new NativeIoException("bind", -98))))
                .contains(new Reason.Posix("eaddrinuse"));
    }

    @Test
    void jdkSocketErrorsAreNamedByTypeAndStrerror() {
        assertThat(PosixErrors.reasonOf(new BindException("Address already in use")))
                .contains(new Reason.Posix("eaddrinuse"));
        assertThat(PosixErrors.reasonOf(new BindException("Permission denied")))
                .contains(new Reason.Posix("eacces"));
        assertThat(PosixErrors.reasonOf(new BindException("Cannot assign requested address")))
                .contains(new Reason.Posix("eaddrnotavail"));
        assertThat(PosixErrors.reasonOf(new ConnectException("Connection refused: localhost/127.0.0.1:1")))
                .contains(Reason.ECONNREFUSED);
        assertThat(PosixErrors.reasonOf(new IOException("Connection reset by peer")))
                .contains(Reason.ECONNRESET);
        // not socket errors: left to the TLS mapping
        assertThat(PosixErrors.reasonOf(new SSLException("x", new IOException("Connection reset by peer"))))
                .isEmpty();
        assertThat(PosixErrors.reasonOf(new IOException("something else"))).isEmpty();
        assertThat(PosixErrors.reasonOf(new java.nio.channels.ClosedChannelException())).isEmpty();
    }
}
