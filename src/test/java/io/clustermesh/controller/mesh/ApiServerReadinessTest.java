package io.clustermesh.controller.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiServerReadinessTest {

    /** spec replicas, generation, observed, status replicas, updated, ready, available → ready? */
    @ParameterizedTest(name = "{7}")
    @CsvSource({
        "1, 2, 2, 1, 1, 1, 1, true,  rollout complete",
        "1, 2, 1, 1, 1, 1, 1, false, new template not observed yet",
        "1, 2, 2, 2, 1, 2, 2, false, surge: the old pod still runs next to the ready new one",
        "1, 2, 2, 2, 1, 1, 1, false, surge: new pod not ready yet",
        "1, 2, 2, 1, 0, 1, 1, false, only the old pod is ready",
        "1, 2, 2, 1, 1, 0, 0, false, new pod's readiness probe not passed",
        "2, 3, 3, 2, 2, 2, 1, false, one of two updated replicas not available",
        "0, 1, 1, 0, 0, 0, 0, false, scaled to zero",
    })
    void readyOnlyWhenTheRolloutOfTheCurrentTemplateIsComplete(
            int wanted,
            long generation,
            long observed,
            int replicas,
            int updated,
            int ready,
            int available,
            boolean expected,
            String why) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata()
                .withName("clustermesh-apiserver")
                .withGeneration(generation)
                .endMetadata()
                .withNewSpec()
                .withReplicas(wanted)
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(observed)
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .endStatus()
                .build();
        assertThat(ApiServerReadiness.isReady(d)).as(why).isEqualTo(expected);
        assertThat(ApiServerReadiness.notReadyReason(d) == null).isEqualTo(expected);
    }
}
