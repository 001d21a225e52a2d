package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An agent reads a rewritten Secret only after its node's kubelet synced the volume, as on a real node. */
class SimulatedKubeletTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final String CERT_FILE = CiliumNames.CLUSTERMESH_CONFIG_DIR + "local-etcd-client.crt";
    private static SimulatedCluster cloud;

    @BeforeAll
    static void start() {
        cloud = SimulatedCluster.startIndexed(1, "1.18.11", true);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void aRewrittenSecretReachesTheFilesOnlyAtTheNextSync() {
        String node = cloud.spec().nodes().get(0).name();
        Instant t0 = Instant.now();
        writeLocalCert("first");
        cloud.kubelet().observe();
        assertThat(cloud.kubelet().read(node, CERT_FILE, t0)).contains("first");

        writeLocalCert("second");
        cloud.kubelet().observe();
        assertThat(cloud.kubelet().read(node, CERT_FILE, t0.plusMillis(100)))
                .as("before the next sync")
                .contains("first");
        assertThat(cloud.kubelet()
                        .read(
                                node,
                                CERT_FILE,
                                t0.plus(SimulatedKubelet.SYNC_PERIOD
                                        .multipliedBy(2)
                                        .plusMillis(1))))
                .as("after the sync period")
                .contains("second");
    }

    @Test
    void catInTheAgentReadsMountedFilesAndRefusesWhatCatRefuses() {
        writeLocalCert("third");
        cloud.kubelet().observe();
        String node = cloud.spec().nodes().get(1).name();
        var missing =
                cloud.agentExec().run(node, AgentCommands.readFile(CiliumNames.CLUSTERMESH_CONFIG_DIR + "nope.crt"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr())
                .isEqualTo("cat: /var/lib/cilium/clustermesh/nope.crt: No such file or directory\n");
        var badOption = cloud.agentExec().run(node, List.of("cat", "-o", CERT_FILE));
        assertThat(badOption.exitCode()).isEqualTo(1);
        assertThat(badOption.stderr()).startsWith("cat: invalid option -- 'o'");
        var read = cloud.agentExec().run(node, AgentCommands.readFile(CERT_FILE));
        assertThat(read.exitCode()).isZero();
        assertThat(read.stdout()).isNotEmpty();
    }

    private static void writeLocalCert(String content) {
        cloud.client()
                .secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(CiliumNames.LOCAL_CERT_SECRET)
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(Map.of(
                                CiliumNames.TLS_CRT,
                                Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))))
                        .build())
                .createOr(r -> r.update());
    }
}
