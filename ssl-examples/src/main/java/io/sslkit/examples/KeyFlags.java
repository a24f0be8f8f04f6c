package io.sslkit.examples;

import io.sslkit.SslOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --keyfile} and {@code --password}: the key of a {@code --certfile}, the same for both sides. A picocli mixin
 * inside {@link ClientTlsFlags} and {@link ServerTlsFlags}, declared where each lists it in its help.
 */
final class KeyFlags {

    @Option(names = "--keyfile", paramLabel = "F", converter = Flags.ReadableFileConverter.class,
            description = "PEM private key (default: the certfile)")
    Path keyfile;

    @Option(names = "--password", paramLabel = "P", description = "password of an encrypted key")
    String password;

    /** {@code certfile} (with {@code keyfile} if given; neither if {@code certfile} is null) and {@code password}. */
    void apply(SslOptions.Builder b, Path certfile) {
        if (certfile != null) {
            b.certfile(certfile);
            if (keyfile != null) {
                b.keyfile(keyfile);
            }
        }
        if (password != null) {
            b.password(password);
        }
    }
}
