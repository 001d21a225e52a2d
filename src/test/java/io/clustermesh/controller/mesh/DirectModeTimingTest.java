package io.clustermesh.controller.mesh;

import static io.clustermesh.controller.support.Api.finished;
import static io.clustermesh.controller.support.Api.operator;
import static org.hamcrest.Matchers.equalTo;

import io.clustermesh.controller.support.SimulatedClustersResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Direct mode's enable + connect of the mixed mesh (homelab 1.15.0, cloud 1.18.11) through the REST
 * API, timed: the reference for Helm mode's figure (cilium/HelmValuesUpgradeTest, docs/ownership.md).
 */
@QuarkusTest
@QuarkusTestResource(value = SimulatedClustersResource.MixedVersions.class, restrictToAnnotatedClass = true)
class DirectModeTimingTest {
    @Test
    void enableBothAndConnect() {
        // Warm, as HelmModeTest is when it times Helm mode (its dry run comes first): the first request pays class
        // loading.
        operator()
                .queryParam("dryRun", "true")
                .put("/api/v1/clusters/homelab/clustermesh")
                .then()
                .statusCode(200);
        long started = System.nanoTime();
        finished(operator()
                        .body("{}")
                        .put("/api/v1/clusters/homelab/clustermesh")
                        .then())
                .body("state", equalTo("succeeded"));
        long homelab = System.nanoTime();
        finished(operator().body("{}").put("/api/v1/clusters/cloud/clustermesh").then())
                .body("state", equalTo("succeeded"));
        finished(operator().put("/api/v1/links/homelab/cloud").then()).body("state", equalTo("succeeded"));
        long done = System.nanoTime();
        System.out.println("Direct mode enable homelab: " + (homelab - started) / 1_000_000
                + " ms; enable both + connect: " + (done - started) / 1_000_000 + " ms");
    }
}
