package io.clustermesh.controller.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Disables ClusterMesh in one cluster (cilium clustermesh disable): deletes exactly the objects enable created.")
final class DisableCommand extends MutationCommand {

    @Option(
            names = "--context",
            required = true,
            paramLabel = "CONTEXT",
            description = "kubeconfig context (or cluster name) to disable")
    String context;

    @Option(names = "--force", description = "disable even while links to other clusters remain")
    boolean force;

    @Override
    Request request(ServiceClient client) {
        String path = "api/v1/clusters/" + Clusters.path(Clusters.resolve(client, context)) + "/clustermesh"
                + (force ? "?force=true" : "");
        return new Request("DELETE", path, null);
    }
}
