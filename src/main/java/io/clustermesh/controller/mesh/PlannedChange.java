package io.clustermesh.controller.mesh;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One object change of a plan. Dry run shows these; the executor applies exactly these, so
 * what a dry run promises is what the real run does.
 */
public record PlannedChange(
        String cluster,
        Action action,
        String kind,
        String namespace,
        String name,
        String summary,
        @JsonIgnore HasMetadata desired,
        @JsonIgnore Class<? extends HasMetadata> type) {

    public enum Action {
        create,
        update,
        delete
    }

    static PlannedChange write(String cluster, HasMetadata desired, boolean exists, String summary) {
        return new PlannedChange(
                cluster,
                exists ? Action.update : Action.create,
                desired.getKind(),
                desired.getMetadata().getNamespace(),
                desired.getMetadata().getName(),
                summary,
                desired,
                desired.getClass());
    }

    static PlannedChange delete(String cluster, HasMetadata current, String summary) {
        return new PlannedChange(
                cluster,
                Action.delete,
                current.getKind(),
                current.getMetadata().getNamespace(),
                current.getMetadata().getName(),
                summary,
                null,
                current.getClass());
    }

    /** A stable step name for operation progress. */
    String stepName() {
        return cluster + ": " + action + " " + kind + " " + (namespace == null ? "" : namespace + "/") + name;
    }
}
