package io.clustermesh.controller.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clustermesh.controller.reachability.SimulatedNetworkOracle;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A simulator extension, not part of any Kubernetes or Cilium API: the simulated network answers
 * "what would a TCP dial to {@code host:port} meet" over HTTP on loopback, for a service that runs
 * in another process than the simulation (the benchmark) and so cannot ask {@link
 * SimulatedReachability} in-process. Served apart from the simulated API servers, because a
 * black-holed API server holds every request sent to it, and the network's answer must not depend
 * on the faults it describes. Kubeconfigs of simulated clusters name it (extension {@code network}).
 *
 * <p>{@code GET /simulated-network/v1/dial?host=H&port=P} answers {@code {"routed":false}} when
 * nothing owns the address, else the dial's result; anything else is refused (400, 404, 405).
 */
final class SimulatedNetworkEndpoint {
    static final String BASE_PATH = "/simulated-network/v1";
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9.:\\-]{1,253}$");
    private static final Set<String> PARAMETERS = Set.of("host", "port");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SimulatedReachability NETWORK = new SimulatedReachability();

    private static HttpServer server;
    private static ExecutorService workers;

    private SimulatedNetworkEndpoint() {}

    /** The endpoint's base URL, starting it on first use (loopback, a free port). */
    static synchronized String url() {
        if (server == null) {
            try {
                HttpServer started = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                started.createContext("/", SimulatedNetworkEndpoint::handle);
                workers = Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "sim-network-endpoint");
                    t.setDaemon(true);
                    return t;
                });
                started.setExecutor(workers);
                started.start();
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the simulated network's endpoint", e);
            }
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH;
    }

    /** Stops it (its dispatcher thread would keep the JVM alive) once no simulated cluster is left. */
    static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            server = null;
            workers = null;
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!(BASE_PATH + "/dial").equals(path)) {
                refuse(exchange, 404, "not-found", null, "the simulated network serves only " + BASE_PATH + "/dial");
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                refuse(exchange, 405, "method-not-allowed", null, "only GET");
                return;
            }
            Map<String, String> query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!PARAMETERS.contains(name) || query.put(name, value) != null) {
                    refuse(exchange, 400, "invalid-input", name, "parameters are host and port, each once");
                    return;
                }
            }
            String host = query.getOrDefault("host", "");
            if (!HOST.matcher(host).matches()) {
                refuse(exchange, 400, "invalid-input", "host", "host must be an IP address or DNS name");
                return;
            }
            int port;
            try {
                port = Integer.parseInt(query.getOrDefault("port", ""));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                refuse(exchange, 400, "invalid-input", "port", "port must be 1-65535");
                return;
            }
            Optional<SimulatedNetworkOracle.Dial> dial = NETWORK.dial(host, port);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("routed", dial.isPresent());
            dial.ifPresent(d -> {
                body.put("result", d.result());
                body.put("servedClusterName", d.servedClusterName());
                body.put("servedClusterId", d.servedClusterId());
                body.put("latencyMs", d.latencyMs());
                body.put("detail", d.detail());
            });
            send(exchange, 200, "application/json", body);
        }
    }

    private static void refuse(HttpExchange exchange, int status, String type, String field, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:clustermesh-controller:simulated-network:" + type);
        problem.put("status", status);
        problem.put("detail", detail);
        if (field != null) {
            problem.put("field", field);
        }
        send(exchange, status, "application/problem+json", problem);
    }

    private static void send(HttpExchange exchange, int status, String contentType, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
