package io.sslkit.examples;

import io.sslkit.SslOptions;
import io.sslkit.Verify;
import io.sslkit.netty.certs.HeldCertificate;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The TLS flags of a listening side ({@code echo-server}, the listen side of {@code proxy}), as a picocli mixin.
 * Each flag is the {@link SslOptions} option of the same Erlang name.
 */
final class ServerTlsFlags {

    @Option(names = "--certfile", paramLabel = "F", converter = Flags.ReadableFileConverter.class,
            description = "PEM certificate (and chain). Default: a self-signed certificate for localhost/127.0.0.1.")
    Path certfile;

    @Mixin
    KeyFlags key = new KeyFlags();

    @Option(names = "--cacertfile", paramLabel = "F", converter = Flags.ReadableFileConverter.class,
            description = "PEM CAs that client certificates must chain to")
    Path cacertfile;

    @Option(names = "--verify", paramLabel = "verify_none|verify_peer", converter = Flags.VerifyConverter.class,
            description = "verify_peer asks clients for a certificate (default: verify_none)")
    Verify verify;

    @Option(names = "--fail-if-no-peer-cert",
            description = "with verify_peer: refuse a client that sends no certificate (default: accept it)")
    boolean failIfNoPeerCert;

    @Mixin
    EngineFlags engine = new EngineFlags();

    @Option(names = "--alpn", split = ",", paramLabel = "a,b",
            description = "ALPN protocols accepted, most preferred first (alpn_preferred_protocols); a client "
                    + "offering none of them is refused with no_application_protocol")
    List<String> alpn;

    /** The options these flags stand for. Reads no file: {@code listen} does. */
    SslOptions.Builder builder() {
        SslOptions.Builder b = engine.builder();
        key.apply(b, certfile);
        if (certfile == null) {
            HeldCertificate self = SelfSigned.localhost();
            b.cert(self.certificate()).key(self.privateKey());
        }
        if (cacertfile != null) {
            b.cacertfile(cacertfile);
        }
        if (verify != null) {
            b.verify(verify);
        }
        // The library's default is true (OTP 26+); on the command line the flag's presence turns it on.
        b.failIfNoPeerCert(failIfNoPeerCert);
        if (alpn != null && !alpn.isEmpty()) {
            b.alpnPreferredProtocols(alpn.toArray(String[]::new));
        }
        return b;
    }
}
