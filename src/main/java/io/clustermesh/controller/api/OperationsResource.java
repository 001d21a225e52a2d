package io.clustermesh.controller.api;

import io.clustermesh.controller.operations.Operation;
import io.clustermesh.controller.operations.OperationService;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {
    private final OperationService operations;

    public OperationsResource(OperationService operations) {
        this.operations = operations;
    }

    @GET
    public List<Operation> recent() {
        return operations.recent();
    }

    @GET
    @Path("/{id}")
    public Operation one(@PathParam("id") String id) {
        return operations
                .find(id)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no operation " + id, "id"));
    }
}
