package io.clustermesh.controller.sim;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** A client on a simulated cluster through the kubeconfig it writes, the path the service takes. */
final class SimulatedClients {
    private SimulatedClients() {}

    static KubernetesClient through(SimulatedCluster cluster) {
        try {
            var dir = Files.createTempDirectory("sim-client-");
            return new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(null, Files.readString(cluster.writeKubeconfig(dir)), null))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
