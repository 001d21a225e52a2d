package io.clustermesh.controller.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that changes the mesh: it names one request; sending, dry run and waiting are shared. */
abstract class MutationCommand implements Callable<Integer> {
    /** The REST call a command stands for; {@code path} is relative to the server, {@code body} null for none. */
    record Request(String method, String path, Object body) {}

    @Spec
    CommandSpec spec;

    @Mixin
    ServiceOptions service;

    @Mixin
    MutationOptions mutation;

    abstract Request request(ServiceClient client);

    @Override
    public Integer call() {
        ServiceClient client = service.client();
        Request request = request(client);
        return new MutationRunner(client, MeshCli.of(spec).out())
                .run(request.method(), request.path(), request.body(), mutation);
    }
}
