package io.clustermesh.controller.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumVersion;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.pki.Pem;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The certificate rotation planner without any cluster: a snapshot in, the steps out. */
class RotationPlannerTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final CertificateAuthority OLD_CA = ClusterMeshCertificates.generateCa(CLOCK);
    private static final CertificateAuthority NEW_CA = ClusterMeshCertificates.generateCa(CLOCK);
    private static final CertificateAuthority OTHER_CA = ClusterMeshCertificates.generateCa(CLOCK);
    private static final List<String> LEAVES = List.of(
            CiliumNames.SERVER_CERT_SECRET,
            CiliumNames.ADMIN_CERT_SECRET,
            CiliumNames.REMOTE_CERT_SECRET,
            CiliumNames.LOCAL_CERT_SECRET);

    private final RotationPlanner planner =
            new RotationPlanner(NS, CLOCK, new RotationAwaits(NS, Duration.ofSeconds(30), Duration.ofSeconds(90)));

    @Test
    void leafRotationReissuesEveryLeafWithTheSameCaThenRestartsAndWaits() {
        var cloud = member("cloud", OLD_CA, List.of(holder("homelab", "cloud")));
        Plan plan = planner.plan(new RotationSnapshot("cloud", false, List.of(cloud)), null);

        assertThat(plan.kind()).isEqualTo("certificate-rotation");
        assertThat(plan.warnings()).isEmpty();
        assertThat(names(plan))
                .containsExactly(
                        "cloud: update Secret " + NS + "/" + CiliumNames.SERVER_CERT_SECRET,
                        "cloud: update Secret " + NS + "/" + CiliumNames.ADMIN_CERT_SECRET,
                        "cloud: update Secret " + NS + "/" + CiliumNames.REMOTE_CERT_SECRET,
                        "cloud: update Secret " + NS + "/" + CiliumNames.LOCAL_CERT_SECRET,
                        "homelab: update Secret " + NS + "/" + CiliumNames.KVSTOREMESH_SECRET,
                        "cloud: update Deployment " + NS + "/" + CiliumNames.APISERVER,
                        "cloud: wait for the clustermesh-apiserver rollout",
                        "cloud: wait for the agents to read the new certificates");
        for (String leaf : LEAVES) {
            Secret written = written(plan, "cloud", leaf, 0);
            X509Certificate before = cert(find(cloud.leaves(), leaf), CiliumNames.TLS_CRT);
            X509Certificate after = cert(written, CiliumNames.TLS_CRT);
            assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
            assertThat(after.getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
            assertThat(signedBy(after, OLD_CA.certificatePem())).isTrue();
            assertThat(ApiServerObjects.decode(written, CiliumNames.CA_CRT)).isEqualTo(OLD_CA.certificatePem());
            // Written at the resourceVersion it was read at: a concurrent writer makes the step fail, not lose.
            assertThat(written.getMetadata().getResourceVersion()).isEqualTo("7");
        }
        Secret entries = written(plan, "homelab", CiliumNames.KVSTOREMESH_SECRET, 0);
        var keys = ClusterMeshSecretEntries.entryKeysFor("cloud", false);
        assertThat(ApiServerObjects.decode(entries, keys.get(2)))
                .isEqualTo(ApiServerObjects.decode(
                        written(plan, "cloud", CiliumNames.REMOTE_CERT_SECRET, 0), CiliumNames.TLS_CRT));
        assertThat(ApiServerObjects.decode(entries, "cloud")).isEqualTo("endpoints: [https://cloud:2379]\n");
        Deployment restarted =
                (Deployment) writes(plan, "cloud", CiliumNames.APISERVER).get(0);
        assertThat(restarted.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(RotationPlanner.RESTARTED_AT, NOW.toString());
        assertThat(plan.steps()).noneMatch(s -> s.stepName().contains(ApiServerObjects.MESH_CA_SECRET));
    }

    @Test
    void caRotationIsThreePhasesEachWritingThenWaitingForEveryClusterBeforeTheNext() {
        var cloud = member("cloud", OLD_CA, List.of());
        var homelab = member("homelab", OLD_CA, List.of());
        Plan plan = planner.plan(new RotationSnapshot("cloud", true, List.of(cloud, homelab)), NEW_CA);

        assertThat(plan.warnings()).containsExactly("the mesh CA is shared with homelab: it rotates there too");
        Map<String, List<Step>> phases = plan.steps().stream()
                .map(s -> (Step.InPhase) s)
                .collect(Collectors.groupingBy(
                        Step.InPhase::phase,
                        LinkedHashMap::new,
                        Collectors.mapping(Step.InPhase::step, Collectors.toList())));
        assertThat(phases.keySet())
                .containsExactly(
                        "phase 1/3 trust the old and the new CA",
                        "phase 2/3 re-issue the certificates with the new CA",
                        "phase 3/3 drop the old CA");
        for (List<Step> phase : phases.values()) {
            int firstAwait = indexOfFirst(phase, Step.Await.class);
            assertThat(phase.subList(0, firstAwait)).allMatch(Step.Write.class::isInstance);
            assertThat(phase.subList(firstAwait, phase.size()))
                    .allMatch(Step.Await.class::isInstance)
                    .extracting(Step::stepName)
                    .containsExactly(
                            "cloud: wait for the clustermesh-apiserver rollout",
                            "homelab: wait for the clustermesh-apiserver rollout",
                            "cloud: wait for the agents to read the new certificates",
                            "homelab: wait for the agents to read the new certificates");
            assertThat(phase.subList(0, firstAwait)).extracting(Step::cluster).contains("cloud", "homelab");
        }
        for (String cluster : List.of("cloud", "homelab")) {
            for (String leaf : LEAVES) {
                Secret trustBoth = written(plan, cluster, leaf, 0);
                Secret reissued = written(plan, cluster, leaf, 1);
                Secret dropOld = written(plan, cluster, leaf, 2);
                assertThat(Pem.parseCertificates(ApiServerObjects.decode(trustBoth, CiliumNames.CA_CRT)))
                        .hasSize(2);
                assertThat(ApiServerObjects.decode(trustBoth, CiliumNames.TLS_CRT))
                        .isEqualTo(ApiServerObjects.decode(
                                find(cloudOr(cluster, cloud, homelab), leaf), CiliumNames.TLS_CRT));
                assertThat(signedBy(cert(reissued, CiliumNames.TLS_CRT), NEW_CA.certificatePem()))
                        .isTrue();
                assertThat(ApiServerObjects.decode(reissued, CiliumNames.CA_CRT))
                        .isEqualTo(ApiServerObjects.decode(trustBoth, CiliumNames.CA_CRT));
                assertThat(ApiServerObjects.decode(dropOld, CiliumNames.CA_CRT)).isEqualTo(NEW_CA.certificatePem());
                assertThat(ApiServerObjects.decode(dropOld, CiliumNames.TLS_CRT))
                        .isEqualTo(ApiServerObjects.decode(reissued, CiliumNames.TLS_CRT));
            }
            List<Object> caWrites = writes(plan, cluster, ApiServerObjects.MESH_CA_SECRET);
            assertThat(caWrites).hasSize(1);
            assertThat(ApiServerObjects.decode((Secret) caWrites.get(0), CiliumNames.CA_KEY))
                    .isEqualTo(NEW_CA.privateKeyPem());
            assertThat(writes(plan, cluster, CiliumNames.APISERVER))
                    .extracting(d -> ((Deployment) d)
                            .getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getAnnotations()
                            .get(RotationPlanner.RESTARTED_AT))
                    .containsExactly(NOW + " phase 1/3", NOW + " phase 2/3", NOW + " phase 3/3");
        }
        assertThat(overlapBreaks(plan, List.of(cloud, homelab))).isEmpty();
    }

    @Test
    void aClusterHoldingEntriesGetsTheTrustOfEachPhaseAndTheNewClientCertificate() {
        var cloud = member("cloud", OLD_CA, List.of(holder("homelab", "cloud")));
        Plan plan = planner.plan(new RotationSnapshot("cloud", true, List.of(cloud)), NEW_CA);

        var keys = ClusterMeshSecretEntries.entryKeysFor("cloud", false);
        List<Object> entries = writes(plan, "homelab", CiliumNames.KVSTOREMESH_SECRET);
        assertThat(entries).hasSize(3);
        assertThat(Pem.parseCertificates(ApiServerObjects.decode((Secret) entries.get(0), keys.get(1))))
                .hasSize(2);
        assertThat(ApiServerObjects.decode((Secret) entries.get(0), keys.get(2)))
                .isEqualTo(ApiServerObjects.decode(
                        find(cloud.holders().get(0).secrets(), CiliumNames.KVSTOREMESH_SECRET), keys.get(2)));
        assertThat(ApiServerObjects.decode((Secret) entries.get(1), keys.get(2)))
                .isEqualTo(ApiServerObjects.decode(
                        written(plan, "cloud", CiliumNames.REMOTE_CERT_SECRET, 1), CiliumNames.TLS_CRT));
        assertThat(ApiServerObjects.decode((Secret) entries.get(2), keys.get(1)))
                .isEqualTo(NEW_CA.certificatePem());
        // Entries for other remotes in the same Secret are kept.
        assertThat(ApiServerObjects.decode((Secret) entries.get(2), "elsewhere"))
                .isEqualTo("endpoints: []\n");
    }

    @Test
    void aRotationRunAgainAfterAStopKeepsTrustingWhatSomeLeafMayStillComeFrom() {
        // Stopped in phase 2: the CA Secret holds the CA of that run, the trust still has both.
        CertificateAuthority stoppedRunCa = ClusterMeshCertificates.generateCa(CLOCK);
        var cloud = member("cloud", stoppedRunCa, List.of(), OLD_CA.certificatePem() + stoppedRunCa.certificatePem());
        Plan plan = planner.plan(new RotationSnapshot("cloud", true, List.of(cloud)), NEW_CA);

        Secret trustAll = written(plan, "cloud", CiliumNames.SERVER_CERT_SECRET, 0);
        assertThat(Pem.parseCertificates(ApiServerObjects.decode(trustAll, CiliumNames.CA_CRT)))
                .hasSize(3);
    }

    @Test
    void theStepsDoNotDependOnTheNewKeysSoADryRunShowsTheRealRunsSteps() {
        var cloud = member("cloud", OLD_CA, List.of(holder("homelab", "cloud")));
        var snapshot = new RotationSnapshot("cloud", true, List.of(cloud));
        assertThat(names(planner.plan(snapshot, NEW_CA))).isEqualTo(names(planner.plan(snapshot, OTHER_CA)));
        assertThat(planner.plan(snapshot, NEW_CA).views())
                .extracting(Step.View::step)
                .isEqualTo(names(planner.plan(snapshot, OTHER_CA)));
    }

    @Test
    void withoutTheWaitsBetweenPhasesALeafOfTheNewCaCouldMeetATrustOfOnlyTheOld() {
        var cloud = member("cloud", OLD_CA, List.of());
        var homelab = member("homelab", OLD_CA, List.of());
        Plan plan = planner.plan(new RotationSnapshot("cloud", true, List.of(cloud, homelab)), NEW_CA);
        Plan withoutWaits = new Plan(
                plan.kind(),
                plan.target(),
                plan.steps().stream()
                        .filter(s -> !(((Step.InPhase) s).step() instanceof Step.Await))
                        .toList(),
                plan.warnings());

        assertThat(overlapBreaks(plan, List.of(cloud, homelab))).isEmpty();
        assertThat(overlapBreaks(withoutWaits, List.of(cloud, homelab)))
                .isNotEmpty()
                .anySatisfy(b -> assertThat(b).contains("not trusted"));
    }

    @Test
    void leavesOnlyKeepsATrustBundleOfTwoCas() {
        String bundle = OLD_CA.certificatePem() + OTHER_CA.certificatePem();
        var cloud = member("cloud", OLD_CA, List.of(), bundle);
        Plan plan = planner.plan(new RotationSnapshot("cloud", false, List.of(cloud)), null);
        assertThat(Pem.parseCertificates(ApiServerObjects.decode(
                        written(plan, "cloud", CiliumNames.LOCAL_CERT_SECRET, 0), CiliumNames.CA_CRT)))
                .hasSize(2);
    }

    /**
     * Walks the plan as the clusters would see it: a Secret written in a phase may be read, old or
     * new, by whoever mounts it until a wait of that cluster saw the new one. After every step,
     * every certificate any member may present must verify against every trust any member may hold.
     */
    private static List<String> overlapBreaks(Plan plan, List<RotationSnapshot.Member> members) {
        Map<String, List<Secret>> seen = new LinkedHashMap<>();
        for (var member : members) {
            member.leaves()
                    .forEach(s ->
                            seen.put(member.cluster() + "/" + s.getMetadata().getName(), new ArrayList<>(List.of(s))));
        }
        List<String> breaks = new ArrayList<>();
        Map<Secret, Map<Secret, Boolean>> verified = new IdentityHashMap<>();
        for (Step step : plan.steps()) {
            Step inner = step instanceof Step.InPhase p ? p.step() : step;
            if (inner instanceof Step.Write w && w.desired() instanceof Secret s) {
                var versions = seen.get(w.cluster() + "/" + s.getMetadata().getName());
                if (versions != null) {
                    versions.add(s);
                }
            }
            if (inner instanceof Step.Await a) {
                seen.forEach((key, versions) -> {
                    if (key.startsWith(a.cluster() + "/")) {
                        Secret latest = versions.get(versions.size() - 1);
                        versions.clear();
                        versions.add(latest);
                    }
                });
            }
            for (var presenter : seen.entrySet()) {
                for (var truster : seen.entrySet()) {
                    for (Secret p : presenter.getValue()) {
                        for (Secret t : truster.getValue()) {
                            boolean ok = verified.computeIfAbsent(p, k -> new IdentityHashMap<>())
                                    .computeIfAbsent(
                                            t,
                                            k -> signedBy(
                                                    cert(p, CiliumNames.TLS_CRT),
                                                    ApiServerObjects.decode(t, CiliumNames.CA_CRT)));
                            if (!ok) {
                                breaks.add(step.stepName() + ": " + presenter.getKey() + " not trusted by "
                                        + truster.getKey());
                            }
                        }
                    }
                }
            }
        }
        return breaks;
    }

    private static RotationSnapshot.Member member(
            String cluster, CertificateAuthority ca, List<RotationSnapshot.Holder> holders) {
        return member(cluster, ca, holders, ca.certificatePem());
    }

    private static RotationSnapshot.Member member(
            String cluster, CertificateAuthority ca, List<RotationSnapshot.Holder> holders, String trust) {
        List<Secret> leaves = List.of(
                leaf(
                        CiliumNames.SERVER_CERT_SECRET,
                        ca.issue(ClusterMeshCertificates.server(NS, List.of(cluster + ".example.net"), List.of())),
                        trust),
                leaf(CiliumNames.ADMIN_CERT_SECRET, ca.issue(ClusterMeshCertificates.admin(cluster)), trust),
                leaf(CiliumNames.REMOTE_CERT_SECRET, ca.issue(ClusterMeshCertificates.remote()), trust),
                leaf(CiliumNames.LOCAL_CERT_SECRET, ca.issue(ClusterMeshCertificates.local(cluster)), trust));
        Secret meshCa = secret(
                ApiServerObjects.MESH_CA_SECRET,
                Map.of(CiliumNames.CA_CRT, ca.certificatePem(), CiliumNames.CA_KEY, ca.privateKeyPem()));
        Deployment apiserver = new DeploymentBuilder()
                .withNewMetadata()
                .withName(CiliumNames.APISERVER)
                .withNamespace(NS)
                .withResourceVersion("9")
                .withGeneration(1L)
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewMetadata()
                .endMetadata()
                .endTemplate()
                .endSpec()
                .build();
        return new RotationSnapshot.Member(
                cluster, cluster, meshCa, leaves, Optional.of(apiserver), Optional.of(CiliumVersion.V1_18), holders);
    }

    /** {@code holder}'s kvstoremesh Secret with direct entries for {@code remote} (own CA) and another remote. */
    private static RotationSnapshot.Holder holder(String holder, String remote) {
        var keys = ClusterMeshSecretEntries.entryKeysFor(remote, false);
        IssuedCertificate client = OLD_CA.issue(ClusterMeshCertificates.remote());
        Map<String, String> data = new LinkedHashMap<>();
        data.put(keys.get(0), "endpoints: [https://" + remote + ":2379]\n");
        data.put(keys.get(1), OLD_CA.certificatePem());
        data.put(keys.get(2), client.certificatePem());
        data.put(keys.get(3), client.privateKeyPem());
        data.put("elsewhere", "endpoints: []\n");
        return new RotationSnapshot.Holder(holder, List.of(secret(CiliumNames.KVSTOREMESH_SECRET, data)));
    }

    private static Secret leaf(String name, IssuedCertificate issued, String trust) {
        return secret(
                name,
                Map.of(
                        CiliumNames.CA_CRT, trust,
                        CiliumNames.TLS_CRT, issued.certificatePem(),
                        CiliumNames.TLS_KEY, issued.privateKeyPem()));
    }

    private static Secret secret(String name, Map<String, String> plain) {
        Map<String, String> data = new LinkedHashMap<>();
        plain.forEach((k, v) -> data.put(k, ApiServerObjects.b64(v)));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .withResourceVersion("7")
                .endMetadata()
                .withData(data)
                .build();
    }

    private static List<String> names(Plan plan) {
        return plan.steps().stream().map(Step::stepName).toList();
    }

    /** The objects the plan writes to {@code name} in {@code cluster}, in order. */
    private static List<Object> writes(Plan plan, String cluster, String name) {
        return plan.steps().stream()
                .map(s -> s instanceof Step.InPhase p ? p.step() : s)
                .filter(s -> s instanceof Step.Write w
                        && w.cluster().equals(cluster)
                        && w.desired().getMetadata().getName().equals(name))
                .map(s -> (Object) ((Step.Write) s).desired())
                .toList();
    }

    private static Secret written(Plan plan, String cluster, String name, int index) {
        return (Secret) writes(plan, cluster, name).get(index);
    }

    private static Secret find(List<Secret> secrets, String name) {
        return secrets.stream()
                .filter(s -> s.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<Secret> cloudOr(
            String cluster, RotationSnapshot.Member cloud, RotationSnapshot.Member homelab) {
        return cluster.equals("cloud") ? cloud.leaves() : homelab.leaves();
    }

    private static X509Certificate cert(Secret secret, String key) {
        return Pem.parseCertificate(ApiServerObjects.decode(secret, key));
    }

    private static boolean signedBy(X509Certificate certificate, String trustPem) {
        for (X509Certificate ca : Pem.parseCertificates(trustPem)) {
            try {
                certificate.verify(ca.getPublicKey());
                return true;
            } catch (Exception e) {
                // not this one
            }
        }
        return false;
    }

    private static int indexOfFirst(List<Step> steps, Class<?> type) {
        for (int i = 0; i < steps.size(); i++) {
            if (type.isInstance(steps.get(i))) {
                return i;
            }
        }
        return steps.size();
    }
}
