package io.clustermesh.controller.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.contexts.ClusterRegistry;
import io.clustermesh.controller.support.Kubeconfigs;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan that writes one object in two phases (a CA rotation writes each TLS Secret three times),
 * run by the executor against a fabric8 CRUD mock server: the later write goes on top of the
 * earlier one, and still stops on anybody else's write in between.
 */
class PlanExecutorRewriteTest {
    private static final String NS = "kube-system";

    @TempDir
    Path dir;

    private KubernetesMockServer server;
    private KubernetesClient client;
    private PlanExecutor executor;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void startCluster() throws IOException {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        client.resource(secret(null, "v0")).create();
        Files.writeString(
                dir.resolve("lab"), Kubeconfigs.of("lab", client.getMasterUrl().toString()));
        ClusterRegistry registry = Kubeconfigs.registry(dir, Duration.ofSeconds(2), Duration.ofSeconds(5));
        executor = new PlanExecutor(registry, new OperationService(Clock.systemUTC(), new SimpleMeterRegistry()));
    }

    @AfterEach
    void stopCluster() {
        client.close();
        server.destroy();
    }

    @Test
    void aSecondWriteOfOneObjectGoesOnTopOfTheFirst() {
        Secret read = client.secrets().inNamespace(NS).withName("s").get();
        Plan plan = twoPhases(read, Optional.empty());

        executor.run(plan, context());

        assertThat(client.secrets().inNamespace(NS).withName("s").get().getData())
                .containsEntry("phase", "djI=");
        assertThat(progress)
                .containsExactly(
                        "start phase 1/2: lab: update Secret kube-system/s",
                        "succeed phase 1/2: lab: update Secret kube-system/s",
                        "start phase 2/2: lab: update Secret kube-system/s",
                        "succeed phase 2/2: lab: update Secret kube-system/s");
        // The rule: sent as planned (at the resourceVersion it was read at), the second write is refused.
        var again = client.secrets().inNamespace(NS).withName("s").get();
        assertThat(again.getMetadata().getResourceVersion())
                .isNotEqualTo(read.getMetadata().getResourceVersion());
        Secret asPlanned = (Secret) ((Step.Write) ((Step.InPhase) plan.steps().get(1)).step()).desired();
        assertThatThrownBy(() -> client.resource(asPlanned).update()).hasMessageContaining("409");
    }

    @Test
    void somebodyElsesWriteBetweenTheTwoStopsThePlan() {
        Secret read = client.secrets().inNamespace(NS).withName("s").get();
        Plan plan = twoPhases(read, Optional.of(gateways -> {
            client.secrets().inNamespace(NS).withName("s").edit(s -> {
                s.getData().put("other", "eA==");
                return s;
            });
            return new Step.Check.Met("somebody else wrote");
        }));

        assertThatThrownBy(() -> executor.run(plan, context())).hasMessageContaining("lab");

        assertThat(progress).last().asString().startsWith("fail phase 2/2: lab: update Secret");
        assertThat(client.secrets().inNamespace(NS).withName("s").get().getData())
                .containsEntry("phase", "djE=")
                .containsEntry("other", "eA==");
    }

    private static Plan twoPhases(Secret read, Optional<Step.Condition> between) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.InPhase("phase 1/2", new Step.Write("lab", secret(read, "v1"), true, "first")));
        between.ifPresent(condition -> steps.add(new Step.InPhase(
                "phase 1/2",
                Step.Await.until(
                        "lab", "in between", condition, Duration.ofSeconds(5), null, "", "somebody else writes"))));
        steps.add(new Step.InPhase("phase 2/2", new Step.Write("lab", secret(read, "v2"), true, "second")));
        return new Plan("test", "lab", steps, List.of());
    }

    private static Secret secret(Secret read, String phase) {
        String b64 = java.util.Base64.getEncoder().encodeToString(phase.getBytes());
        if (read == null) {
            return new SecretBuilder()
                    .withNewMetadata()
                    .withName("s")
                    .withNamespace(NS)
                    .endMetadata()
                    .withData(new HashMap<>(Map.of("phase", b64)))
                    .build();
        }
        Secret next = Serialization.clone(read);
        next.getData().put("phase", b64);
        return next;
    }

    private OperationContext context() {
        return new OperationContext() {
            @Override
            public String operationId() {
                return "test";
            }

            @Override
            public void plan(List<String> stepNames) {}

            @Override
            public void start(String step) {
                progress.add("start " + step);
            }

            @Override
            public void succeed(String step, String message) {
                progress.add("succeed " + step);
            }

            @Override
            public void fail(String step, String message) {
                progress.add("fail " + step);
            }

            @Override
            public void addStep(String step) {}
        };
    }
}
