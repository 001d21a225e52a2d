package io.clustermesh.controller.mesh;

import java.util.List;

/** The ordered object changes a mutation makes, plus findings worth a user's attention. */
public record Plan(String kind, String target, List<PlannedChange> changes, List<String> warnings) {

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
