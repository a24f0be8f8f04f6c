package io.sslkit.examples;

import io.sslkit.Provider;
import io.sslkit.SslOptions;
import io.sslkit.Verify;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The TLS flags of a connecting side ({@code echo-client}), as a picocli mixin; {@code proxy} fills one from its
 * {@code --connect-*} flags. Each flag is the {@link SslOptions} option of the same Erlang name.
 */
final class ClientTlsFlags {

    @Option(names = "--cacertfile", paramLabel = "F",
            description = "PEM CAs to trust (default: the JDK's trust store)")
    Path cacertfile;

    @Option(names = "--certfile", paramLabel = "F", description = "PEM client certificate (and chain)")
    Path certfile;

    @Option(names = "--keyfile", paramLabel = "F", description = "PEM private key (default: the certfile)")
    Path keyfile;

    @Option(names = "--password", paramLabel = "P", description = "password of an encrypted key")
    String password;

    @Option(names = "--verify", paramLabel = "verify_none|verify_peer", converter = Flags.VerifyConverter.class,
            description = "default verify_peer (OTP 26+); verify_none is dangerous: anyone can pose as the server")
    Verify verify;

    @Option(names = "--server-name", paramLabel = "NAME|disable",
            description = "SNI name and the name checked in the server's certificate (default: the host); "
                    + "'disable' sends none and checks none")
    String serverName;

    @Option(names = "--versions", split = ",", paramLabel = "tlsv1.2,tlsv1.3",
            description = "TLS versions (default: tlsv1.3,tlsv1.2)")
    List<String> versions;

    @Option(names = "--provider", paramLabel = "auto|openssl|jdk", converter = Flags.ProviderConverter.class,
            defaultValue = "auto", description = "TLS engine (default: ${DEFAULT-VALUE}: BoringSSL if it loads)")
    Provider provider;

    @Option(names = "--alpn", split = ",", paramLabel = "a,b",
            description = "ALPN protocols offered, most preferred first (alpn_advertised_protocols)")
    List<String> alpn;

    /** The options these flags stand for. Reads no file: {@code connect} does. */
    SslOptions.Builder builder() {
        SslOptions.Builder b = SslOptions.builder().provider(provider);
        if (certfile != null) {
            b.certfile(certfile);
            if (keyfile != null) {
                b.keyfile(keyfile);
            }
        }
        if (password != null) {
            b.password(password);
        }
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
        Flags.versions(b, versions);
        if (alpn != null && !alpn.isEmpty()) {
            b.alpnAdvertisedProtocols(alpn.toArray(String[]::new));
        }
        return b;
    }
}
