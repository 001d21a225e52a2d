package io.clustermesh.controller.tailscale;

import java.net.URI;
import java.nio.file.Path;

/** Where a request goes: a TCP host (plain or TLS) or a Unix domain socket (tailscaled, §7). */
public sealed interface HttpTarget {

    record Tcp(String host, int port, boolean tls) implements HttpTarget {
        /** The Host header value; the port is omitted when it is the scheme's default. */
        String authority() {
            String h = host.contains(":") ? "[" + host + "]" : host;
            boolean defaultPort = tls ? port == 443 : port == 80;
            return defaultPort ? h : h + ":" + port;
        }
    }

    record UnixSocket(Path path) implements HttpTarget {}

    static Tcp of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("only http and https URLs are supported: " + uri);
        }
        boolean tls = scheme.equals("https");
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("URL has no host: " + uri);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : (tls ? 443 : 80);
        return new Tcp(host, port, tls);
    }
}
