package io.sslkit.examples;

import io.sslkit.Active;
import io.sslkit.PacketType;
import io.sslkit.Provider;
import io.sslkit.SslOptions;
import io.sslkit.SslOptionsException;
import io.sslkit.Verify;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Command-line values as Erlang writes them ({@code verify_peer}, {@code tlsv1.2}, {@code once}, {@code 4}), turned
 * into sslkit types, and the checks of every number and file a command takes: the one place where flags are
 * validated. Invalid values are usage errors (exit code 2, see {@link Cli}), with the accepted values in the
 * message.
 */
final class Flags {

    private Flags() {
    }

    /** {@code verify_none} | {@code verify_peer}. */
    static final class VerifyConverter implements ITypeConverter<Verify> {
        @Override
        public Verify convert(String value) {
            return Arrays.stream(Verify.values()).filter(v -> v.erlangName().equals(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException(
                            "'" + value + "' is not verify_none or verify_peer"));
        }
    }

    /** {@code auto} | {@code openssl} | {@code jdk}. */
    static final class ProviderConverter implements ITypeConverter<Provider> {
        @Override
        public Provider convert(String value) {
            return Arrays.stream(Provider.values()).filter(p -> p.optionName().equals(value)).findFirst()
                    .orElseThrow(() -> new TypeConversionException(
                            "'" + value + "' is not auto, openssl or jdk"));
        }
    }

    /** {@code raw} (or {@code 0}) | {@code 1} | {@code 2} | {@code 4} | {@code line} | the other byte types. */
    static final class PacketConverter implements ITypeConverter<PacketType> {
        @Override
        public PacketType convert(String value) {
            PacketType p = PacketType.fromName(value).orElseThrow(() -> new TypeConversionException(
                    "'" + value + "' is not a packet type (raw, 1, 2, 4, line, asn1, tpkt, cdr, sunrm, fcgi)"));
            if (p.isHttp()) {
                throw new TypeConversionException("packet " + value + " gives HTTP terms, not bytes to echo");
            }
            return p;
        }
    }

    /** {@code true} | {@code false} | {@code once} | {@code N}. */
    static final class ActiveConverter implements ITypeConverter<Active> {
        @Override
        public Active convert(String value) {
            try {
                return Active.parse(value.toLowerCase(Locale.ROOT));
            } catch (SslOptionsException e) {
                throw new TypeConversionException("'" + value + "' is not true, false, once or a count");
            }
        }
    }

    /** A port to listen on: 0 (any free one) to 65535. */
    static final class ListenPortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return intIn(value, 0, 65_535, "a port (0..65535)");
        }
    }

    /** A port to connect to: 1 to 65535. */
    static final class PortConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return intIn(value, 1, 65_535, "a port (1..65535)");
        }
    }

    /** {@code demo --megabytes}: 1 MiB to 1 TiB. */
    static final class MegabytesConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return intIn(value, 1, 1 << 20, "a number of MiB (1..1048576)");
        }
    }

    /** {@code certs --days}: 1 day to 100 years. */
    static final class DaysConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return intIn(value, 1, 36_500, "a number of days (1..36500)");
        }
    }

    /**
     * A file sslkit will read (certificate, key, CAs): it must exist, be a regular file and be readable, so that a
     * typo is a usage error naming the flag rather than a TLS failure later. Its content is checked where it is
     * read ({@code listen}/{@code connect}: {@code {options, {certfile, …}}}).
     */
    static final class ReadableFileConverter implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = Path.of(value);
            if (!Files.exists(p)) {
                throw new TypeConversionException(value + ": no such file");
            }
            if (!Files.isRegularFile(p)) {
                throw new TypeConversionException(value + ": not a file");
            }
            if (!Files.isReadable(p)) {
                throw new TypeConversionException(value + ": permission denied");
            }
            return p;
        }
    }

    private static int intIn(String value, int min, int max, String what) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new TypeConversionException("'" + value + "' is not " + what);
    }

    /**
     * {@code versions} by Erlang or Java name ({@code tlsv1.2,tlsv1.3}); {@code null} or empty keeps the default.
     * An unknown name fails {@code build()} with {@code {options, {Name, {versions, …}}}}.
     */
    static void versions(SslOptions.Builder b, List<String> names) {
        if (names != null && !names.isEmpty()) {
            b.versionNames(names);
        }
    }

    /** The largest payload one send may carry with this packet type (the length header's limit). */
    static int maxPayload(PacketType packet) {
        return switch (packet) {
            case ONE -> 255;
            case TWO -> 65_535;
            default -> Integer.MAX_VALUE;
        };
    }
}
