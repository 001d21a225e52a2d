package io.clustermesh.controller.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.support.ClusterObjects;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Model-based concurrency test (issue 15): rounds of random parallel enable, connect, disconnect,
 * disable and certificate rotation over three simulated clusters, sent through the REST API as a
 * user would; after every round, once every operation has finished, the mesh must satisfy its
 * invariants. The seed is printed; {@code -Dmesh.model.seed=N} replays a run and
 * {@code -Dmesh.model.rounds=N} changes its length.
 */
@QuarkusTest
@QuarkusTestResource(value = MeshModelTest.ThreeClusters.class, restrictToAnnotatedClass = true)
class MeshModelTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final List<String> CLUSTERS = List.of("homelab", "cloud", "sim-03");
    private static final int PARALLEL = 20;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"(\\w+)\"");
    private static final Map<String, KubernetesClient> CLIENTS = new LinkedHashMap<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Map<String, String> SETTINGS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Three clusters of its own, so no other class's mesh is the starting state. It also takes the
     * {@code mesh.model.*} settings out of the system properties before the application starts:
     * the application refuses unknown {@code mesh.*} keys, rightly.
     */
    public static class ThreeClusters extends SimulatedClustersResource {
        public ThreeClusters() {
            super(3);
        }

        @Override
        public Map<String, String> start() {
            for (String key : List.of("mesh.model.seed", "mesh.model.rounds")) {
                String value = System.clearProperty(key);
                if (value != null) {
                    SETTINGS.put(key, value);
                }
            }
            return super.start();
        }
    }

    /** One request of a round and what became of it. */
    record Outcome(int round, String request, int status, String operation, String state, String answer) {
        @Override
        public String toString() {
            return "round " + round + ": " + request + " -> " + status
                    + (operation == null ? "" : " op " + operation + " " + state)
                    + (status >= 400 ? " " + answer.substring(0, Math.min(160, answer.length())) : "");
        }
    }

    @AfterAll
    static void closeClients() {
        CLIENTS.values().forEach(KubernetesClient::close);
        CLIENTS.clear();
    }

    @Test
    void randomParallelMutationsKeepTheMeshConsistent() throws Exception {
        long seed = Long.parseLong(SETTINGS.getOrDefault("mesh.model.seed", String.valueOf(System.nanoTime())));
        int rounds = Integer.parseInt(SETTINGS.getOrDefault("mesh.model.rounds", "30"));
        System.out.printf(
                "mesh model: seed %d (replay with -Dmesh.model.seed=%d), %d rounds of %d parallel operations%n",
                seed, seed, rounds, PARALLEL);
        CLUSTERS.forEach(c -> CLIENTS.put(c, SimulatedClustersResource.client(c)));
        Random random = new Random(seed);
        List<Outcome> all = new ArrayList<>();
        Map<String, Integer> tally = new TreeMap<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            for (int round = 1; round <= rounds; round++) {
                List<String[]> requests = new ArrayList<>();
                for (int i = 0; i < PARALLEL; i++) {
                    requests.add(randomRequest(random));
                }
                int r = round;
                List<Future<Outcome>> futures = new ArrayList<>();
                for (String[] request : requests) {
                    futures.add(pool.submit(() -> send(r, request)));
                }
                List<Outcome> outcomes = new ArrayList<>();
                for (Future<Outcome> f : futures) {
                    outcomes.add(f.get());
                }
                List<Outcome> finished = new ArrayList<>();
                for (Outcome o : outcomes) {
                    finished.add(o.operation() == null ? o : awaitOperation(o));
                }
                all.addAll(finished);
                finished.forEach(o ->
                        tally.merge(o.operation() == null ? String.valueOf(o.status()) : o.state(), 1, Integer::sum));
                List<String> violations = violations(CLIENTS);
                if (!violations.isEmpty()) {
                    ClusterObjects.dump("mesh-model-round-" + round, ClusterObjects.snapshot(CLIENTS));
                    String records = String.join(
                            "\n", finished.stream().map(Outcome::toString).toList());
                    long succeeded = finished.stream()
                            .filter(o -> "succeeded".equals(o.state()))
                            .count();
                    throw new AssertionError("mesh model: seed " + seed + ", round " + round + " of " + rounds + ": "
                            + violations.size()
                            + " invariant violation(s) after " + succeeded + " operation(s) that said succeeded:\n  "
                            + String.join("\n  ", violations) + "\noperation records of the round:\n" + records);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(
                "mesh model: seed %d, %d rounds, %d requests in %.1f s, outcomes %s%n",
                seed, rounds, all.size(), (System.nanoTime() - started) / 1e9, tally);
        assertThat(all).as("operations actually ran").anyMatch(o -> "succeeded".equals(o.state()));
        assertThat(all)
                .as("every operation that started finished")
                .allMatch(o ->
                        o.operation() == null || !Set.of("pending", "running").contains(o.state()));
    }

    private static String[] randomRequest(Random random) {
        String a = CLUSTERS.get(random.nextInt(CLUSTERS.size()));
        String b = CLUSTERS.get((CLUSTERS.indexOf(a) + 1 + random.nextInt(CLUSTERS.size() - 1)) % CLUSTERS.size());
        int pick = random.nextInt(100);
        if (pick < 25) {
            return new String[] {"PUT", "/api/v1/clusters/" + a + "/clustermesh", "{}"};
        }
        if (pick < 55) {
            return new String[] {"PUT", "/api/v1/links/" + a + "/" + b, null};
        }
        if (pick < 80) {
            return new String[] {"DELETE", "/api/v1/links/" + a + "/" + b, null};
        }
        if (pick < 90) {
            return new String[] {"DELETE", "/api/v1/clusters/" + a + "/clustermesh", null};
        }
        return new String[] {
            "POST", "/api/v1/clusters/" + a + "/certificates/rotations", random.nextInt(3) == 0 ? "{\"ca\":true}" : "{}"
        };
    }

    private Outcome send(int round, String[] request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base().resolve(request[1]))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + SimulatedClustersResource.OPERATOR_TOKEN)
                .header("Content-Type", "application/json")
                .method(
                        request[0],
                        request[2] == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(request[2]));
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        String label = request[0] + " " + request[1] + (request[2] == null ? "" : " " + request[2]);
        if (response.statusCode() >= 500) {
            return new Outcome(round, label, response.statusCode(), null, null, response.body());
        }
        Matcher id = ID.matcher(response.body());
        String operation = response.statusCode() == 202 && id.find() ? id.group(1) : null;
        return new Outcome(
                round, label, response.statusCode(), operation, operation == null ? null : "pending", response.body());
    }

    private Outcome awaitOperation(Outcome o) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String body = "";
        String state = "pending";
        while (System.nanoTime() < until) {
            body = http.send(
                            HttpRequest.newBuilder(base().resolve("/api/v1/operations/" + o.operation()))
                                    .header("Authorization", "Bearer " + SimulatedClustersResource.OPERATOR_TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher m = STATE.matcher(body);
            state = m.find() ? m.group(1) : "unknown";
            if (!state.equals("pending") && !state.equals("running")) {
                break;
            }
            Thread.sleep(50);
        }
        return new Outcome(o.round(), o.request(), o.status(), o.operation(), state, body);
    }

    /** The mesh invariants over these clusters, read from the clusters themselves; empty when they hold. */
    static List<String> violations(Map<String, KubernetesClient> clients) {
        List<String> found = new ArrayList<>();
        Map<String, Set<String>> kvstoremesh = new TreeMap<>();
        Map<String, String> cas = new TreeMap<>();
        for (String cluster : clients.keySet()) {
            KubernetesClient client = clients.get(cluster);
            Set<String> kv = remotes(
                    client.secrets()
                            .inNamespace(NS)
                            .withName(CiliumNames.KVSTOREMESH_SECRET)
                            .get(),
                    clients.keySet());
            Set<String> cm = remotes(
                    client.secrets()
                            .inNamespace(NS)
                            .withName(CiliumNames.CLUSTERMESH_SECRET)
                            .get(),
                    clients.keySet());
            Deployment apiserver = client.apps()
                    .deployments()
                    .inNamespace(NS)
                    .withName(CiliumNames.APISERVER)
                    .get();
            Set<String> aliased = new TreeSet<>();
            if (apiserver != null) {
                List<HostAlias> aliases = Objects.requireNonNullElse(
                        apiserver.getSpec().getTemplate().getSpec().getHostAliases(), List.of());
                aliases.forEach(a -> a.getHostnames().stream()
                        .filter(h -> h.endsWith("." + CiliumNames.MESH_DOMAIN))
                        .forEach(h -> aliased.add(h.substring(0, h.length() - CiliumNames.MESH_DOMAIN.length() - 1))));
            }
            kvstoremesh.put(cluster, kv);
            if (!kv.equals(cm)) {
                found.add(cluster + ": " + CiliumNames.KVSTOREMESH_SECRET + " lists " + kv + " but "
                        + CiliumNames.CLUSTERMESH_SECRET + " lists " + cm);
            }
            if (!kv.equals(aliased)) {
                found.add(cluster + ": " + CiliumNames.KVSTOREMESH_SECRET + " lists " + kv
                        + " but the clustermesh-apiserver host aliases name " + aliased);
            }
            if (apiserver == null && !kv.isEmpty()) {
                found.add(cluster + ": no clustermesh-apiserver but entries for " + kv);
            }
            Secret ca = client.secrets()
                    .inNamespace(NS)
                    .withName(ApiServerObjects.MESH_CA_SECRET)
                    .get();
            if (ca != null) {
                cas.put(cluster, MeshEngineTest.decode(ca, CiliumNames.CA_CRT));
            }
        }
        kvstoremesh.forEach((cluster, remotes) -> remotes.forEach(remote -> {
            if (!kvstoremesh.getOrDefault(remote, Set.of()).contains(cluster)) {
                found.add("half a link: " + cluster + " has entries for " + remote + ", " + remote + " none for "
                        + cluster);
            }
        }));
        if (new TreeSet<>(cas.values()).size() > 1) {
            found.add("shared CA asked, but " + new TreeSet<>(cas.values()).size() + " different mesh CAs in "
                    + cas.keySet());
        }
        return found;
    }

    /** The remote cluster names a clustermesh Secret holds entries for. */
    private static Set<String> remotes(Secret secret, Set<String> clusters) {
        Set<String> names = new TreeSet<>();
        if (secret != null && secret.getData() != null) {
            secret.getData().keySet().stream().filter(clusters::contains).forEach(names::add);
        }
        return names;
    }

    private static URI base() {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port);
    }
}
