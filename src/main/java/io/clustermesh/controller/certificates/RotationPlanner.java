package io.clustermesh.controller.certificates;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.pki.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan of a certificate rotation, from a snapshot and a clock only. Each phase writes, in
 * every member, the mesh CA (when it changes), the TLS Secrets and the entries other clusters hold
 * for it, restarts the clustermesh-apiserver (its etcd reads its CA file only at start), and then
 * waits until every member's apiserver rolled out and the agents of every member, and of every
 * cluster holding its entries, read the new files, so the next phase (dropping the old CA) never
 * starts while something still presents or trusts only the old one ({@link CaRotation}).
 */
final class RotationPlanner {
    static final String KIND = "certificate-rotation";
    /** Changing this pod-template annotation rolls the clustermesh-apiserver. */
    static final String RESTARTED_AT = "clustermesh-controller.io/certificates-rotated-at";

    private final String namespace;
    private final Clock clock;
    private final RotationAwaits awaits;

    RotationPlanner(String namespace, Clock clock, RotationAwaits awaits) {
        this.namespace = namespace;
        this.clock = clock;
        this.awaits = awaits;
    }

    /** @param newCa the CA to rotate to; only used when the snapshot asks for a CA rotation */
    Plan plan(RotationSnapshot snapshot, CertificateAuthority newCa) {
        RotationSnapshot.Member target = snapshot.members().get(0);
        CertificateAuthority currentCa = CertificateAuthority.load(
                ApiServerObjects.decode(target.meshCa(), CiliumNames.CA_CRT),
                ApiServerObjects.decode(target.meshCa(), CiliumNames.CA_KEY),
                clock);
        String trust = target.leaves().stream()
                .filter(s ->
                        CiliumNames.SERVER_CERT_SECRET.equals(s.getMetadata().getName()))
                .map(s -> ApiServerObjects.decode(s, CiliumNames.CA_CRT))
                .filter(pem -> pem != null && !pem.isBlank())
                .findFirst()
                .orElse(null);
        List<CaRotation.Phase> phases = snapshot.rotateCa()
                ? CaRotation.overlap(currentCa, trust, newCa)
                : CaRotation.leavesOnly(currentCa, trust);
        PlannedWrites desired = new PlannedWrites();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            CaRotation.Phase phase = phases.get(i);
            String number = "phase " + (i + 1) + "/" + phases.size();
            String label = snapshot.rotateCa() ? number + " " + phase.name() : null;
            String leafChange = phase.signer() != null
                    ? "new certificate and key"
                    : "ca.crt = " + (i == 0 ? "old + new CA" : "new CA");
            String restartedAt = clock.instant() + (snapshot.rotateCa() ? " " + number : "");
            List<Step> phaseSteps = new ArrayList<>();
            Map<String, Step.Write> writes = new LinkedHashMap<>();
            PlannedWrites before = desired.copy();
            for (RotationSnapshot.Member member : snapshot.members()) {
                write(
                        member,
                        phase,
                        phase.signer() != null && phase.signer() != currentCa,
                        leafChange,
                        restartedAt,
                        desired,
                        writes);
            }
            phaseSteps.addAll(writes.values());
            for (RotationSnapshot.Member member : snapshot.members()) {
                member.apiserver().ifPresent(d -> phaseSteps.add(awaits.apiServerRolledOut(member.cluster())));
            }
            for (RotationSnapshot.Member member : snapshot.members()) {
                awaits.agentsRead(member, desired::secret).ifPresent(phaseSteps::add);
            }
            phaseSteps.addAll(awaits.holdersRead(snapshot.members(), before::secret, desired::secret));
            phaseSteps.forEach(step -> steps.add(label == null ? step : new Step.InPhase(label, step)));
        }
        List<String> warnings = new ArrayList<>();
        if (snapshot.members().size() > 1) {
            warnings.add("the mesh CA is shared with "
                    + String.join(
                            ", ",
                            snapshot.members().subList(1, snapshot.members().size()).stream()
                                    .map(RotationSnapshot.Member::cluster)
                                    .toList())
                    + ": it rotates there too");
        }
        return new Plan(KIND, snapshot.target(), steps, warnings);
    }

    /** The writes of one member in one phase, merged into {@code writes} (one write per object and phase). */
    private void write(
            RotationSnapshot.Member member,
            CaRotation.Phase phase,
            boolean storeNewCa,
            String leafChange,
            String restartedAt,
            PlannedWrites desired,
            Map<String, Step.Write> writes) {
        String cluster = member.cluster();
        if (storeNewCa) {
            desired.change(
                    cluster,
                    member.meshCa(),
                    Map.of(
                            CiliumNames.CA_CRT, phase.signer().certificatePem(),
                            CiliumNames.CA_KEY, phase.signer().privateKeyPem()),
                    "store the new CA",
                    writes);
        }
        IssuedCertificate remoteCert = null;
        for (Secret leaf : member.leaves()) {
            String name = leaf.getMetadata().getName();
            Map<String, String> data = new LinkedHashMap<>();
            data.put(CiliumNames.CA_CRT, phase.trustPem());
            if (phase.signer() != null) {
                IssuedCertificate next = CaRotation.reissue(
                        phase.signer(),
                        Pem.parseCertificate(ApiServerObjects.decode(leaf, CiliumNames.TLS_CRT)),
                        name.equals(CiliumNames.SERVER_CERT_SECRET),
                        namespace);
                data.put(CiliumNames.TLS_CRT, next.certificatePem());
                data.put(CiliumNames.TLS_KEY, next.privateKeyPem());
                if (name.equals(CiliumNames.REMOTE_CERT_SECRET)) {
                    remoteCert = next;
                }
            }
            desired.change(cluster, leaf, data, leafChange, writes);
        }
        List<String> keys = ClusterMeshSecretEntries.entryKeysFor(member.ciliumName(), false);
        for (RotationSnapshot.Holder holder : member.holders()) {
            for (Secret secret : holder.secrets()) {
                Map<String, String> data = new LinkedHashMap<>();
                data.put(keys.get(1), phase.trustPem());
                if (remoteCert != null && secret.getData().containsKey(keys.get(2))) {
                    data.put(keys.get(2), remoteCert.certificatePem());
                    data.put(keys.get(3), remoteCert.privateKeyPem());
                }
                desired.change(
                        holder.cluster(),
                        secret,
                        data,
                        "entries for " + member.ciliumName() + " (trust"
                                + (remoteCert != null ? ", client certificate" : "") + ")",
                        writes);
            }
        }
        member.apiserver().ifPresent(d -> {
            Deployment next = Serialization.clone(d);
            var template = next.getSpec().getTemplate().getMetadata();
            if (template.getAnnotations() == null) {
                template.setAnnotations(new LinkedHashMap<>());
            }
            template.getAnnotations().put(RESTARTED_AT, restartedAt);
            writes.put(
                    PlannedWrites.key(cluster, next),
                    new Step.Write(cluster, next, true, "restart so etcd reads the new trust and certificate"));
        });
    }
}
