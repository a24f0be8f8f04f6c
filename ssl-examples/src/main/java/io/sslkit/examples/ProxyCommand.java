package io.sslkit.examples;

import io.sslkit.Provider;
import io.sslkit.SslException;
import io.sslkit.SslOptions;
import io.sslkit.Verify;
import io.sslkit.examples.proxy.AccessLog;
import io.sslkit.examples.proxy.CertWatcher;
import io.sslkit.examples.proxy.RouteSpec;
import io.sslkit.examples.proxy.Signals;
import io.sslkit.netty.context.TlsContext;
import io.sslkit.netty.context.TlsContexts;
import io.sslkit.netty.proxy.Backend;
import io.sslkit.netty.proxy.ProxyListener;
import io.sslkit.netty.proxy.ProxySettings;
import io.sslkit.netty.proxy.Route;
import io.sslkit.netty.proxy.RouteTable;
import io.sslkit.netty.proxy.TlsProxy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sslkit proxy}: a TLS proxy (see {@link TlsProxy}). The listen side takes the same TLS flags as
 * {@code echo-server} (the default route); {@code --route} and {@code --passthrough} add routes by server name; the
 * {@code --connect-*} flags (any of them, or {@code --connect-tls} alone) make the backend side TLS too. Prints
 * {@code listening <port>} first, one line per connection on stderr, and runs until SIGTERM, which drains
 * ({@code --drain-timeout}). SIGHUP, or a change of a certificate file, reloads the certificates and routes.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A TLS proxy: TLS from clients, plain TCP (or TLS again with --connect-tls) to the server, with "
                + "back-pressure, SNI routing, limits and the PROXY protocol. Prints 'listening <port>' first; runs "
                + "until SIGTERM (drains); SIGHUP reloads certificates and routes."})
final class ProxyCommand extends ServingCommand implements Callable<Integer> {

    @Option(names = "--listen", required = true, paramLabel = "N", description = "port to listen on (0 = any free one)")
    int listen;

    @Option(names = "--connect", required = true, paramLabel = "HOST:PORT",
            description = "the server to forward to (the default route)")
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

    @Option(names = "--route", paramLabel = "NAME=CERTFILE,KEYFILE,HOST:PORT",
            description = "for server name NAME (or *.domain): this certificate and backend (repeatable)")
    List<String> route = new ArrayList<>();

    @Option(names = "--passthrough", paramLabel = "NAME=HOST:PORT",
            description = "for server name NAME (or *.domain): forward the TLS bytes untouched (repeatable)")
    List<String> passthrough = new ArrayList<>();

    @Option(names = "--send-proxy", paramLabel = "v1|v2",
            description = "send a PROXY protocol header to the backend (v2 with TLS TLVs)")
    String sendProxy;

    @Option(names = "--accept-proxy",
            description = "expect a PROXY protocol header (v1/v2) from a load balancer on every connection")
    boolean acceptProxy;

    @Option(names = "--max-connections", paramLabel = "N", description = "close new connections beyond N (default: "
            + "no limit)")
    int maxConnections;

    @Option(names = "--handshake-timeout", paramLabel = "MS", defaultValue = "10000",
            description = "client handshake timeout (default: ${DEFAULT-VALUE}; 0 = none)")
    long handshakeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "MS", defaultValue = "0",
            description = "close a connection with no byte either way for MS (default: never)")
    long idleTimeout;

    @Option(names = "--connect-timeout", paramLabel = "MS", defaultValue = "10000",
            description = "TCP connect timeout to the backend (default: ${DEFAULT-VALUE})")
    long connectTimeout;

    @Option(names = "--drain-timeout", paramLabel = "MS", defaultValue = "30000",
            description = "on SIGTERM, how long live connections may finish (default: ${DEFAULT-VALUE})")
    long drainTimeout;

    @Option(names = "--access-log", paramLabel = "FILE|-",
            description = "one line per connection (client, sni, alpn, protocol, cipher, backend, bytes, ms, outcome) "
                    + "appended to FILE, or - for stdout")
    String accessLog;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** SIGTERM was received: drain rather than close at once. */
    private volatile boolean draining;

    @Override
    public Integer call() throws InterruptedException {
        Backend fallback = backend(connect, "--connect");
        List<RouteSpec> specs = specs();
        ProxySettings.SendProxy send = sendProxyVersion();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProxySettings.Builder limits;
        try {
            limits = ProxySettings.builder()
                    .maxConnections(maxConnections)
                    .handshakeTimeoutMillis(handshakeTimeout)
                    .idleTimeoutMillis(idleTimeout)
                    .connectTimeoutMillis(connectTimeout)
                    .sendProxy(send)
                    .acceptProxy(acceptProxy);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        AccessLog log = accessLog(out);
        return serve(out, () -> {
            ProxySettings settings = limits
                    .backContext(wantsTls() ? TlsContexts.forClient(backFlags().builder().build()) : null)
                    .listener(log == null ? ProxyListener.NONE : log)
                    .build();
            try (AccessLog closeLog = log;
                 TlsProxy proxy = new TlsProxy(routes(fallback, specs), settings, line -> say(err, line));
                 Signals signals = new Signals()) {
                int port = proxy.start(listen);
                Runnable reload = () -> reload(proxy, fallback, specs, err);
                signals.on("TERM", () -> {
                    draining = true;
                    stop();
                }).on("HUP", reload);
                try (CertWatcher watcher = watch(specs, reload, err)) {
                    listeningUntilStopped(out, port);
                }
                if (draining) {
                    proxy.stopAccepting(); // before the line: whoever reads it may rely on the port being closed
                    say(err, "draining " + proxy.activeConnections() + " connections");
                    int closed = proxy.drain(Duration.ofMillis(drainTimeout));
                    say(err, "stopped" + (closed > 0 ? ", closed " + closed + " at the drain timeout" : ""));
                }
            }
        });
    }

    private AccessLog accessLog(PrintWriter out) {
        if (accessLog == null) {
            return null;
        }
        if (accessLog.equals("-")) {
            return AccessLog.to(line -> say(out, line));
        }
        try {
            return AccessLog.toFile(Path.of(accessLog));
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--access-log cannot open " + accessLog + ": " + e);
        }
    }

    private void reload(TlsProxy proxy, Backend fallback, List<RouteSpec> specs, PrintWriter err) {
        synchronized (this) { // SIGHUP and the file watcher may come together: one reload at a time
            try {
                proxy.setRoutes(routes(fallback, specs));
                say(err, "reloaded");
            } catch (SslException e) {
                say(err, "reload error " + EchoServer.oneLine(e.reason()) + " (keeping the previous certificates)");
            } catch (RuntimeException e) {
                say(err, "reload error " + e.getMessage() + " (keeping the previous certificates)");
            }
        }
    }

    /** Builds every context (reading the files): at start and at each reload. */
    private RouteTable routes(Backend fallback, List<RouteSpec> specs) throws SslException {
        Route def = Route.terminate("*", TlsContexts.forServer(tls.builder().build()), fallback);
        List<Route> routes = new ArrayList<>();
        for (RouteSpec s : specs) {
            routes.add(s.isPassthrough() ? Route.passthrough(s.name(), s.backend())
                    : Route.terminate(s.name(), TlsContexts.forServer(routeOptions(s)), s.backend()));
        }
        return new RouteTable(def, routes);
    }

    /** The listen side's flags with the route's certificate and key instead of {@code --certfile}. */
    private SslOptions routeOptions(RouteSpec s) {
        SslOptions.Builder b = tls.builder().certfile(s.certfile());
        if (s.keyfile() != null) {
            b.keyfile(s.keyfile());
        }
        return b.build();
    }

    private CertWatcher watch(List<RouteSpec> specs, Runnable reload, PrintWriter err) {
        Set<Path> files = new HashSet<>();
        if (tls.certfile != null) {
            files.add(tls.certfile);
            files.add(tls.key.keyfile != null ? tls.key.keyfile : tls.certfile);
        }
        for (RouteSpec s : specs) {
            if (!s.isPassthrough()) {
                files.add(s.certfile());
                files.add(s.keyfile() != null ? s.keyfile() : s.certfile());
            }
        }
        if (files.isEmpty()) {
            return null;
        }
        try {
            return new CertWatcher(files, reload);
        } catch (IOException e) {
            say(err, "not watching the certificate files: " + e.getMessage() + " (SIGHUP still reloads)");
            return null;
        }
    }

    private List<RouteSpec> specs() {
        List<RouteSpec> specs = new ArrayList<>();
        try {
            route.forEach(r -> specs.add(RouteSpec.parseRoute(r)));
            passthrough.forEach(r -> specs.add(RouteSpec.parsePassthrough(r)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return specs;
    }

    private Backend backend(String text, String flag) {
        try {
            return Backend.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + " needs HOST:PORT: " + text);
        }
    }

    private ProxySettings.SendProxy sendProxyVersion() {
        if (sendProxy == null) {
            return ProxySettings.SendProxy.NONE;
        }
        return switch (sendProxy) {
            case "v1" -> ProxySettings.SendProxy.V1;
            case "v2" -> ProxySettings.SendProxy.V2;
            default -> throw new ParameterException(spec.commandLine(), "--send-proxy must be v1 or v2: " + sendProxy);
        };
    }

    private static void say(PrintWriter err, String line) {
        synchronized (err) {
            err.println(line);
            err.flush();
        }
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
