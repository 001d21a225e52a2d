package io.clustermesh.controller.tailscale;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP/1.1 request. Headers are sent as given; {@code Host}, {@code Content-Length} and
 * {@code Connection: close} are added by {@link NettyHttpClient} unless set here.
 */
public record HttpRequestSpec(
        HttpTarget target, String method, String pathAndQuery, Map<String, String> headers, byte[] body) {

    public HttpRequestSpec {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpRequestSpec of(String method, URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new HttpRequestSpec(HttpTarget.of(uri), method, path + query, Map.of(), null);
    }

    public static HttpRequestSpec unixSocket(Path socket, String method, String pathAndQuery) {
        return new HttpRequestSpec(new HttpTarget.UnixSocket(socket), method, pathAndQuery, Map.of(), null);
    }

    public HttpRequestSpec withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpRequestSpec(target, method, pathAndQuery, copy, body);
    }

    public HttpRequestSpec withBody(String contentType, byte[] content) {
        return new HttpRequestSpec(target, method, pathAndQuery, headers, content)
                .withHeader("Content-Type", contentType);
    }

    /**
     * Deliberately omits header values: the Authorization header carries the API key or
     * access token, and this string may end up in a log line or an exception message.
     */
    @Override
    public String toString() {
        return method + " " + pathAndQuery;
    }
}
