package io.sslkit.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code openssl speed -mr} outputs of one run: {@code openssl-aes-128-gcm.txt} and
 * {@code openssl-aes-256-gcm.txt} ({@code -evp ... -bytes 16384}: {@code +F:n:NAME:bytes/s}),
 * {@code openssl-ecdsap256.txt} ({@code +F4:n:256:sign/s:verify/s}) and {@code openssl-rsa2048.txt}
 * ({@code +F2:n:2048:sign/s:verify/s}).
 */
final class OpensslSpeed {

    private OpensslSpeed() {
    }

    /** name → value: {@code aes-128-gcm} in MB/s, {@code ecdsap256-sign} etc. in operations/s. */
    static Map<String, Double> read(Path dir) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String aes : new String[] {"aes-128-gcm", "aes-256-gcm"}) {
            Path f = dir.resolve("openssl-" + aes + ".txt");
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("+F:")) {
                        String[] p = line.split(":");
                        out.put(aes, Double.parseDouble(p[p.length - 1]) / 1e6);
                    }
                }
            }
        }
        sig(dir, "ecdsap256", "+F4:", out);
        sig(dir, "rsa2048", "+F2:", out);
        return out;
    }

    private static void sig(Path dir, String name, String prefix, Map<String, Double> out) throws IOException {
        Path f = dir.resolve("openssl-" + name + ".txt");
        if (!Files.exists(f)) {
            return;
        }
        for (String line : Files.readAllLines(f)) {
            if (line.startsWith(prefix)) {
                String[] p = line.split(":");
                out.put(name + "-sign", Double.parseDouble(p[3]));
                out.put(name + "-verify", Double.parseDouble(p[4]));
            }
        }
    }

    static String label(String key) {
        return switch (key) {
            case "aes-128-gcm" -> "AES-128-GCM, 16 KiB blocks";
            case "aes-256-gcm" -> "AES-256-GCM, 16 KiB blocks";
            case "ecdsap256-sign" -> "ECDSA P-256 sign";
            case "ecdsap256-verify" -> "ECDSA P-256 verify";
            case "rsa2048-sign" -> "RSA-2048 sign";
            case "rsa2048-verify" -> "RSA-2048 verify";
            default -> key;
        };
    }
}
