package io.clustermesh.controller.reachability;

import io.clustermesh.controller.problems.ProblemException;

/** A dialable {@code host:port}; the host is a DNS name or an IP literal (IPv6 in brackets). */
public record HostPort(String host, int port) {

    /** Anything but {@code host:port} with a port in 1..65535 is a 400 naming {@code field}. */
    public static HostPort parse(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            throw ProblemException.invalid(field, "endpoint is empty; give host:port");
        }
        String text = raw.trim();
        if (text.contains("://") || text.contains("/") || text.contains(" ")) {
            throw ProblemException.invalid(
                    field, "endpoint '" + raw + "' is not host:port (no scheme, path or spaces)");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw ProblemException.invalid(field, "endpoint '" + raw + "' is not host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw ProblemException.invalid(
                    field, "endpoint '" + raw + "' is not host:port (write IPv6 as [addr]:port)");
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:_-]+")) {
            throw ProblemException.invalid(field, "endpoint '" + raw + "' has an invalid host");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ProblemException.invalid(field, "endpoint '" + raw + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw ProblemException.invalid(field, "endpoint '" + raw + "' has port " + port + " out of range 1-65535");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
