package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.AgentStatusParser;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.EncryptionStatus.WireguardPeer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulated agents' WireGuard behaviour, driven only through the Kubernetes API as the service does. */
class SimulatedWireGuardTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static SimulatedCluster cloud;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        cloud = SimulatedCluster.startIndexed(1);
        Path dir = Files.createTempDirectory("sim-wg-");
        Path kubeconfig = cloud.writeKubeconfig(dir);
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), null))
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        cloud.close();
    }

    @Test
    void deletingTheKeyFileAndRestartingTheAgentPublishesANewKeyThatPeersLearnLater() throws Exception {
        String node = "cloud-node-1";
        String before = publishedKey(node);
        Pod agent = agentOn(node);
        assertThat(peerKeys(agentOn("cloud-node-2"))).contains(before);

        exec(agent, "rm", "-f", CiliumNames.WG_KEY_FILE);
        client.pods().inNamespace(NS).withName(agent.getMetadata().getName()).delete();

        await().atMost(Duration.ofSeconds(10)).until(() -> !before.equals(publishedKey(node)));
        String after = publishedKey(node);
        await().atMost(Duration.ofSeconds(10)).until(() -> agentOnOrNull(node) != null);
        assertThat(agentOn(node).getMetadata().getName())
                .isNotEqualTo(agent.getMetadata().getName());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> peerKeys(agentOn("cloud-node-2")).contains(after));
        assertThat(peerKeys(agentOn("cloud-node-3"))).contains(after).doesNotContain(before);
    }

    @Test
    void aRestartWithTheKeyFileInPlaceKeepsTheKey() throws Exception {
        String node = "cloud-node-3";
        String before = publishedKey(node);
        Pod agent = agentOn(node);
        client.pods().inNamespace(NS).withName(agent.getMetadata().getName()).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> agentOnOrNull(node) != null);
        assertThat(publishedKey(node)).isEqualTo(before);
    }

    @Test
    void unknownCommandsFailWithTheirExitCode() {
        assertThatThrownBy(() -> exec(agentOn("cloud-node-2"), "reboot")).hasMessageContaining("exit 126");
    }

    private String publishedKey(String node) {
        return client.genericKubernetesResources(CiliumInstallSeed.CILIUM_NODES)
                .withName(node)
                .get()
                .getMetadata()
                .getAnnotations()
                .get(CiliumNames.WG_PUBKEY_ANNOTATION);
    }

    private Pod agentOn(String node) {
        Pod pod = agentOnOrNull(node);
        assertThat(pod).as("agent on " + node).isNotNull();
        return pod;
    }

    private Pod agentOnOrNull(String node) {
        return client
                .pods()
                .inNamespace(NS)
                .withLabel(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.AGENT_SELECTOR_VALUE)
                .list()
                .getItems()
                .stream()
                .filter(p -> node.equals(p.getSpec().getNodeName()))
                .findFirst()
                .orElse(null);
    }

    private List<String> peerKeys(Pod agent) throws Exception {
        // The control loop learns new pods every 300 ms; until then exec answers 404 like a real API server would for
        // an unknown pod.
        String json = await().atMost(Duration.ofSeconds(5))
                .ignoreExceptionsInstanceOf(KubernetesClientException.class)
                .until(() -> exec(agent, AgentCommands.DEBUGINFO.toArray(String[]::new)), s -> s != null);
        return AgentStatusParser.parseDebugInfoWireguard(json).interfaces().get(0).peers().stream()
                .map(WireguardPeer::publicKey)
                .toList();
    }

    private String exec(Pod pod, String... command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var watch = client.pods()
                .inNamespace(NS)
                .withName(pod.getMetadata().getName())
                .inContainer(CiliumNames.AGENT_CONTAINER)
                .writingOutput(out)
                .exec(command)) {
            int exit = watch.exitCode().get(5, TimeUnit.SECONDS);
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit);
            }
        }
        return out.toString();
    }
}
