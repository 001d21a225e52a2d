package io.clustermesh.controller.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "enable",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Enables ClusterMesh in one cluster (cilium clustermesh enable): the clustermesh-apiserver, its Service and certificates.")
final class EnableCommand extends MutationCommand {

    @Option(
            names = "--context",
            required = true,
            paramLabel = "CONTEXT",
            description = "kubeconfig context (or cluster name) to enable")
    String context;

    @Option(
            names = "--service-type",
            paramLabel = "TYPE",
            description = "NodePort (default), LoadBalancer or ClusterIP")
    String serviceType;

    @Option(names = "--node-port", paramLabel = "PORT", description = "with NodePort: the port (default 32379)")
    Integer nodePort;

    @Option(
            names = "--ca",
            paramLabel = "shared|own",
            description = "one mesh CA for all clusters (shared, default) or this cluster's own")
    String ca;

    @Override
    Request request(ServiceClient client) {
        String name = Clusters.resolve(client, context);
        Map<String, Object> body = new LinkedHashMap<>();
        if (serviceType != null) {
            body.put("serviceType", serviceType);
        }
        if (nodePort != null) {
            body.put("nodePort", nodePort);
        }
        if (ca != null) {
            body.put("ca", ca);
        }
        return new Request("PUT", "api/v1/clusters/" + Clusters.path(name) + "/clustermesh", body);
    }
}
