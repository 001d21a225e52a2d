package io.clustermesh.controller.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.AgentCommands;
import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumVersion;
import io.clustermesh.controller.cilium.ClusterMeshSecretEntries;
import io.clustermesh.controller.contexts.ClusterGateway;
import io.clustermesh.controller.operations.Plan;
import io.clustermesh.controller.operations.Step;
import io.clustermesh.controller.pki.CertificateAuthority;
import io.clustermesh.controller.pki.ClusterMeshCertificates;
import io.clustermesh.controller.pki.IssuedCertificate;
import io.clustermesh.controller.pki.Pem;
import io.clustermesh.controller.support.AgentPods;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.lang.reflect.Proxy;
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
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
        Map<String, List<Step>> phases = phases(plan);
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
    void aClusterWhoseAgentsReadEntriesForAMemberWaitsForThemInEveryPhaseBeforeTheNextStarts() {
        var cloud = member("cloud", OLD_CA, List.of(holder("homelab", CiliumNames.CLUSTERMESH_SECRET, "cloud")));
        Plan plan = planner.plan(new RotationSnapshot("cloud", true, List.of(cloud)), NEW_CA);

        String holderAwait = "homelab: " + RotationAwaits.HOLDERS_READ + "cloud";
        String entries = "homelab: update Secret " + NS + "/" + CiliumNames.CLUSTERMESH_SECRET;
        List<String> all = names(plan);
        List<String> labels = List.copyOf(phases(plan).keySet());
        assertThat(labels).hasSize(3);
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            List<Step> phase = phases(plan).get(label);
            assertThat(phase).extracting(Step::stepName).doesNotHaveDuplicates();
            assertThat(phase)
                    .filteredOn(s -> s.cluster().equals("homelab"))
                    .extracting(Step::stepName)
                    .containsExactly(entries, holderAwait);
            int awaited = all.indexOf(label + ": " + holderAwait);
            assertThat(awaited).isGreaterThan(all.indexOf(label + ": " + entries));
            if (i + 1 < labels.size()) {
                String next = labels.get(i + 1) + ": ";
                int nextStarts = IntStream.range(0, all.size())
                        .filter(k -> all.get(k).startsWith(next))
                        .findFirst()
                        .orElseThrow();
                assertThat(((Step.InPhase) plan.steps().get(nextStarts)).step()).isInstanceOf(Step.Write.class);
                assertThat(awaited).isLessThan(nextStarts);
            }
        }
        // What each phase changes there: the trust, the client certificate, the trust. Never the key file: it is
        // swapped with its certificate, and a private key need not leave the node.
        var keys = ClusterMeshSecretEntries.entryKeysFor("cloud", false);
        String trust = CiliumNames.CLUSTERMESH_CONFIG_DIR + keys.get(1);
        String client = CiliumNames.CLUSTERMESH_CONFIG_DIR + keys.get(2);
        assertThat(holderAwait(plan, labels.get(0)).summary()).contains(trust).doesNotContain(client, keys.get(3));
        assertThat(holderAwait(plan, labels.get(1)).summary()).contains(client).doesNotContain(trust, keys.get(3));
        assertThat(holderAwait(plan, labels.get(2)).summary()).contains(trust).doesNotContain(client, keys.get(3));
        assertThat(overlapBreaks(plan, List.of(cloud))).isEmpty();
    }

    @Test
    void theHoldersWaitIsMetOnlyWhenEveryAgentReadsWhatThePhaseWrote() {
        var cloud = member("cloud", OLD_CA, List.of(holder("homelab", CiliumNames.CLUSTERMESH_SECRET, "cloud")));
        Plan plan = planner.plan(new RotationSnapshot("cloud", true, List.of(cloud)), NEW_CA);
        Step.Await dropOld = holderAwait(plan, "phase 3/3 drop the old CA");
        Map<String, String> reissued = files(written(plan, "homelab", CiliumNames.CLUSTERMESH_SECRET, 1));
        Map<String, String> dropped = files(written(plan, "homelab", CiliumNames.CLUSTERMESH_SECRET, 2));

        assertThat(dropOld.cluster()).isEqualTo("homelab");
        assertThat(dropOld.condition().check(agents(Map.of("homelab-node-1", dropped, "homelab-node-2", dropped))))
                .isInstanceOf(Step.Check.Met.class);
        assertThat(dropOld.condition().check(agents(Map.of("homelab-node-1", dropped, "homelab-node-2", reissued))))
                .isInstanceOfSatisfying(
                        Step.Check.Waiting.class,
                        w -> assertThat(w.reason())
                                .contains("homelab-node-2")
                                .doesNotContain("homelab-node-1", "BEGIN"));
    }

    @Test
    void oneWaitPerHoldingClusterCoversTheEntriesOfEveryMemberItHolds() {
        Secret shared = heldEntries(CiliumNames.CLUSTERMESH_SECRET, "cloud", "edge");
        var cloud = member("cloud", OLD_CA, List.of(new RotationSnapshot.Holder("homelab", List.of(shared))));
        var edge = member("edge", OLD_CA, List.of(new RotationSnapshot.Holder("homelab", List.of(shared))));
        Plan plan = planner.plan(new RotationSnapshot("cloud", true, List.of(cloud, edge)), NEW_CA);

        for (var phase : phases(plan).entrySet()) {
            assertThat(phase.getValue())
                    .filteredOn(s -> s.cluster().equals("homelab"))
                    .extracting(Step::stepName)
                    .containsExactly(
                            "homelab: update Secret " + NS + "/" + CiliumNames.CLUSTERMESH_SECRET,
                            "homelab: " + RotationAwaits.HOLDERS_READ + "cloud, edge");
            assertThat(holderAwait(plan, phase.getKey()).summary())
                    .contains(
                            CiliumNames.CLUSTERMESH_CONFIG_DIR + "cloud.",
                            CiliumNames.CLUSTERMESH_CONFIG_DIR + "edge.");
        }
        assertThat(overlapBreaks(plan, List.of(cloud, edge))).isEmpty();
    }

    @Test
    void onlyTheAgentsSecretIsWaitedForAndOnlyWhenThePhaseChangesIt() {
        var kvstoremeshOnly = member("cloud", OLD_CA, List.of(holder("homelab", "cloud")));
        assertThat(names(planner.plan(new RotationSnapshot("cloud", true, List.of(kvstoremeshOnly)), NEW_CA)))
                .noneMatch(n -> n.contains(RotationAwaits.HOLDERS_READ));

        // Leaves only: the trust stays, so a holder that trusts the member without presenting a client certificate
        // of its own has nothing new to read; one that presents one reads the re-issued certificate.
        Secret trustOnly = heldEntries(CiliumNames.CLUSTERMESH_SECRET, "cloud");
        var keys = ClusterMeshSecretEntries.entryKeysFor("cloud", false);
        trustOnly.getData().remove(keys.get(2));
        trustOnly.getData().remove(keys.get(3));
        var trusting = member("cloud", OLD_CA, List.of(new RotationSnapshot.Holder("homelab", List.of(trustOnly))));
        assertThat(names(planner.plan(new RotationSnapshot("cloud", false, List.of(trusting)), null)))
                .contains("homelab: update Secret " + NS + "/" + CiliumNames.CLUSTERMESH_SECRET)
                .noneMatch(n -> n.contains(RotationAwaits.HOLDERS_READ));
        var presenting = member("cloud", OLD_CA, List.of(holder("homelab", CiliumNames.CLUSTERMESH_SECRET, "cloud")));
        assertThat(names(planner.plan(new RotationSnapshot("cloud", false, List.of(presenting)), null)))
                .endsWith("homelab: " + RotationAwaits.HOLDERS_READ + "cloud");
    }

    @Test
    void withoutTheHoldersWaitsTheirAgentsCouldStillPresentOrTrustOnlyTheOldCa() {
        var cloud = member("cloud", OLD_CA, List.of(holder("homelab", CiliumNames.CLUSTERMESH_SECRET, "cloud")));
        Plan plan = planner.plan(new RotationSnapshot("cloud", true, List.of(cloud)), NEW_CA);
        Plan withoutHolderWaits = new Plan(
                plan.kind(),
                plan.target(),
                plan.steps().stream()
                        .filter(s -> !s.stepName().contains(RotationAwaits.HOLDERS_READ))
                        .toList(),
                plan.warnings());

        assertThat(overlapBreaks(plan, List.of(cloud))).isEmpty();
        assertThat(overlapBreaks(withoutHolderWaits, List.of(cloud)))
                .anySatisfy(b -> assertThat(b)
                        .startsWith("phase 3/3")
                        .contains("homelab/" + CiliumNames.CLUSTERMESH_SECRET + " not trusted by cloud/"))
                .anySatisfy(b -> assertThat(b).contains("not trusted by homelab/" + CiliumNames.CLUSTERMESH_SECRET));
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
     * every certificate any member may present must verify against every trust any member may hold,
     * and a cluster holding a member's entries (own-CA layout) must trust the member's certificates
     * and present a client certificate the member trusts.
     */
    private static List<String> overlapBreaks(Plan plan, List<RotationSnapshot.Member> members) {
        Map<String, List<Secret>> leaves = new LinkedHashMap<>();
        Map<String, List<Secret>> held = new LinkedHashMap<>();
        Map<String, List<RotationSnapshot.Member>> heldFor = new LinkedHashMap<>();
        for (var member : members) {
            member.leaves().forEach(s -> leaves.put(key(member.cluster(), s), new ArrayList<>(List.of(s))));
            for (var holder : member.holders()) {
                for (Secret s : holder.secrets()) {
                    held.putIfAbsent(key(holder.cluster(), s), new ArrayList<>(List.of(s)));
                    heldFor.computeIfAbsent(key(holder.cluster(), s), k -> new ArrayList<>())
                            .add(member);
                }
            }
        }
        List<String> breaks = new ArrayList<>();
        Map<Secret, Map<Secret, Map<String, Boolean>>> verified = new IdentityHashMap<>();
        for (Step step : plan.steps()) {
            Step inner = step instanceof Step.InPhase p ? p.step() : step;
            for (var seen : List.of(leaves, held)) {
                if (inner instanceof Step.Write w && w.desired() instanceof Secret s) {
                    var versions = seen.get(key(w.cluster(), s));
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
            }
            for (var presenter : leaves.entrySet()) {
                for (var truster : leaves.entrySet()) {
                    for (Secret p : presenter.getValue()) {
                        for (Secret t : truster.getValue()) {
                            if (!verifies(verified, p, CiliumNames.TLS_CRT, t, CiliumNames.CA_CRT)) {
                                breaks.add(step.stepName() + ": " + presenter.getKey() + " not trusted by "
                                        + truster.getKey());
                            }
                        }
                    }
                }
            }
            for (var holding : held.entrySet()) {
                for (var member : heldFor.get(holding.getKey())) {
                    var keys = ClusterMeshSecretEntries.entryKeysFor(member.ciliumName(), false);
                    for (var leaf : leaves.entrySet()) {
                        if (!leaf.getKey().startsWith(member.cluster() + "/")) {
                            continue;
                        }
                        for (Secret h : holding.getValue()) {
                            for (Secret l : leaf.getValue()) {
                                if (h.getData().containsKey(keys.get(2))
                                        && !verifies(verified, h, keys.get(2), l, CiliumNames.CA_CRT)) {
                                    breaks.add(step.stepName() + ": " + holding.getKey() + " not trusted by "
                                            + leaf.getKey());
                                }
                                if (!verifies(verified, l, CiliumNames.TLS_CRT, h, keys.get(1))) {
                                    breaks.add(step.stepName() + ": " + leaf.getKey() + " not trusted by "
                                            + holding.getKey());
                                }
                            }
                        }
                    }
                }
            }
        }
        return breaks;
    }

    private static String key(String cluster, Secret secret) {
        return cluster + "/" + secret.getMetadata().getName();
    }

    /** Whether the certificate under {@code certKey} of {@code presenter} verifies against the CAs under {@code trustKey} of {@code truster}. */
    private static boolean verifies(
            Map<Secret, Map<Secret, Map<String, Boolean>>> cache,
            Secret presenter,
            String certKey,
            Secret truster,
            String trustKey) {
        return cache.computeIfAbsent(presenter, k -> new IdentityHashMap<>())
                .computeIfAbsent(truster, k -> new LinkedHashMap<>())
                .computeIfAbsent(
                        certKey + " " + trustKey,
                        k -> signedBy(cert(presenter, certKey), ApiServerObjects.decode(truster, trustKey)));
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
        return holder(holder, CiliumNames.KVSTOREMESH_SECRET, remote);
    }

    private static RotationSnapshot.Holder holder(String holder, String secretName, String remote) {
        return new RotationSnapshot.Holder(holder, List.of(heldEntries(secretName, remote)));
    }

    /** A Secret with direct entries (own CA, client certificate from the old CA) for each remote, and another remote's. */
    private static Secret heldEntries(String secretName, String... remotes) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String remote : remotes) {
            var keys = ClusterMeshSecretEntries.entryKeysFor(remote, false);
            IssuedCertificate client = OLD_CA.issue(ClusterMeshCertificates.remote());
            data.put(keys.get(0), "endpoints: [https://" + remote + ":2379]\n");
            data.put(keys.get(1), OLD_CA.certificatePem());
            data.put(keys.get(2), client.certificatePem());
            data.put(keys.get(3), client.privateKeyPem());
        }
        data.put("elsewhere", "endpoints: []\n");
        return secret(secretName, data);
    }

    private static Map<String, List<Step>> phases(Plan plan) {
        return plan.steps().stream()
                .map(s -> (Step.InPhase) s)
                .collect(Collectors.groupingBy(
                        Step.InPhase::phase,
                        LinkedHashMap::new,
                        Collectors.mapping(Step.InPhase::step, Collectors.toList())));
    }

    private static Step.Await holderAwait(Plan plan, String phase) {
        return phases(plan).get(phase).stream()
                .filter(s -> s instanceof Step.Await a && a.what().startsWith(RotationAwaits.HOLDERS_READ))
                .map(s -> (Step.Await) s)
                .findFirst()
                .orElseThrow();
    }

    /** A Secret's keys as the files its mounted volume shows under the clustermesh directory. */
    private static Map<String, String> files(Secret secret) {
        Map<String, String> files = new LinkedHashMap<>();
        secret.getData()
                .keySet()
                .forEach(k -> files.put(CiliumNames.CLUSTERMESH_CONFIG_DIR + k, ApiServerObjects.decode(secret, k)));
        return files;
    }

    /** A cluster whose only agents run on these nodes and read these files; any other call fails the test. */
    private static Function<String, ClusterGateway> agents(Map<String, Map<String, String>> filesByNode) {
        List<String> nodes = new ArrayList<>(new TreeSet<>(filesByNode.keySet()));
        ClusterGateway gateway = (ClusterGateway) Proxy.newProxyInstance(
                ClusterGateway.class.getClassLoader(), new Class<?>[] {ClusterGateway.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "pods":
                            return nodes.stream()
                                    .map(n -> AgentPods.agent(n, true))
                                    .toList();
                        case "exec":
                            String node = ((String) args[1]).substring("cilium-".length());
                            String[] command = (String[]) args[4];
                            assertThat(command).containsExactlyElementsOf(AgentCommands.readFile(command[1]));
                            String content = filesByNode.get(node).get(command[1]);
                            if (content == null) {
                                throw new IllegalStateException("cat: " + command[1] + ": No such file or directory");
                            }
                            return content;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        return name -> {
            assertThat(name).isEqualTo("homelab");
            return gateway;
        };
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
