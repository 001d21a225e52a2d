package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote-side probe Pods against a fabric8 CRUD mock server; the test plays the kubelet by
 * writing the Pod's status (or by never doing so).
 */
class RemoteProbePodsTest {
    private static final String NS = "kube-system";
    private static final String DONE_OK =
            "{\"result\":\"ok\",\"latencyMs\":12.5,\"checks\":[{\"name\":\"tcp\",\"result\":\"ok\",\"latencyMs\":12.5}]}";

    private KubernetesMockServer server;
    private KubernetesClient client;
    private ScheduledExecutorService kubelet;
    private final List<Pod> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCluster() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("clustermesh-apiserver-remote-cert")
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(Map.of("ca.crt", "Y2E=", "tls.crt", "Y3J0", "tls.key", "a2V5"))
                        .build())
                .create();
        kubelet = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopCluster() {
        kubelet.shutdownNow();
        client.close();
        server.destroy();
    }

    @Test
    void theProbePodIsBoundedUnprivilegedReportsThroughItsTerminationMessageAndIsDeleted() {
        playKubelet(pod -> Optional.of(DONE_OK));

        ProbeOutcome outcome = pods(Duration.ofSeconds(20)).probe("cloud", new CrudGateway(client), homelab());

        assertThat(outcome.result()).isEqualTo(ProbeVerdict.OK);
        assertThat(outcome.latencyMs()).isEqualTo(12.5);
        Pod pod = seen.get(0);
        var spec = pod.getSpec();
        assertThat(spec.getActiveDeadlineSeconds()).isEqualTo(20L);
        assertThat(spec.getRestartPolicy()).isEqualTo("Never");
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
        var container = spec.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example/probe:1");
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getPrivileged()).isFalse();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(container.getArgs())
                .containsSequence("--host", "198.51.100.200", "--port", "32379")
                .containsSequence("--server-name", "homelab.mesh.cilium.io")
                .containsSequence("--cluster-name", "homelab");
        assertThat(spec.getVolumes())
                .anySatisfy(
                        v -> assertThat(v.getSecret().getSecretName()).isEqualTo("clustermesh-apiserver-remote-cert"));
        assertThat(probePods()).isEmpty();
    }

    @Test
    void aFailingProbeIsReportedAndItsPodDeleted() {
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("cilium-kvstoremesh")
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(Map.of(
                                "homelab",
                                "ZQ==",
                                "homelab.etcd-client-ca.crt",
                                "Y2E=",
                                "homelab.etcd-client.crt",
                                "Y3J0",
                                "homelab.etcd-client.key",
                                "a2V5"))
                        .build())
                .create();
        playKubelet(
                pod -> Optional.of("{\"result\":\"refused\",\"detail\":\"198.51.100.200:32379: Connection refused\"}"));

        ProbeOutcome outcome = pods(Duration.ofSeconds(20)).probe("cloud", new CrudGateway(client), homelab());

        assertThat(outcome.result()).isEqualTo(ProbeVerdict.REFUSED);
        assertThat(FailureHints.explain(ReachabilityMode.PORT_FORWARD, outcome, "homelab", "198.51.100.200:32379")
                        .reason())
                .startsWith("forward missing on the router");
        // Per-remote files of cilium-kvstoremesh win: they are what kvstoremesh itself presents to homelab.
        assertThat(seen.get(0).getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getSecret().getSecretName()).isEqualTo("cilium-kvstoremesh");
            assertThat(v.getSecret().getItems())
                    .extracting(i -> i.getKey())
                    .containsExactly(
                            "homelab.etcd-client-ca.crt", "homelab.etcd-client.crt", "homelab.etcd-client.key");
        });
        assertThat(probePods()).isEmpty();
    }

    @Test
    void aPodThatNeverReportsTimesOutWithItsStateAndIsDeleted() {
        playKubelet(pod -> {
            client.pods().inNamespace(NS).withName(pod.getMetadata().getName()).editStatus(p -> {
                p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                        .withPhase("Pending")
                        .withContainerStatuses(new ContainerStatusBuilder()
                                .withName("probe")
                                .withState(new ContainerStateBuilder()
                                        .withNewWaiting()
                                        .withReason("ImagePullBackOff")
                                        .endWaiting()
                                        .build())
                                .build())
                        .build());
                return p;
            });
            return Optional.empty();
        });

        ProbeOutcome outcome = pods(Duration.ofSeconds(1)).probe("cloud", new CrudGateway(client), homelab());

        assertThat(outcome.result()).isEqualTo(ProbeVerdict.TIMEOUT);
        assertThat(outcome.detail()).contains("ImagePullBackOff");
        assertThat(probePods()).isEmpty();
    }

    @Test
    void withoutAClientCertificateNoPodIsCreated() {
        client.secrets()
                .inNamespace(NS)
                .withName("clustermesh-apiserver-remote-cert")
                .delete();

        ProbeOutcome outcome = pods(Duration.ofSeconds(5)).probe("cloud", new CrudGateway(client), homelab());

        assertThat(outcome.result()).isEqualTo(ProbeVerdict.FAILED);
        assertThat(outcome.detail()).contains("enable ClusterMesh on cloud");
        assertThat(seen).isEmpty();
    }

    /** The kubelet: once per new probe Pod, optionally terminates its container with {@code message}. */
    private void playKubelet(Function<Pod, Optional<String>> message) {
        kubelet.scheduleWithFixedDelay(
                () -> {
                    for (Pod pod : probePods()) {
                        if (seen.stream()
                                .anyMatch(p -> p.getMetadata()
                                        .getName()
                                        .equals(pod.getMetadata().getName()))) {
                            continue;
                        }
                        seen.add(pod);
                        message.apply(pod)
                                .ifPresent(text -> client.pods()
                                        .inNamespace(NS)
                                        .withName(pod.getMetadata().getName())
                                        .editStatus(p -> {
                                            p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                                                    .withPhase(text.contains("\"ok\"") ? "Succeeded" : "Failed")
                                                    .withContainerStatuses(new ContainerStatusBuilder()
                                                            .withName("probe")
                                                            .withState(new ContainerStateBuilder()
                                                                    .withNewTerminated()
                                                                    .withExitCode(text.contains("\"ok\"") ? 0 : 1)
                                                                    .withMessage(text)
                                                                    .endTerminated()
                                                                    .build())
                                                            .build())
                                                    .build());
                                            return p;
                                        }));
                    }
                },
                0,
                50,
                TimeUnit.MILLISECONDS);
    }

    private List<Pod> probePods() {
        return client.pods()
                .inNamespace(NS)
                .withLabel(RemoteProbePods.COMPONENT_LABEL, RemoteProbePods.COMPONENT)
                .list()
                .getItems();
    }

    private static RemoteProbePods pods(Duration deadline) {
        return new RemoteProbePods(new TestConfig(deadline), NS, Duration.ofMillis(50));
    }

    private static ProbeTarget homelab() {
        return new ProbeTarget(
                "homelab",
                ReachabilityMode.PORT_FORWARD,
                new HostPort("198.51.100.200", 32379),
                "homelab.mesh.cilium.io",
                "homelab",
                1,
                "ca",
                "crt",
                "key",
                false,
                Optional.empty(),
                null);
    }

    private record TestConfig(Duration probeDeadline) implements ReachabilityConfig {
        @Override
        public Duration probeTimeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Duration endpointProbeInterval() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Duration maxAge() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Map<String, String> publicAddresses() {
            return Map.of();
        }

        @Override
        public String probeImage() {
            return "registry.example/probe:1";
        }

        @Override
        public List<String> probeCommand() {
            return List.of("java", "-cp", "/deployments/app/*", ProbeCommand.class.getName());
        }

        @Override
        public Optional<String> probeNamespace() {
            return Optional.empty();
        }

        @Override
        public int tailscalePings() {
            return 3;
        }
    }
}
