package io.clustermesh.controller.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "disconnect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Disconnects two clusters (cilium clustermesh disconnect): removes exactly the entries connect wrote.")
final class DisconnectCommand extends MutationCommand {
    @Mixin
    PairOptions pair;

    @Override
    Request request(ServiceClient client) {
        return new Request("DELETE", pair.linkPath(client), null);
    }
}
