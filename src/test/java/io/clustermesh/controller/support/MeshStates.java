package io.clustermesh.controller.support;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.sim.SimulatedCluster;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Idempotent fixture steps for tests on shared simulated clusters: each brings the mesh to the
 * state a test needs from whatever state the class's other tests left, through the service's own
 * API (whose mutations converge), so every test passes alone and in any order.
 */
public final class MeshStates {
    /** The usual cloud cluster: a cloud load balancer in front of its clustermesh-apiserver. */
    public static final String LOAD_BALANCER = "{\"serviceType\":\"LoadBalancer\"}";

    private MeshStates() {}

    /** ClusterMesh enabled on {@code cluster} with {@code body} (e.g. its service type; {@code "{}"} for the defaults). */
    public static void enabled(String cluster, String body) {
        converge(() -> operator().body(body).put("/api/v1/clusters/" + cluster + "/clustermesh"));
    }

    public static void connected(String a, String b) {
        converge(() -> operator().put("/api/v1/links/" + a + "/" + b));
    }

    public static void disconnected(String a, String b) {
        converge(() -> operator().delete("/api/v1/links/" + a + "/" + b));
    }

    /** The usual pair: homelab on its NodePort, cloud behind a load balancer, connected. */
    public static void homelabAndCloudConnected() {
        enabled("homelab", "{}");
        enabled("cloud", LOAD_BALANCER);
        connected("homelab", "cloud");
    }

    /** Waits until the link between {@code a} and {@code b} reads healthy (both planes, both directions). */
    public static void healthyLink(String a, String b) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> operator()
                        .get("/api/v1/links/" + a + "/" + b)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("healthy")));
    }

    /** ClusterMesh off on every cluster named, after disconnecting each from every simulated cluster. */
    public static void disabled(String... clusters) {
        List<String> all = SimulatedClustersResource.clusters().stream()
                .map(SimulatedCluster::name)
                .toList();
        for (String cluster : clusters) {
            for (String other : all) {
                if (!other.equals(cluster)) {
                    disconnected(cluster, other);
                }
            }
            converge(() -> operator().delete("/api/v1/clusters/" + cluster + "/clustermesh"));
        }
    }

    /**
     * Runs a mutation until an operation of it succeeds. A setup step is not what a test checks:
     * a cluster that missed its deadline on a loaded machine (502), a cluster still busy with an
     * operation a previous test started (409) or an operation that failed midway is tried again,
     * as the mutations converge on re-run. Any other refusal fails the test.
     */
    private static void converge(Supplier<Response> mutation) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Response response = mutation.get();
            int status = response.statusCode();
            if (status == 202) {
                ValidatableResponse done = finished(response.then());
                if ("succeeded".equals(done.extract().path("state"))) {
                    return;
                }
                last = done.extract().asString();
            } else if (status == 502
                    || (status == 409 && "/problems/operation-in-progress".equals(response.path("type")))) {
                last = response.asString();
            } else {
                throw new AssertionError("setup step refused with " + status + ": " + response.asString());
            }
            sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("setup step did not converge within 90 s; last answer: " + last);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every simulated cluster without injected faults. */
    public static void healed() {
        SimulatedClustersResource.clusters().forEach(SimulatedCluster::heal);
    }
}
