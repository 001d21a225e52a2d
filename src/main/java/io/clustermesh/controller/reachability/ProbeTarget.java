package io.clustermesh.controller.reachability;

import io.clustermesh.controller.cilium.AccessInformation;
import io.clustermesh.controller.cilium.CiliumConfig;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.RemoteEndpoint;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.contexts.ManagedCluster;
import io.clustermesh.controller.problems.ProblemException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Where and how one cluster is dialled, read from the cluster: its mode, the endpoint others use
 * (as connect writes it), the name its certificate must carry, and the {@code remote} client
 * certificate of its mesh CA. {@code problem} is set when there is nothing to dial yet.
 */
record ProbeTarget(
        String cluster,
        ReachabilityMode mode,
        HostPort endpoint,
        String tlsServerName,
        String clusterName,
        int clusterId,
        String caPem,
        String clientCertPem,
        String clientKeyPem,
        boolean simulated,
        Optional<Service> service,
        String problem) {

    KvstoreProbeTarget kvstoreTarget() {
        return new KvstoreProbeTarget(
                endpoint.host(),
                endpoint.port(),
                tlsServerName,
                caPem,
                clientCertPem,
                clientKeyPem,
                clusterName,
                clusterId);
    }

    String endpointText() {
        return endpoint == null ? null : endpoint.toString();
    }

    /**
     * @param override a {@code host:port} to try instead of the declared one (already validated)
     * @param tailnetAddress resolves a Tailscale-exposed Service to its tailnet address, if any
     */
    static ProbeTarget read(
            ManagedCluster cluster,
            String namespace,
            HostPort override,
            java.util.function.Function<Service, Optional<String>> tailnetAddress) {
        return read(
                new Declared(
                        cluster.name(),
                        cluster.reachabilityMode(),
                        cluster.reachabilityEndpoint(),
                        cluster.simulated()),
                cluster.watched(),
                namespace,
                override,
                tailnetAddress);
    }

    /** What a cluster declares about itself: its name, mode label and endpoint, and whether it is simulated. */
    record Declared(String name, String mode, Optional<String> endpoint, boolean simulated) {}

    static ProbeTarget read(
            Declared cluster,
            ClusterGateway gateway,
            String namespace,
            HostPort override,
            java.util.function.Function<Service, Optional<String>> tailnetAddress) {
        ReachabilityMode mode =
                ReachabilityMode.parse(cluster.mode(), "mesh.clusters." + cluster.name() + ".reachability.mode");
        CiliumConfig config = gateway.configMap(namespace, CiliumNames.CONFIG_MAP)
                .map(CiliumConfig::from)
                .orElse(null);
        if (config == null || config.clusterName() == null) {
            return missing(
                    cluster,
                    mode,
                    null,
                    "cilium-config of " + cluster.name() + " names no cluster: is Cilium installed?");
        }
        Optional<Service> service = gateway.service(namespace, CiliumNames.APISERVER);
        Optional<Secret> remoteCert = gateway.secret(namespace, CiliumNames.REMOTE_CERT_SECRET);
        HostPort endpoint;
        String serverName;
        try {
            Optional<String> declared = cluster.endpoint();
            if (override != null) {
                endpoint = override;
            } else if (mode != ReachabilityMode.DIRECT && declared.isPresent()) {
                endpoint = HostPort.parse(declared.get(), "mesh.clusters." + cluster.name() + ".reachability.endpoint");
            } else if (mode == ReachabilityMode.PORT_FORWARD) {
                return missing(
                        cluster,
                        mode,
                        null,
                        cluster.name() + " is reached through a port-forward but declares no endpoint");
            } else if (service.isEmpty()) {
                return missing(
                        cluster,
                        mode,
                        null,
                        "ClusterMesh is not enabled on " + cluster.name() + " (no " + CiliumNames.APISERVER
                                + " Service)");
            } else if (mode == ReachabilityMode.TAILSCALE) {
                String address = tailnetAddress.apply(service.get()).orElse(null);
                if (address == null) {
                    return missing(
                            cluster,
                            mode,
                            null,
                            "the " + CiliumNames.APISERVER + " Service of " + cluster.name()
                                    + " has no tailnet address yet (is it exposed through the Tailscale operator?)");
                }
                endpoint = new HostPort(address, CiliumNames.ETCD_PORT);
            } else {
                AccessInformation access = AccessInformation.derive(config, service.get(), gateway.nodes());
                endpoint = new HostPort(access.addresses().get(0), access.port());
            }
            // Cilium dials IPs through the <name>.mesh.cilium.io host alias and names as they are (§5.3).
            serverName =
                    isIpLiteral(endpoint.host()) ? RemoteEndpoint.meshHostname(config.clusterName()) : endpoint.host();
        } catch (ProblemException e) {
            return missing(cluster, mode, null, e.getMessage());
        }
        if (remoteCert.isEmpty()) {
            return missing(
                    cluster,
                    mode,
                    endpoint,
                    "ClusterMesh is not enabled on " + cluster.name() + " (no " + CiliumNames.REMOTE_CERT_SECRET + ")");
        }
        Secret cert = remoteCert.get();
        if (secretKeys().stream().anyMatch(k -> decode(cert, k) == null)) {
            return missing(
                    cluster,
                    mode,
                    endpoint,
                    CiliumNames.REMOTE_CERT_SECRET + " of " + cluster.name() + " lacks a key; re-run enable on it");
        }
        return new ProbeTarget(
                cluster.name(),
                mode,
                endpoint,
                serverName,
                config.clusterName(),
                config.clusterId() == null ? 0 : config.clusterId(),
                decode(cert, CiliumNames.CA_CRT),
                decode(cert, CiliumNames.TLS_CRT),
                decode(cert, CiliumNames.TLS_KEY),
                cluster.simulated(),
                service,
                null);
    }

    private static ProbeTarget missing(Declared cluster, ReachabilityMode mode, HostPort endpoint, String problem) {
        return new ProbeTarget(
                cluster.name(),
                mode,
                endpoint,
                null,
                null,
                0,
                null,
                null,
                null,
                cluster.simulated(),
                Optional.empty(),
                problem);
    }

    static boolean isIpLiteral(String host) {
        return org.bouncycastle.util.IPAddress.isValid(host);
    }

    private static String decode(Secret secret, String key) {
        String value = secret.getData() == null ? null : secret.getData().get(key);
        if (value == null && secret.getStringData() != null) {
            return secret.getStringData().get(key);
        }
        return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ProbeTarget[" + cluster + " " + mode.label() + " " + endpointText()
                + (problem == null ? "" : ", " + problem) + "]";
    }

    static List<String> secretKeys() {
        return List.of(CiliumNames.CA_CRT, CiliumNames.TLS_CRT, CiliumNames.TLS_KEY);
    }
}
