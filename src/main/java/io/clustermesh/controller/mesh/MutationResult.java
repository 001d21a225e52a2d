package io.clustermesh.controller.mesh;

import io.clustermesh.controller.operations.Operation;
import io.clustermesh.controller.operations.Plan;

/** A mutation either ran as an operation or, in a dry run, only planned. */
public sealed interface MutationResult {
    record Planned(Plan plan) implements MutationResult {}

    record Started(Operation operation, Plan plan) implements MutationResult {}
}
