package io.clustermesh.controller.support;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.sim.SimulatedCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Installs Cilium into a simulated cluster the way a user does, with real Helm (helm-java) and one of
 * Cilium's own chart packages: Helm writes its release record and the rendered objects through the
 * simulated API server, and reads them back for {@code helm list}/{@code history}/{@code upgrade}.
 */
public final class HelmInstalls {
    public static final String RELEASE = "cilium";

    private HelmInstalls() {}

    /** The kubeconfig Helm uses for {@code cluster}: the same one the service is given. */
    public static String kubeconfig(SimulatedCluster cluster) {
        try {
            Path dir = Files.createTempDirectory("helm-kubeconfig");
            Path file = cluster.writeKubeconfig(dir);
            String yaml = Files.readString(file);
            Files.delete(file);
            Files.delete(dir);
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The values a user would give for this cluster: its name and id, the pod CIDR and the data path
     * the simulated cluster runs (tunnel, WireGuard), so the chart renders what the cluster holds.
     */
    public static Map<String, String> clusterValues(SimulatedCluster cluster) {
        return CiliumCharts.values(
                "cluster.name", cluster.name(),
                "cluster.id", Integer.toString(cluster.clusterId()),
                "ipam.mode", "cluster-pool",
                "ipam.operator.clusterPoolIPv4PodCIDRList[0]", "10." + cluster.clusterId() + ".0.0/16",
                "routingMode", "tunnel",
                "tunnelProtocol", "vxlan",
                "encryption.enabled", "true",
                "encryption.type", "wireguard",
                "prometheus.enabled", "true",
                "hubble.tls.auto.method", "helm",
                "clustermesh.apiserver.tls.auto.method", "helm");
    }

    /** {@code helm install cilium <chart> -n kube-system --set ...} against the simulated cluster. */
    public static Release install(SimulatedCluster cluster, String version, Map<String, String> values) {
        var install = new Helm(CiliumCharts.chart(version))
                .install()
                .withName(RELEASE)
                .withNamespace(CiliumNames.DEFAULT_NAMESPACE)
                .disableOpenApiValidation()
                .withKubeConfigContents(kubeconfig(cluster));
        values.forEach(install::set);
        return install.call();
    }
}
