package io.sslkit.examples;

import io.sslkit.Provider;
import io.sslkit.SslOptions;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --versions} and {@code --provider}, the same for both sides. A picocli mixin inside {@link ClientTlsFlags}
 * and {@link ServerTlsFlags}, declared where each lists it in its help.
 */
final class EngineFlags {

    @Option(names = "--versions", split = ",", paramLabel = "tlsv1.2,tlsv1.3",
            description = "TLS versions (default: tlsv1.3,tlsv1.2)")
    List<String> versions;

    @Option(names = "--provider", paramLabel = "auto|openssl|jdk", converter = Flags.ProviderConverter.class,
            defaultValue = "auto", description = "TLS engine (default: ${DEFAULT-VALUE}: BoringSSL if it loads)")
    Provider provider;

    /** A builder with these two options set; the rest of the flags add theirs. */
    SslOptions.Builder builder() {
        SslOptions.Builder b = SslOptions.builder().provider(provider);
        Flags.versions(b, versions);
        return b;
    }
}
