package io.clustermesh.controller.sim;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP face of a simulated cluster: fabric8's CRUD mock for objects, plus what a real API
 * server also offers that the mock lacks (discovery for kubectl, pod proxy to agent metrics),
 * network latency, faults, and a request counter for the API-cost benchmark.
 */
final class SimulatedApiServer extends Dispatcher {
    private static final Pattern POD_PROXY =
            Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/:]+):(\\d+)/proxy(/.*)?$");
    private static final Pattern POD_EXEC = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/exec$");
    private static final Pattern POD_LOG = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/log$");
    private static final Duration BLACKHOLE_DELAY = Duration.ofHours(1);
    static final String INTERNAL_HEADER = "X-Simulation-Internal";

    private final KubernetesCrudDispatcher crud;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong execs = new AtomicLong();
    /** Writes answered so far, the simulation's own included: the control loop has nothing to do while this stands still. */
    private final AtomicLong writes = new AtomicLong();

    private volatile Duration latency = Duration.ZERO;
    private volatile Duration jitter = Duration.ZERO;
    private volatile boolean apiserverDown;
    private volatile boolean blackhole;
    private volatile BiFunction<String, String, String> podProxy = (pod, path) -> null;
    private volatile SimulatedExec.Handler exec = (pod, container, command) -> null;
    private volatile BiFunction<String, String, String> podLog = (pod, container) -> null;
    private final AtomicLong writesUntilFault = new AtomicLong(-1);
    private volatile SimulatedWriteFault writeFault;
    private volatile Duration writeFaultHold = Duration.ZERO;
    /** Open watch connections, so a fault can cut them the way a dead network or API server would. */
    private final java.util.Set<WebSocket> watches = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** GETs per path, so a fault can wait until clients whose watches it cut have asked again. */
    private final Map<String, AtomicLong> readsByPath = new java.util.concurrent.ConcurrentHashMap<>();

    /** Requests from outside the simulation by kind ({@link #kind}), for the API-cost benchmark's breakdown. */
    private final Map<String, AtomicLong> requestsByKind = new java.util.concurrent.ConcurrentHashMap<>();

    private static final Pattern NAMED = Pattern.compile("/(pods|nodes|ciliumnodes|secrets|configmaps)/[^/]+");
    private static final Duration CUT_ACKNOWLEDGED_WITHIN = Duration.ofSeconds(3);
    /** Requests from outside the simulation, in arrival order, while a test records them (null: not recording). */
    private volatile java.util.Queue<SimulatedCluster.Request> recording;

    SimulatedApiServer(KubernetesCrudDispatcher crud) {
        this.crud = crud;
    }

    void latency(Duration latency, Duration jitter) {
        this.latency = latency;
        this.jitter = jitter;
    }

    void apiserverDown(boolean down) {
        this.apiserverDown = down;
        if (down) {
            cutWatches();
        }
    }

    void blackhole(boolean on) {
        this.blackhole = on;
        if (on) {
            cutWatches();
        }
    }

    /**
     * Ends every open watch with "410 Gone", as an API server does when a watch can no longer be
     * served: clients must list again, which a faulted cluster does not answer. Without this a
     * watch opened before the fault would keep looking alive.
     */
    private void cutWatches() {
        Map<String, Long> awaited = new HashMap<>();
        for (WebSocket socket : watches) {
            String path = bare(socket.request().getPath());
            awaited.merge(path, reads(path) + 1, (earlier, next) -> earlier + 1);
            socket.send(
                    "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                            + "\"reason\":\"Expired\",\"message\":\"simulated fault\",\"code\":410}}");
            socket.close(1000, "simulated fault");
            watches.remove(socket);
        }
        // A client asks again (list or watch) only after it has marked its watch as ended: waiting
        // for that keeps a read made right after the fault from being answered by a watch it has not
        // yet seen cut.
        long until = System.nanoTime() + CUT_ACKNOWLEDGED_WITHIN.toNanos();
        while (System.nanoTime() < until
                && awaited.entrySet().stream().anyMatch(e -> reads(e.getKey()) < e.getValue())) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long reads(String path) {
        AtomicLong count = readsByPath.get(path);
        return count == null ? 0 : count.get();
    }

    private static String bare(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    int openWatches() {
        return watches.size();
    }

    /** Answers pod-proxy GETs: (pod name, path) → body, or null for 404. */
    void podProxy(BiFunction<String, String, String> handler) {
        this.podProxy = handler;
    }

    /** Answers pod exec: (pod, container, command) → result, or null for 404. */
    void exec(SimulatedExec.Handler handler) {
        this.exec = handler;
    }

    /** Answers pod log GETs: (pod, container) → text, or null when the pod has no simulated log. */
    void podLog(BiFunction<String, String, String> handler) {
        this.podLog = handler;
    }

    /** Arms {@code fault} for the {@code nth} write (POST, PUT, PATCH, DELETE) from now on; it fires once. */
    void failWrite(int nth, SimulatedWriteFault fault, Duration hold) {
        this.writeFault = fault;
        this.writeFaultHold = hold;
        writesUntilFault.set(nth);
    }

    /** Starts (again) recording every request from outside the simulation; returns the queue they go to. */
    java.util.Queue<SimulatedCluster.Request> record() {
        java.util.Queue<SimulatedCluster.Request> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
        recording = queue;
        return queue;
    }

    /**
     * A request's kind: method and path with object names left out (they differ per cluster), and
     * whether it is a watch, so counts add up across clusters.
     */
    static String kind(String method, String bare, String query) {
        boolean watch = query.contains("watch=true") || query.contains("watch=1");
        return method + " " + NAMED.matcher(bare).replaceAll("/$1/{name}") + (watch ? " (watch)" : "");
    }

    Map<String, Long> requestsByKind() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        requestsByKind.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    long requestCount() {
        return requests.get();
    }

    /** Exec calls are the costly path (a process in the agent pod); the benchmark expects none while healthy. */
    long execCount() {
        return execs.get();
    }

    long writeCount() {
        return writes.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return answer(request);
        } finally {
            // Counted once the write is applied, so a reader that saw the old count also sees the change.
            if (isWrite(request.getMethod())) {
                writes.incrementAndGet();
            }
        }
    }

    private MockResponse answer(RecordedRequest request) {
        if (request.getHeader(INTERNAL_HEADER) != null) {
            return crud.dispatch(request);
        }
        requests.incrementAndGet();
        String path = request.getPath();
        java.util.Queue<SimulatedCluster.Request> recorder = recording;
        if (recorder != null) {
            recorder.add(new SimulatedCluster.Request(request.getMethod(), path));
        }
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        requestsByKind
                .computeIfAbsent(
                        kind(request.getMethod(), bare, query < 0 ? "" : path.substring(query + 1)),
                        k -> new AtomicLong())
                .incrementAndGet();
        if (POD_EXEC.matcher(bare).matches()) {
            execs.incrementAndGet();
        }
        if ("GET".equals(request.getMethod())) {
            readsByPath.computeIfAbsent(bare, k -> new AtomicLong()).incrementAndGet();
        }
        if (blackhole) {
            holdWhileBlackholed();
        }
        if (apiserverDown) {
            return delayed(
                    new MockResponse()
                            .setResponseCode(503)
                            .setBody(
                                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"ServiceUnavailable\",\"code\":503}"));
        }
        SimulatedWriteFault fault =
                isWrite(request.getMethod()) && writesUntilFault.get() > 0 && writesUntilFault.decrementAndGet() == 0
                        ? writeFault
                        : null;
        if (fault != null) {
            return faulted(fault, request);
        }
        if (bare.startsWith("/openapi/") && "GET".equals(request.getMethod())) {
            return delayed(status(404, "NotFound"));
        }
        String discovery = DiscoveryDocuments.forPath(bare);
        if (discovery != null && "GET".equals(request.getMethod())) {
            return delayed(json(discovery));
        }
        Matcher proxy = POD_PROXY.matcher(bare);
        if (proxy.matches()) {
            String body = podProxy.apply(proxy.group(2), proxy.group(4) == null ? "/" : proxy.group(4));
            return delayed(
                    body == null
                            ? new MockResponse().setResponseCode(404)
                            : new MockResponse().setResponseCode(200).setBody(body));
        }
        Matcher execPath = POD_EXEC.matcher(bare);
        if (execPath.matches()) {
            return SimulatedExec.respond(exec, execPath.group(2), query < 0 ? "" : path.substring(query + 1));
        }
        Matcher logPath = POD_LOG.matcher(bare);
        if (logPath.matches() && "GET".equals(request.getMethod())) {
            String log = podLog.apply(
                    logPath.group(2), queryParameter(query < 0 ? "" : path.substring(query + 1), "container"));
            if (log != null) {
                return delayed(new MockResponse()
                        .setResponseCode(200)
                        .setHeader("Content-Type", "text/plain")
                        .setBody(log));
            }
        }
        MockResponse response;
        try {
            RecordedRequest readable = asJson(request);
            response = isStrategicMergePatch(readable) ? strategicMergePatch(readable, bare) : crud.dispatch(readable);
        } catch (RequestRefused refused) {
            return delayed(status(refused.code, refused.reason));
        }
        if ("GET".equals(request.getMethod()) && response.code() == 200 && response.getWebSocketListener() == null) {
            typedList(response, bare);
        }
        if (response.getWebSocketListener() == null && response.header("Content-Type") == null) {
            // The mock's answers are JSON but unlabelled; client-go would read them as the protobuf it asked for.
            response.setHeader("Content-Type", "application/json");
        }
        return response.getWebSocketListener() != null ? tracked(response) : delayed(response);
    }

    /**
     * The request as JSON for the CRUD mock: client-go clients (Helm's release storage) send protobuf
     * bodies, which a real API server decodes. Answers stay JSON, which those clients accept.
     */
    private static RecordedRequest asJson(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        if (!KubernetesProtobuf.isProtobuf(contentType)
                || request.getBody() == null
                || request.getBody().size() == 0) {
            return request;
        }
        if (!"POST".equals(request.getMethod())
                && !"PUT".equals(request.getMethod())
                && !"DELETE".equals(request.getMethod())) {
            // PATCH bodies are JSON or YAML patches; no patch type is protobuf.
            throw new RequestRefused(
                    415, "UnsupportedMediaType", "the body of a " + request.getMethod() + " is never protobuf");
        }
        String json = KubernetesProtobuf.toJson(request.getBody().getBytes());
        if ("DELETE".equals(request.getMethod())) {
            json = "";
        }
        var headers = request.getHeaders()
                .newBuilder()
                .set("Content-Type", "application/json")
                .build();
        return new RecordedRequest(
                request.getRequestLine(),
                request.method(),
                request.getPath(),
                headers,
                new io.fabric8.mockwebserver.http.Buffer(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * The mock answers every collection as kind {@code List}; a real API server names the list type
     * ({@code SecretList}), and client-go (Helm) decodes an untyped {@code List} into an empty one.
     */
    private static void typedList(MockResponse response, String bare) {
        String[] list = DiscoveryDocuments.listType(bare);
        byte[] body = response.getBody() == null ? null : response.getBody().getBytes();
        if (list == null || body == null) {
            return;
        }
        try {
            if (PATCH_JSON.readTree(body) instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                    && "List".equals(object.path("kind").asText())) {
                object.put("apiVersion", list[0]).put("kind", list[1]);
                response.setBody(PATCH_JSON.writeValueAsString(object));
            }
        } catch (java.io.IOException e) {
            // not JSON: leave it as it is
        }
    }

    private static boolean isStrategicMergePatch(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        return "PATCH".equals(request.getMethod())
                && contentType != null
                && contentType.startsWith("application/strategic-merge-patch+json");
    }

    /**
     * A strategic merge patch (Helm's updates) as the API server applies it: read, merge, write back
     * under the read resourceVersion, and again when a concurrent write got there first.
     */
    private MockResponse strategicMergePatch(RecordedRequest request, String bare) {
        com.fasterxml.jackson.databind.JsonNode patch;
        try {
            patch = PATCH_JSON.readTree(request.getBody().getBytes());
        } catch (java.io.IOException e) {
            return status(400, "BadRequest");
        }
        for (int attempt = 0; ; attempt++) {
            var internal = request.getHeaders()
                    .newBuilder()
                    .set(INTERNAL_HEADER, "true")
                    .build();
            MockResponse current = crud.dispatch(new RecordedRequest(
                    "GET " + bare + " HTTP/1.1",
                    io.fabric8.mockwebserver.dsl.HttpMethod.GET,
                    bare,
                    internal,
                    new io.fabric8.mockwebserver.http.Buffer()));
            if (current.code() != 200) {
                return current;
            }
            String merged;
            try {
                merged = PATCH_JSON.writeValueAsString(StrategicMergePatch.apply(
                        PATCH_JSON.readTree(current.getBody().getBytes()), patch));
            } catch (java.io.IOException e) {
                return status(500, "InternalError");
            }
            var json = request.getHeaders()
                    .newBuilder()
                    .set("Content-Type", "application/json")
                    .build();
            MockResponse written = crud.dispatch(new RecordedRequest(
                    "PUT " + bare + " HTTP/1.1",
                    io.fabric8.mockwebserver.dsl.HttpMethod.PUT,
                    bare,
                    json,
                    new io.fabric8.mockwebserver.http.Buffer(
                            merged.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            if (written.code() != 409 || attempt == 4) {
                return written;
            }
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PATCH_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static String queryParameter(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(
                        pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private MockResponse tracked(MockResponse response) {
        WebSocketListener inner = response.getWebSocketListener();
        return response.withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onBeforeAccept(WebSocket socket, io.fabric8.mockwebserver.http.Response upgrade) {
                inner.onBeforeAccept(socket, upgrade);
            }

            @Override
            public void onMessage(WebSocket socket, byte[] bytes) {
                inner.onMessage(socket, bytes);
            }

            @Override
            public void onOpen(WebSocket socket, io.fabric8.mockwebserver.http.Response upgrade) {
                watches.add(socket);
                inner.onOpen(socket, upgrade);
            }

            @Override
            public void onMessage(WebSocket socket, String text) {
                inner.onMessage(socket, text);
            }

            @Override
            public void onClosing(WebSocket socket, int code, String reason) {
                watches.remove(socket);
                inner.onClosing(socket, code, reason);
            }

            @Override
            public void onClosed(WebSocket socket, int code, String reason) {
                watches.remove(socket);
                inner.onClosed(socket, code, reason);
            }

            @Override
            public void onFailure(WebSocket socket, Throwable error, io.fabric8.mockwebserver.http.Response response) {
                watches.remove(socket);
                inner.onFailure(socket, error, response);
            }
        });
    }

    private static boolean isWrite(String method) {
        return "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method) || "DELETE".equals(method);
    }

    /** Timers, never a blocked server thread: other requests to this cluster keep being answered. */
    private MockResponse faulted(SimulatedWriteFault fault, RecordedRequest request) {
        return switch (fault) {
            case ERROR_500 -> status(500, "InternalError");
            case CONFLICT_409 -> status(409, "Conflict");
            case HANG -> status(504, "Timeout").setBodyDelay(writeFaultHold);
            case SLOW -> crud.dispatch(request).setBodyDelay(writeFaultHold);
        };
    }

    private static MockResponse status(int code, String reason) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
                        + "\",\"code\":" + code + "}");
    }

    /**
     * A black hole answers nothing: the request is held until the fault is healed (or for an
     * hour). It blocks this simulated cluster's own server thread, which is what a dead network
     * looks like from the client's side.
     */
    private void holdWhileBlackholed() {
        long until = System.nanoTime() + BLACKHOLE_DELAY.toNanos();
        while (blackhole && System.nanoTime() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private MockResponse delayed(MockResponse response) {
        long base = latency.toNanos();
        long spread = jitter.toNanos();
        if (base == 0 && spread == 0) {
            return response;
        }
        long nanos = base + (spread > 0 ? ThreadLocalRandom.current().nextLong(-spread, spread + 1) : 0);
        return response.setBodyDelay(Duration.ofNanos(Math.max(0, nanos)));
    }

    private static MockResponse json(String body) {
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(body);
    }
}
