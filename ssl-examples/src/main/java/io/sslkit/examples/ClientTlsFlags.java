package io.sslkit.examples;

import io.sslkit.SslOptions;
import io.sslkit.Verify;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The TLS flags of a connecting side ({@code echo-client}), as a picocli mixin; {@code proxy} fills one from its
 * {@code --connect-*} flags. Each flag is the {@link SslOptions} option of the same Erlang name.
 */
final class ClientTlsFlags {

    @Option(names = "--cacertfile", paramLabel = "F", converter = Flags.ReadableFileConverter.class,
            description = "PEM CAs to trust (default: the JDK's trust store)")
    Path cacertfile;

    @Option(names = "--certfile", paramLabel = "F", converter = Flags.ReadableFileConverter.class,
            description = "PEM client certificate (and chain)")
    Path certfile;

    @Mixin
    KeyFlags key = new KeyFlags();

    @Option(names = "--verify", paramLabel = "verify_none|verify_peer", converter = Flags.VerifyConverter.class,
            description = "default verify_peer (OTP 26+); verify_none is dangerous: anyone can pose as the server")
    Verify verify;

    @Option(names = "--server-name", paramLabel = "NAME|disable",
            description = "SNI name and the name checked in the server's certificate (default: the host); "
                    + "'disable' sends none and checks none")
    String serverName;

    @Mixin
    EngineFlags engine = new EngineFlags();

    @Option(names = "--alpn", split = ",", paramLabel = "a,b",
            description = "ALPN protocols offered, most preferred first (alpn_advertised_protocols)")
    List<String> alpn;

    /** The options these flags stand for. Reads no file: {@code connect} does. */
    SslOptions.Builder builder() {
        SslOptions.Builder b = engine.builder();
        key.apply(b, certfile);
        if (verify != null) {
            b.verify(verify);
        }
        if (cacertfile != null) {
            b.cacertfile(cacertfile);
        } else if (verify != Verify.VERIFY_NONE) {
            b.systemCacerts(true); // a command talks to real servers: trust what the JDK trusts
        }
        if ("disable".equals(serverName)) {
            b.disableServerNameIndication();
        } else if (serverName != null) {
            b.serverNameIndication(serverName);
        }
        if (alpn != null && !alpn.isEmpty()) {
            b.alpnAdvertisedProtocols(alpn.toArray(String[]::new));
        }
        return b;
    }
}
