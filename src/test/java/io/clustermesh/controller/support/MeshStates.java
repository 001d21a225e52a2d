package io.clustermesh.controller.support;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.sim.SimulatedCluster;
import java.util.List;

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
        finished(operator()
                        .body(body)
                        .put("/api/v1/clusters/" + cluster + "/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
    }

    public static void connected(String a, String b) {
        finished(operator().put("/api/v1/links/" + a + "/" + b).then()).body("state", equalTo("succeeded"));
    }

    public static void disconnected(String a, String b) {
        finished(operator().delete("/api/v1/links/" + a + "/" + b).then()).body("state", equalTo("succeeded"));
    }

    /** The usual pair: homelab on its NodePort, cloud behind a load balancer, connected. */
    public static void homelabAndCloudConnected() {
        enabled("homelab", "{}");
        enabled("cloud", LOAD_BALANCER);
        connected("homelab", "cloud");
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
            finished(operator()
                            .delete("/api/v1/clusters/" + cluster + "/clustermesh")
                            .then())
                    .body("state", equalTo("succeeded"));
        }
    }

    /** Every simulated cluster without injected faults. */
    public static void healed() {
        SimulatedClustersResource.clusters().forEach(SimulatedCluster::heal);
    }
}
