package io.clustermesh.controller.contexts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.support.Kubeconfigs;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exec whose WebSocket does not open (an API server that holds the upgrade; fabric8's Vert.x
 * client that missed a socket the server had already closed) gives up within the exec's own
 * timeout, not the client's 10 s request timeout, names what happened, and is asked once more only
 * where the caller says the command is safe to repeat.
 */
class ExecOpeningTest {
    private static final String NS = "kube-system";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger upgrades = new AtomicInteger();
    /** fabric8 reads the pod (a list by name) before each exec's upgrade. */
    private final AtomicInteger podReads = new AtomicInteger();

    private KubernetesMockServer server;
    private KubernetesClient client;
    private ClusterRegistry registry;

    @BeforeEach
    void startCluster() throws IOException {
        // CRUD for the pod fabric8 reads before each exec; the exec upgrade itself is held.
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of()) {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getPath().contains("fieldSelector=metadata.name")) {
                    podReads.incrementAndGet();
                }
                if (request.getPath().contains("/exec?")) {
                    upgrades.incrementAndGet();
                    // Held past the exec's timeout, no longer: the mock server answers nothing else meanwhile.
                    try {
                        release.await(EXEC_TIMEOUT.toMillis() + 300, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new MockResponse().setResponseCode(503);
                }
                return super.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), crud, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        client.pods()
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("cilium-a")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("cilium-agent")
                        .endContainer()
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Running")
                        .endStatus()
                        .build())
                .create();
        Files.writeString(
                dir.resolve("lab"), Kubeconfigs.of("lab", client.getMasterUrl().toString()));
        registry = Kubeconfigs.registry(dir, Duration.ofSeconds(2), REQUEST_TIMEOUT);
    }

    @AfterEach
    void stopCluster() {
        release.countDown();
        client.close();
        server.destroy();
    }

    @Test
    void anExecWhoseSocketDoesNotOpenGivesUpWithinItsOwnTimeout() {
        ClusterGateway gateway = registry.require("lab").gateway();

        // With the client's request timeout as the bound, this waited 10 s and blamed the API server.
        assertThatThrownBy(() -> gateway.exec(NS, "cilium-a", "cilium-agent", EXEC_TIMEOUT, "true"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.CLUSTER_UNREACHABLE))
                .hasMessage("exec in lab/cilium-a got no answer: its WebSocket did not open within 1000 ms");
        assertThat(upgrades).hasValue(1);

        assertThatThrownBy(() -> gateway.execSafeToRepeat(NS, "cilium-a", "cilium-agent", EXEC_TIMEOUT, "true"))
                .hasMessageContaining("did not open within 1000 ms");
        assertThat(upgrades).as("asked once more").hasValue(3);
    }

    @Test
    void aContainerThePodDoesNotHaveIsRefusedOnceNotAskedAgain() {
        ClusterGateway gateway = registry.require("lab").gateway();

        // An older pod mid-rollout may lack the container: fabric8 refuses after reading the pod.
        assertThatThrownBy(() -> gateway.execSafeToRepeat(NS, "cilium-a", "kvstoremesh", EXEC_TIMEOUT, "true"))
                .isInstanceOfSatisfying(
                        ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.CONFLICT))
                .hasMessage("exec in lab/cilium-a refused: container kvstoremesh not found in pod cilium-a");
        assertThat(podReads).as("the pod read once: not asked again").hasValue(1);
        assertThat(upgrades).hasValue(0);
    }

    @Test
    void aCommandThatAnsweredIsNotAskedAgain() {
        AtomicInteger calls = new AtomicInteger();
        ClusterGateway exitsNonZero = execOnly(() -> {
            calls.incrementAndGet();
            throw new CommandExited("exec in lab/kube-system/cilium-a exited 1", 1);
        });
        assertThatThrownBy(() -> exitsNonZero.execSafeToRepeat(NS, "cilium-a", "cilium-agent", Duration.ofSeconds(1)))
                .isInstanceOf(CommandExited.class);
        assertThat(calls).hasValue(1);

        Thread.currentThread().interrupt();
        try {
            ClusterGateway interrupted = execOnly(() -> {
                calls.incrementAndGet();
                throw new ProblemException(ProblemType.CLUSTER_UNREACHABLE, "exec in lab/cilium-a interrupted");
            });
            assertThatThrownBy(
                            () -> interrupted.execSafeToRepeat(NS, "cilium-a", "cilium-agent", Duration.ofSeconds(1)))
                    .hasMessageContaining("interrupted");
            assertThat(calls).as("an interrupted caller is not asked again").hasValue(2);
        } finally {
            Thread.interrupted();
        }
    }

    /** A gateway whose exec runs {@code exec}, with the interface's own default methods. */
    private static ClusterGateway execOnly(java.util.function.Supplier<String> exec) {
        return (ClusterGateway) java.lang.reflect.Proxy.newProxyInstance(
                ClusterGateway.class.getClassLoader(), new Class<?>[] {ClusterGateway.class}, (proxy, method, args) -> {
                    if (method.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    if (method.getName().equals("exec")) {
                        return exec.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
