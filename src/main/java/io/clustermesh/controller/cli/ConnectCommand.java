package io.clustermesh.controller.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "connect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Connects two clusters both ways (cilium clustermesh connect); both need ClusterMesh enabled.")
final class ConnectCommand extends MutationCommand {
    @Mixin
    PairOptions pair;

    @Override
    Request request(ServiceClient client) {
        return new Request("PUT", pair.linkPath(client), null);
    }
}
