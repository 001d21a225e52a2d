package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.HelmMeshValues;
import io.clustermesh.controller.cilium.HelmRelease;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;

/**
 * The Helm release that owns a cluster's Cilium, read from Helm's own records: the latest revision
 * (whose values and chart the next upgrade starts from) and the pristine one from before our first
 * change (whose values disable restores, and whose chart defaults every upgrade renders with).
 */
record HelmModeRelease(HelmRelease latest, HelmRelease pristine, boolean pristineKnown) {

    /**
     * Present when a readable release record holds Cilium (Helm mode). Markers alone (a Helm label
     * on the DaemonSet, no record we can read) leave the cluster in direct mode: without the chart
     * kept in the record there is nothing to upgrade with.
     */
    static Optional<HelmModeRelease> read(ClusterSnapshot cluster, String namespace) {
        var owner = cluster.owner();
        if (!owner.helm() || owner.revision() == null || owner.name() == null) {
            return Optional.empty();
        }
        String releaseNamespace = owner.namespace() == null ? namespace : owner.namespace();
        List<Secret> records =
                cluster.gateway().list(Secret.class, releaseNamespace, HelmRelease.recordsOf(owner.name()));
        return of(HelmRelease.history(records, owner.name()));
    }

    static Optional<HelmModeRelease> of(List<HelmRelease> history) {
        if (history.isEmpty()) {
            return Optional.empty();
        }
        HelmRelease latest = history.get(history.size() - 1);
        HelmRelease baseline = HelmMeshValues.baseline(history);
        if (baseline != null) {
            return Optional.of(new HelmModeRelease(latest, baseline, true));
        }
        // No change of ours since the last disable: the latest revision is the user's own. Otherwise Helm pruned the
        // revision before our first change (--history-max), and what it held is no longer known.
        boolean inEpisode = history.stream()
                .map(HelmRelease::description)
                .filter(d -> d.startsWith(HelmMeshValues.DESCRIPTION_PREFIX))
                .reduce((a, b) -> b)
                .map(d -> !d.equals(HelmMeshValues.DESCRIPTION_PREFIX + "disable"))
                .orElse(false);
        return Optional.of(new HelmModeRelease(latest, latest, !inEpisode));
    }
}
