package io.clustermesh.controller.operations;

import java.util.Set;

/**
 * Something changed what the clusters report: a mutation finished (succeeded or not: a failed one
 * may have written part of its plan) or a simulated fault was injected or healed. Fired
 * synchronously before the change is visible as finished, so every cached view (agent verdicts,
 * reachability, health) is fresh for whoever reads next (docs/cli.md, "Fresh views").
 */
public record ClustersChanged(Set<String> clusters, String cause) {}
