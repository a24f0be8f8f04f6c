package io.sslkit.examples;

import io.sslkit.netty.certs.HeldCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sslkit certs}: a CA, a server and a client certificate with their keys, as PEM files, for trying sslkit out
 * (made with {@link HeldCertificate}; not for production).
 *
 * <table>
 *   <caption>The files, named as the README's examples use them</caption>
 *   <tr><td>{@code ca.pem}, {@code ca.key}</td><td>a CA ({@code CN=sslkit test CA}, may sign leaves only)</td></tr>
 *   <tr><td>{@code server.pem}, {@code server.key}</td><td>signed by the CA; subject alternative names
 *   {@code localhost}, {@code 127.0.0.1} and each {@code --host}; extended key usage serverAuth</td></tr>
 *   <tr><td>{@code client.pem}, {@code client.key}</td><td>signed by the CA ({@code CN=sslkit client});
 *   clientAuth</td></tr>
 * </table>
 *
 * <p>Keys are unencrypted PKCS#8, readable by their owner only where the file system has POSIX permissions. Nothing
 * is written if any of the files exists, unless {@code --force} is given.
 */
@Command(name = "certs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a CA, a server and a client certificate with their keys (PEM) into a directory, for "
                + "trying sslkit out: ca.pem, ca.key, server.pem, server.key, client.pem, client.key. The server's "
                + "certificate is for localhost, 127.0.0.1 and each --host."})
final class CertsCommand implements Callable<Integer> {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    /** Key types, named as on the command line. */
    enum KeyType { ecdsa, rsa }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to write into "
            + "(created if missing)")
    Path out;

    @Option(names = "--host", paramLabel = "NAME", description = "another name (or IP address) of the server, "
            + "besides localhost and 127.0.0.1; repeatable")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--key", paramLabel = "ecdsa|rsa", defaultValue = "ecdsa",
            description = "key type: ECDSA P-256 or RSA 2048 (default: ${DEFAULT-VALUE})")
    KeyType key;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30", converter = Flags.DaysConverter.class,
            description = "validity in days, 1..36500 (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--force", description = "overwrite existing files")
    boolean force;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Cli.Failure {
        Map<String, String> files = make();
        if (!force) {
            for (String name : files.keySet()) {
                if (Files.exists(out.resolve(name))) {
                    throw new Cli.Failure(out.resolve(name) + " exists (--force overwrites it)");
                }
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            Files.createDirectories(out);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = out.resolve(f.getKey());
                write(p, f.getValue(), f.getKey().endsWith(".key"));
                stdout.println("wrote " + p);
            }
        } catch (IOException e) {
            throw new Cli.Failure(describe(e));
        }
        stdout.flush();
        return Cli.OK;
    }

    /** The six files' names and contents. */
    private Map<String, String> make() {
        Duration validity = Duration.ofDays(days);
        HeldCertificate ca = keyed(HeldCertificate.builder()).commonName("sslkit test CA").certificateAuthority(0)
                .duration(validity).build();
        HeldCertificate.Builder server = keyed(HeldCertificate.builder())
                .commonName(hosts.isEmpty() ? "localhost" : hosts.get(0))
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1");
        hosts.stream().filter(h -> !h.equals("localhost") && !h.equals("127.0.0.1"))
                .forEach(server::addSubjectAlternativeName);
        HeldCertificate serverCert = server.extendedKeyUsage(false, SERVER_AUTH).duration(validity).signedBy(ca)
                .build();
        HeldCertificate clientCert = keyed(HeldCertificate.builder()).commonName("sslkit client")
                .extendedKeyUsage(false, CLIENT_AUTH).duration(validity).signedBy(ca).build();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("ca.pem", ca.certificatePem());
        files.put("ca.key", ca.privateKeyPkcs8Pem());
        files.put("server.pem", serverCert.certificatePem());
        files.put("server.key", serverCert.privateKeyPkcs8Pem());
        files.put("client.pem", clientCert.certificatePem());
        files.put("client.key", clientCert.privateKeyPkcs8Pem());
        return files;
    }

    private HeldCertificate.Builder keyed(HeldCertificate.Builder b) {
        return key == KeyType.rsa ? b.rsa2048() : b.ecdsa256();
    }

    /** Writes {@code text}; a key is made readable by its owner only before any byte of it is written. */
    private static void write(Path p, String text, boolean secret) throws IOException {
        if (secret && p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.deleteIfExists(p); // a new file gets the permissions below; an existing one keeps its own
            Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(p, text, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String why = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
            return "cannot write " + f.getFile() + ": " + why;
        }
        return "cannot write: " + e.getMessage();
    }
}
