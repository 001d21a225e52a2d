package io.clustermesh.controller.cli;

import picocli.CommandLine.Option;

/** The two ends of a link, spelled as cilium-cli spells them. */
final class PairOptions {
    @Option(
            names = "--context",
            required = true,
            paramLabel = "CONTEXT",
            description = "kubeconfig context (or cluster name) of one end")
    String context;

    @Option(
            names = "--destination-context",
            required = true,
            paramLabel = "CONTEXT",
            description = "kubeconfig context (or cluster name) of the other end")
    String destination;

    String linkPath(ServiceClient client) {
        String a = Clusters.resolve(client, context);
        String b = Clusters.resolve(client, destination);
        if (a.equals(b)) {
            throw new CliFailure(
                    CliFailure.FAILED, "--context and --destination-context name the same cluster (" + a + ")");
        }
        return "api/v1/links/" + Clusters.path(a) + "/" + Clusters.path(b);
    }
}
