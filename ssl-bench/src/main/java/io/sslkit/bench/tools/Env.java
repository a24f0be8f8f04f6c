package io.sslkit.bench.tools;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.ssl.OpenSsl;
import io.netty.util.Version;
import io.sslkit.ConnectionInfo;
import io.sslkit.Protocol;
import io.sslkit.Provider;
import io.sslkit.Ssl;
import io.sslkit.SslListenSocket;
import io.sslkit.SslSocket;
import io.sslkit.bench.KeyType;
import io.sslkit.bench.SslkitEnds;
import io.sslkit.bench.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The machine and the software under test, as JSON on stdout, for {@code RESULTS.md}: processors, CPU model,
 * kernel, JDK, Netty and netty-tcnative versions, BoringSSL, the transport and allocator an sslkit runtime uses,
 * and the cipher suite each provider and TLS version negotiates on the benchmarks' certificates.
 */
public final class Env {

    private Env() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("processors", Runtime.getRuntime().availableProcessors());
        env.put("cpu", cpuModel());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        env.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
                + System.getProperty("java.vendor") + ")");
        Map<String, Object> netty = new LinkedHashMap<>();
        Version.identify().forEach((artifact, v) -> {
            if (artifact.equals("netty-handler") || artifact.equals("netty-tcnative-classes")
                    || artifact.equals("netty-transport-native-epoll")) {
                netty.put(artifact, v.artifactVersion());
            }
        });
        for (String artifact : new String[] {"netty-tcnative-classes", "netty-tcnative-boringssl-static",
                "jmh-core", "bcprov-jdk18on"}) {
            String v = mavenVersion(artifact);
            if (v != null) {
                netty.put(artifact, v);
            }
        }
        env.put("netty", netty);
        env.put("openssl_provider", OpenSsl.isAvailable()
                ? OpenSsl.versionString() + " (0x" + Long.toHexString(OpenSsl.version()) + ")"
                : "unavailable: " + OpenSsl.unavailabilityCause());
        env.put("transport", Epoll.isAvailable() ? "epoll" : "nio");
        env.put("allocator", ByteBufAllocator.DEFAULT.getClass().getSimpleName());
        env.put("ciphers", ciphers());
        System.out.println(Json.write(env));
    }

    /** The version in a dependency's {@code META-INF/maven/.../pom.properties} (kept by the shade plugin). */
    private static String mavenVersion(String artifact) {
        for (String group : new String[] {"io.netty", "org.openjdk.jmh", "org.bouncycastle"}) {
            try (java.io.InputStream in = Env.class.getResourceAsStream(
                    "/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
                if (in != null) {
                    java.util.Properties p = new java.util.Properties();
                    p.load(in);
                    return p.getProperty("version");
                }
            } catch (java.io.IOException e) {
                return null;
            }
        }
        return null;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** provider/version → negotiated suite, through sslkit itself. */
    private static Map<String, Object> ciphers() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        KeyType.Pair cert = KeyType.EC_P256.pair();
        try (Ssl ssl = Ssl.start()) {
            for (Provider p : new Provider[] {Provider.OPENSSL, Provider.JDK}) {
                for (Protocol v : Protocol.values()) {
                    try (SslListenSocket listen = ssl.listen(0, SslkitEnds.serverOptions(p, v, cert))) {
                        CompletableFuture<SslSocket> accepted = SslkitEnds.acceptAsync(listen);
                        try (SslSocket c = ssl.connect("localhost", listen.port(),
                                SslkitEnds.clientOptions(p, v, cert).build())) {
                            ConnectionInfo info = c.connectionInfo();
                            out.put(p.name() + "/" + v.name(), info.cipherSuite());
                        }
                        accepted.get(10, TimeUnit.SECONDS).close();
                    } catch (Exception e) {
                        out.put(p.name() + "/" + v.name(), "failed: " + e);
                    }
                }
            }
        }
        return out;
    }
}
