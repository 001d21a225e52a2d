package io.clustermesh.controller.cilium;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How other clusters reach this cluster's clustermesh-apiserver, derived as cilium-cli does it
 * (contract §4). Pure: LoadBalancer hostnames are kept as hostnames rather than resolved, and the
 * caller decides (see {@link #toRemoteEndpoint()}).
 *
 * @param serviceType {@code ClusterIP}, {@code NodePort}, {@code LoadBalancer}, or {@code Explicit} for an override
 * @param addresses   IPs (or LoadBalancer hostnames), never empty
 * @param tunnel      the tunnel protocol or {@code disabled}; recorded, never compared (§4)
 */
public record AccessInformation(
        String clusterName,
        Integer clusterId,
        Integer maxConnectedClusters,
        String serviceType,
        List<String> addresses,
        int port,
        String tunnel) {
    public static final String EXPLICIT = "Explicit";
    public static final String FIELD_ENDPOINTS = "endpoints";

    public AccessInformation {
        addresses = List.copyOf(addresses);
    }

    /** From the {@code clustermesh-apiserver} Service (and the nodes, for NodePort). */
    public static AccessInformation derive(CiliumConfig config, Service service, List<Node> nodes) {
        requireClusterName(config);
        if (service == null || service.getSpec() == null) {
            throw new ProblemException(
                    ProblemType.CLUSTERMESH_NOT_ENABLED,
                    "Service " + CiliumNames.APISERVER + " not found in cluster " + config.clusterName());
        }
        List<ServicePort> ports = service.getSpec().getPorts();
        if (ports == null || ports.isEmpty()) {
            throw unableToDerive(config, "the Service has no ports");
        }
        ServicePort first = ports.get(0);
        String type = service.getSpec().getType() == null
                ? "ClusterIP"
                : service.getSpec().getType();
        List<String> addresses = new ArrayList<>();
        int port;
        switch (type) {
            case "NodePort" -> {
                port = first.getNodePort() == null ? 0 : first.getNodePort();
                // Only the first node with an address: host aliases round-robin over IPs sharing one port (§4).
                firstNodeAddress(nodes).ifPresent(addresses::add);
            }
            case "LoadBalancer" -> {
                port = first.getPort();
                if (service.getStatus() != null
                        && service.getStatus().getLoadBalancer() != null
                        && service.getStatus().getLoadBalancer().getIngress() != null) {
                    for (LoadBalancerIngress ingress :
                            service.getStatus().getLoadBalancer().getIngress()) {
                        if (notBlank(ingress.getIp())) {
                            addresses.add(ingress.getIp());
                        } else if (notBlank(ingress.getHostname())) {
                            addresses.add(ingress.getHostname());
                        }
                    }
                }
            }
            default -> {
                port = first.getPort();
                String ip = service.getSpec().getClusterIP();
                if (notBlank(ip) && !"None".equals(ip)) {
                    addresses.add(ip);
                }
            }
        }
        if (addresses.isEmpty() || port <= 0) {
            throw unableToDerive(config, "no address found for Service type " + type);
        }
        return of(config, type, addresses, port);
    }

    /** §4 NAT override: {@code IP:PORT} endpoints used verbatim, all sharing one port. */
    public static AccessInformation fromExplicitEndpoints(CiliumConfig config, List<String> endpoints) {
        requireClusterName(config);
        if (endpoints == null || endpoints.isEmpty()) {
            throw ProblemException.invalid(FIELD_ENDPOINTS, "at least one endpoint IP:PORT is required");
        }
        List<String> addresses = new ArrayList<>();
        Integer port = null;
        for (String endpoint : endpoints) {
            int colon = endpoint.lastIndexOf(':');
            if (colon <= 0 || colon == endpoint.length() - 1) {
                throw ProblemException.invalid(FIELD_ENDPOINTS, "endpoint '" + endpoint + "' is not IP:PORT");
            }
            String host = endpoint.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int p;
            try {
                p = Integer.parseInt(endpoint.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw ProblemException.invalid(FIELD_ENDPOINTS, "endpoint '" + endpoint + "' has no numeric port");
            }
            if (p < 1 || p > 65535) {
                throw ProblemException.invalid(FIELD_ENDPOINTS, "endpoint '" + endpoint + "' has port out of range");
            }
            if (port != null && port != p) {
                throw ProblemException.invalid(
                        FIELD_ENDPOINTS, "all endpoints must use the same port (got " + port + " and " + p + ")");
            }
            port = p;
            addresses.add(host);
        }
        return of(config, EXPLICIT, addresses, port);
    }

    public List<String> ips() {
        return addresses.stream().filter(AccessInformation::isIpLiteral).toList();
    }

    public List<String> hostnames() {
        return addresses.stream().filter(a -> !isIpLiteral(a)).toList();
    }

    /**
     * The form to write into the other cluster's Secret: IPs go behind the {@code <name>.mesh.cilium.io}
     * host alias (any IP then matches the server cert, §5.3); a hostname is used as the address.
     */
    public RemoteEndpoint toRemoteEndpoint() {
        List<String> ips = ips();
        if (!ips.isEmpty()) {
            return new RemoteEndpoint.ViaHostAliases(clusterName, ips, port);
        }
        return new RemoteEndpoint.ViaAddress(clusterName, addresses.get(0), port);
    }

    static boolean isIpLiteral(String address) {
        return Ipv4Cidr.isAddress(address) || (address.contains(":") && address.matches("[0-9a-fA-F:.]+"));
    }

    private static Optional<String> firstNodeAddress(List<Node> nodes) {
        if (nodes == null) {
            return Optional.empty();
        }
        for (Node node : nodes) {
            if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
                continue;
            }
            String external = null;
            String internal = null;
            for (NodeAddress a : node.getStatus().getAddresses()) {
                if ("ExternalIP".equals(a.getType()) && external == null && notBlank(a.getAddress())) {
                    external = a.getAddress();
                } else if ("InternalIP".equals(a.getType()) && internal == null && notBlank(a.getAddress())) {
                    internal = a.getAddress();
                }
            }
            String chosen = external != null ? external : internal;
            if (chosen != null) {
                return Optional.of(chosen);
            }
        }
        return Optional.empty();
    }

    private static AccessInformation of(CiliumConfig config, String type, List<String> addresses, int port) {
        return new AccessInformation(
                config.clusterName(),
                config.clusterId(),
                config.maxConnectedClusters(),
                type,
                addresses,
                port,
                config.tunnelDescription());
    }

    private static void requireClusterName(CiliumConfig config) {
        if (config.clusterName() == null) {
            throw new ProblemException(
                    ProblemType.CILIUM_NOT_READY_FOR_MESH,
                    "cilium-config has no cluster-name; set Helm value cluster.name",
                    ClusterIdentityRules.FIELD_CLUSTER_NAME);
        }
    }

    private static ProblemException unableToDerive(CiliumConfig config, String why) {
        return new ProblemException(
                ProblemType.ACCESS_INFORMATION_UNAVAILABLE,
                "unable to derive service IPs automatically for cluster " + config.clusterName() + " (" + why
                        + "); pass explicit endpoints IP:PORT");
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
