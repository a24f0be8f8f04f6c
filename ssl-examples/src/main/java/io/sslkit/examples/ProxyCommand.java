package io.sslkit.examples;

import io.sslkit.Provider;
import io.sslkit.Verify;
import io.sslkit.examples.proxy.TlsProxy;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.context.TlsContexts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sslkit proxy}: a TLS-terminating TCP proxy (see {@link TlsProxy}). The listen side takes the same TLS flags
 * as {@code echo-server}; the {@code --connect-*} flags (any of them, or {@code --connect-tls} alone) make the
 * server side TLS too. Prints {@code listening <port>} first, one line per connection on stderr, and runs until
 * killed.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A TLS-terminating TCP proxy: TLS from clients, plain TCP (or TLS again with --connect-tls) "
                + "to the server, with back-pressure. Prints 'listening <port>' first; runs until killed."})
final class ProxyCommand extends ServingCommand implements Callable<Integer> {

    @Option(names = "--listen", required = true, paramLabel = "N", description = "port to listen on (0 = any free one)")
    int listen;

    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "the server to forward to")
    String connect;

    @Mixin
    ServerTlsFlags tls;

    @Option(names = "--connect-tls", description = "TLS to the server too (implied by any --connect-* TLS flag)")
    boolean connectTls;

    @Option(names = "--connect-cacertfile", paramLabel = "F",
            description = "CAs the server must chain to (default: the JDK's trust store)")
    Path connectCacertfile;

    @Option(names = "--connect-certfile", paramLabel = "F", description = "client certificate for the server")
    Path connectCertfile;

    @Option(names = "--connect-keyfile", paramLabel = "F", description = "its key (default: the certfile)")
    Path connectKeyfile;

    @Option(names = "--connect-password", paramLabel = "P", description = "password of an encrypted key")
    String connectPassword;

    @Option(names = "--connect-verify", paramLabel = "verify_none|verify_peer",
            converter = Flags.VerifyConverter.class, description = "default verify_peer")
    Verify connectVerify;

    @Option(names = "--connect-server-name", paramLabel = "NAME|disable", description = "SNI and checked name")
    String connectServerName;

    @Option(names = "--connect-versions", split = ",", paramLabel = "tlsv1.2,tlsv1.3", description = "TLS versions")
    List<String> connectVersions;

    @Option(names = "--connect-provider", paramLabel = "auto|openssl|jdk", converter = Flags.ProviderConverter.class,
            description = "TLS engine towards the server (default: auto)")
    Provider connectProvider;

    @Option(names = "--connect-alpn", split = ",", paramLabel = "a,b", description = "ALPN protocols offered to "
            + "the server")
    List<String> connectAlpn;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        int colon = connect.lastIndexOf(':');
        if (colon <= 0 || colon == connect.length() - 1) {
            throw new ParameterException(spec.commandLine(), "--connect needs HOST:PORT: " + connect);
        }
        String host = connect.substring(0, colon).replaceAll("^\\[|]$", "");
        int port;
        try {
            port = Integer.parseInt(connect.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--connect needs HOST:PORT: " + connect);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return serve(out, () -> {
            TlsContext front = TlsContexts.forServer(tls.builder().build());
            TlsContext back = wantsTls() ? TlsContexts.forClient(backFlags().builder().build()) : null;
            try (TlsProxy proxy = new TlsProxy(front, host, port, back, line -> {
                synchronized (err) {
                    err.println(line);
                    err.flush();
                }
            })) {
                listeningUntilStopped(out, proxy.start(listen));
            }
        });
    }

    private boolean wantsTls() {
        return connectTls || connectCacertfile != null || connectCertfile != null || connectVerify != null
                || connectServerName != null || connectVersions != null || connectProvider != null
                || connectAlpn != null || connectKeyfile != null || connectPassword != null;
    }

    private ClientTlsFlags backFlags() {
        ClientTlsFlags f = new ClientTlsFlags();
        f.cacertfile = connectCacertfile;
        f.certfile = connectCertfile;
        f.key.keyfile = connectKeyfile;
        f.key.password = connectPassword;
        f.verify = connectVerify;
        f.serverName = connectServerName;
        f.engine.versions = connectVersions;
        f.engine.provider = connectProvider == null ? Provider.AUTO : connectProvider;
        f.alpn = connectAlpn;
        return f;
    }
}
