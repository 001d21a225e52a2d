package io.clustermesh.controller.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Rotates a cluster's WireGuard node keys (one node at a time) or its ClusterMesh certificates.")
final class RotateCommand extends MutationCommand {

    @Option(
            names = "--context",
            required = true,
            paramLabel = "CONTEXT",
            description = "kubeconfig context (or cluster name)")
    String context;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--wireguard", required = true, description = "rotate the WireGuard keys of the nodes")
        boolean wireGuard;

        @Option(
                names = "--certificates",
                required = true,
                description = "re-issue the clustermesh-apiserver certificates")
        boolean certificates;
    }

    @Option(
            names = "--node",
            paramLabel = "NODE",
            description = "with --wireguard: only these nodes (repeatable; default all)")
    List<String> nodes;

    @Option(names = "--ca", description = "with --certificates: rotate the mesh CA too, with an overlap")
    boolean ca;

    @Override
    Request request(ServiceClient client) {
        if (what.certificates && nodes != null) {
            throw new CliFailure(CliFailure.FAILED, "--node goes with --wireguard");
        }
        if (what.wireGuard && ca) {
            throw new CliFailure(CliFailure.FAILED, "--ca goes with --certificates");
        }
        String base = "api/v1/clusters/" + Clusters.path(Clusters.resolve(client, context));
        Map<String, Object> body = new LinkedHashMap<>();
        if (what.wireGuard && nodes != null) {
            body.put("nodes", nodes);
        }
        if (ca) {
            body.put("ca", true);
        }
        String path = base + (what.wireGuard ? "/wireguard/rotations" : "/certificates/rotations");
        return new Request("POST", path, body);
    }
}
