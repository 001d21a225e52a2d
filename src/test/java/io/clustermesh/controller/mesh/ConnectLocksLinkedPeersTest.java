package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.sim.SimulatedWriteFault;
import io.clustermesh.controller.support.ClusterObjects;
import io.clustermesh.controller.support.SimulatedClustersResource;
import io.clustermesh.controller.support.ThreeSimulatedClustersResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A connect checks the new members' identities against the clusters they are already linked to,
 * so it reads those peers too: it holds their locks as well as those of the clusters it writes,
 * from before it reads until it ends. A peer busy with another operation makes the connect a 409,
 * and a peer is refused to other operations while the connect runs.
 */
@QuarkusTest
@QuarkusTestResource(value = ThreeSimulatedClustersResource.class, restrictToAnnotatedClass = true)
class ConnectLocksLinkedPeersTest {
    @Inject
    OperationService operations;

    @Test
    void aConnectHoldsTheLocksOfThePeersItsIdentityCheckReads() throws Exception {
        for (String name : List.of("homelab", "cloud", "sim-03")) {
            finished(operator().put("/api/v1/clusters/" + name + "/clustermesh").then())
                    .body("state", equalTo("succeeded"));
        }
        // homelab is linked to sim-03: connecting homelab to cloud reads sim-03's identity.
        finished(operator().put("/api/v1/links/homelab/sim-03").then()).body("state", equalTo("succeeded"));

        Map<String, KubernetesClient> clients = new LinkedHashMap<>();
        try {
            for (String name : List.of("homelab", "cloud", "sim-03")) {
                clients.put(name, SimulatedClustersResource.client(name));
            }
            SimulatedClustersResource.awaitSettled();
            var before = ClusterObjects.snapshot(clients);
            try (var held = operations.reserve("test-hold", "sim-03", "test", List.of("sim-03"))) {
                operator()
                        .put("/api/v1/links/homelab/cloud")
                        .then()
                        .statusCode(409)
                        .contentType("application/problem+json")
                        .body("type", equalTo("/problems/operation-in-progress"))
                        .body("detail", containsString("cluster sim-03 has operation " + held.id()));
            }
            SimulatedClustersResource.awaitSettled();
            assertThat(ClusterObjects.snapshot(clients))
                    .as("a refused connect changes nothing")
                    .isEqualTo(before);

            // A slow write keeps the connect running; meanwhile the peer it read is not free for others.
            SimulatedClustersResource.cluster("cloud").failWrite(1, SimulatedWriteFault.SLOW, Duration.ofMillis(2500));
            String connect = operator()
                    .put("/api/v1/links/homelab/cloud")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            operator()
                    .put("/api/v1/clusters/sim-03/clustermesh")
                    .then()
                    .statusCode(409)
                    .body("type", equalTo("/problems/operation-in-progress"))
                    .body("detail", containsString(connect));
            assertThat(operations.await(connect, Duration.ofSeconds(60)).state().name())
                    .isEqualTo("succeeded");
            // Once it ended, the peer is free again.
            finished(operator().put("/api/v1/clusters/sim-03/clustermesh").then())
                    .body("state", equalTo("succeeded"));
            assertThat(MeshModelTest.violations(clients)).isEmpty();
        } finally {
            clients.values().forEach(KubernetesClient::close);
        }
    }
}
