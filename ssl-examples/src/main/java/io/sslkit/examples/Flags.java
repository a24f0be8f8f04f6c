package io.sslkit.examples;

import io.sslkit.Active;
import io.sslkit.PacketType;
import io.sslkit.Provider;
import io.sslkit.SslOptions;
import io.sslkit.SslOptionsException;
import io.sslkit.Verify;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Command-line values as Erlang writes them ({@code verify_peer}, {@code tlsv1.2}, {@code once}, {@code 4}), turned
 * into sslkit types. Invalid values are usage errors (exit code 2), with the accepted values in the message.
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
