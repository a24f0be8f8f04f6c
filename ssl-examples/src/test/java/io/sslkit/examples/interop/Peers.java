package io.sslkit.examples.interop;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the real TLS peers are. A missing peer skips the test on a developer's machine, with a message saying how to
 * get it, but fails it when {@code CI=true}: CI installs every peer ({@code ci/install-peers.sh}), so a missing one
 * there is a broken setup, not a reason to pass.
 */
public final class Peers {

    private Peers() {
    }

    /** Whether this run is CI's ({@code CI=true}). */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The path of {@code tool} on the PATH, or skip/fail as the class comment says. */
    public static String require(String tool) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Paths.get(dir, tool);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        String msg = tool + " is not installed: run ci/install-peers.sh (Debian: erlang-base erlang-ssl "
                + "erlang-public-key erlang-crypto erlang-asn1 openssl gnutls-bin)";
        if (ci()) {
            Assertions.fail(msg + ". CI=true: every peer must be there.");
        }
        Assumptions.abort(msg);
        throw new IllegalStateException("unreachable");
    }

    /** The repository root (for {@code ci/interop}): Maven's project directory, else the nearest parent with ci/. */
    public static Path repo() {
        String p = System.getProperty("sslkit.repo");
        if (p != null && Files.isDirectory(Paths.get(p, "ci", "interop"))) {
            return Paths.get(p);
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("ci").resolve("interop"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the repository's ci/interop directory");
    }

    /** The Erlang peer script. */
    public static String erlangPeer() {
        return repo().resolve("ci/interop/erl_ssl_peer.escript").toString();
    }
}
