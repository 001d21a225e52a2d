package io.clustermesh.controller.certificates;

import io.clustermesh.controller.cilium.CiliumVersion;
import io.clustermesh.controller.mesh.MeshService;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a certificate rotation plans from, read once under the locks of every cluster it
 * writes. {@code members} are the clusters whose certificates change: the target first, then (CA
 * rotation) every cluster sharing its mesh CA, which rotates there too.
 */
record RotationSnapshot(String target, boolean rotateCa, List<Member> members) {

    RotationSnapshot {
        members = List.copyOf(members);
    }

    /**
     * One cluster whose certificates change.
     *
     * @param ciliumName   its {@code cluster-name}, which names the entries other clusters hold for it
     * @param meshCa       our mesh CA Secret (certificate and key)
     * @param leaves       the clustermesh-apiserver TLS Secrets it has, in Cilium's order (contract §3.5)
     * @param agentVersion the agents' version (which Secret they read the local cache certificate from); empty without agents
     * @param holders      other clusters whose Secrets hold direct entries for it
     */
    record Member(
            String cluster,
            String ciliumName,
            Secret meshCa,
            List<Secret> leaves,
            Optional<Deployment> apiserver,
            Optional<CiliumVersion> agentVersion,
            List<Holder> holders) {
        Member {
            leaves = List.copyOf(leaves);
            holders = List.copyOf(holders);
        }
    }

    /**
     * A cluster whose Secrets hold direct entries (own-CA layout) for a member: it trusts the
     * member's CA and presents the member's remote client certificate, so both change with it.
     */
    record Holder(String cluster, List<Secret> secrets) {
        Holder {
            secrets = List.copyOf(secrets);
        }
    }

    /** The clusters the rotation writes, and the shared mesh CA when it changes: what it must hold locked. */
    Set<String> locks() {
        Set<String> locks = new LinkedHashSet<>();
        members.forEach(m -> locks.add(m.cluster()));
        members.forEach(m -> m.holders().forEach(h -> locks.add(h.cluster())));
        if (rotateCa) {
            locks.add(MeshService.SHARED_CA_LOCK);
        }
        return locks;
    }
}
