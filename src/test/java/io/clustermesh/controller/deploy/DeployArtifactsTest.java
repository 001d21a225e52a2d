package io.clustermesh.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.reachability.ReachabilityConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deploy/ artifacts: the Helm chart rendered with Helm's own engine (helm-java), the plain
 * manifests, and the RBAC for managed clusters, checked for what a cluster admin relies on —
 * probes, restricted pod security, least-privilege RBAC, the check CronJob's failure semantics,
 * the alerts — and for the chart and the plain manifests saying the same thing.
 */
class DeployArtifactsTest {

    private static final Path CHART = Path.of("deploy/helm/clustermesh-controller");
    private static final Path MANIFESTS = Path.of("deploy/manifests");
    private static final Path MANAGED_CLUSTER_RBAC = MANIFESTS.resolve("managed-cluster-rbac.yaml");
    private static final Path KUSTOMIZATION = MANIFESTS.resolve("kustomization.yaml");
    private static final String RELEASE = "cmc";
    private static final String NAMESPACE = "clustermesh-system";
    /** The chart's full name for release "cmc"; the plain manifests are the release "clustermesh-controller". */
    private static final String CHART_PREFIX = "cmc-clustermesh-controller";

    private static final String PLAIN_PREFIX = "clustermesh-controller";

    private static final Set<String> REQUIRED_KINDS = Set.of(
            "Deployment",
            "Service",
            "ServiceAccount",
            "Role",
            "RoleBinding",
            "Secret",
            "CronJob",
            "NetworkPolicy",
            "PrometheusRule");
    private static final List<String> ALERTS = List.of(
            "ClusterMeshLinkDown",
            "ClusterMeshProbeLatencyRegression",
            "ClusterMeshCertificateExpiringSoon",
            "ClusterMeshWireGuardKeyTooOld",
            "ClusterMeshCheckCronJobFailing");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean helmEngineChecked;
    private static List<HasMetadata> chartDefaults;

    record Source(String name, List<HasMetadata> objects) {
        @Override
        public String toString() {
            return name;
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            assertThat(found)
                    .as("%s: exactly one %s", name, type.getSimpleName())
                    .hasSize(1);
            return found.get(0);
        }

        GenericKubernetesResource prometheusRule() {
            List<GenericKubernetesResource> rules = objects.stream()
                    .filter(o -> o.getKind().equals("PrometheusRule"))
                    .map(GenericKubernetesResource.class::cast)
                    .toList();
            assertThat(rules).as("%s: exactly one PrometheusRule", name).hasSize(1);
            return rules.get(0);
        }
    }

    static Stream<Source> bothSources() {
        return Stream.of(new Source("chart", chartDefaults()), new Source("manifests", plainManifests()));
    }

    @Test
    void chartPassesHelmLint() {
        LintResult lint = helm().lint().call();
        assertThat(lint.isFailed()).as("helm lint: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void everyKindTheServiceNeedsIsPresent(Source source) {
        Set<String> kinds = source.objects().stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertThat(kinds).containsAll(REQUIRED_KINDS);
        assertThat(kinds).doesNotContain("ClusterRole", "ClusterRoleBinding");
        assertThat(source.objects()).allSatisfy(o -> {
            if (!o.getKind().equals("Namespace")) {
                assertThat(o.getMetadata().getNamespace()).as(describe(o)).isEqualTo(NAMESPACE);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void everyObjectCarriesTheRecommendedLabels(Source source) {
        assertThat(source.objects())
                .allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                        .as(describe(o))
                        .containsKeys(
                                "app.kubernetes.io/name",
                                "app.kubernetes.io/instance",
                                "app.kubernetes.io/version",
                                "app.kubernetes.io/managed-by")
                        .containsEntry("app.kubernetes.io/name", "clustermesh-controller"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void oneImageNameEverywhere(Source source) throws IOException {
        String builtIn =
                serviceConfig(Map.of()).getConfigMapping(MeshConfig.class).image();
        Container service = onlyContainer(
                source.one(Deployment.class).getSpec().getTemplate().getSpec());
        Container check = onlyContainer(source.one(CronJob.class)
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec());
        Matcher containerfile =
                Pattern.compile("(?m)^ARG IMAGE=(\\S+)$").matcher(Files.readString(Path.of("deploy/Containerfile")));
        String appVersion = Serialization.unmarshal(Files.readString(CHART.resolve("Chart.yaml")), Map.class)
                .get("appVersion")
                .toString();

        assertThat(containerfile.find())
                .as("deploy/Containerfile declares ARG IMAGE=<default>")
                .isTrue();
        assertThat(List.of(service.getImage(), env(service, "MESH_IMAGE"), check.getImage(), containerfile.group(1)))
                .containsOnly(builtIn);
        assertThat(builtIn).isEqualTo("ghcr.io/clustermesh/clustermesh-controller:" + appVersion);
        assertThat(Files.readString(Path.of("deploy/Containerfile"))).contains("ENV MESH_IMAGE=${IMAGE}");
    }

    @Test
    void theChartDerivesEveryImageFromImageRepositoryAndTag() {
        List<HasMetadata> objects = render(
                Map.of("image.repository", "registry.example.com/me/clustermesh-controller", "image.tag", "9.9.9"));
        Source chart = new Source("chart with its own image", objects);
        Container service = onlyContainer(
                chart.one(Deployment.class).getSpec().getTemplate().getSpec());
        Container check = onlyContainer(chart.one(CronJob.class)
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec());

        assertThat(List.of(service.getImage(), env(service, "MESH_IMAGE"), check.getImage()))
                .containsOnly("registry.example.com/me/clustermesh-controller:9.9.9");
    }

    @Test
    void probePodsRunTheServicesImageUnlessToldOtherwise() {
        assertThat(serviceConfig(Map.of())
                        .getConfigMapping(ReachabilityConfig.class)
                        .probeImage())
                .isEqualTo("ghcr.io/clustermesh/clustermesh-controller:0.1.0");
        assertThat(serviceConfig(Map.of("mesh.image", "registry.example.com/me/cmc:2.0"))
                        .getConfigMapping(ReachabilityConfig.class)
                        .probeImage())
                .isEqualTo("registry.example.com/me/cmc:2.0");
        assertThat(serviceConfig(Map.of(
                                "mesh.image",
                                "registry.example.com/me/cmc:2.0",
                                "mesh.reachability.probe-image",
                                "probe:1"))
                        .getConfigMapping(ReachabilityConfig.class)
                        .probeImage())
                .isEqualTo("probe:1");
    }

    /**
     * The service's own configuration mappings, with only {@code values} set (no
     * application.properties), and expressions expanded as Quarkus does.
     */
    private static SmallRyeConfig serviceConfig(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withMapping(MeshConfig.class)
                .withMapping(ReachabilityConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .map(e -> e.getValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void deploymentProbesTheQuarkusHealthEndpoints(Source source) {
        Deployment deployment = source.one(Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        Container container = onlyContainer(deployment.getSpec().getTemplate().getSpec());
        assertThat(container.getImage()).isEqualTo("ghcr.io/clustermesh/clustermesh-controller:0.1.0");
        assertThat(container.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080))
                .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        Map<String, String> env = container.getEnv().stream()
                .collect(Collectors.toMap(e -> e.getName(), e -> String.valueOf(e.getValue())));
        assertThat(env)
                .containsEntry("MESH_KUBECONFIG_DIR", "/etc/clustermesh/kubeconfigs")
                .containsEntry("QUARKUS_CONFIG_LOCATIONS", "file:/etc/clustermesh/auth/auth.properties");
        assertThat(container.getVolumeMounts())
                .anySatisfy(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/etc/clustermesh/kubeconfigs");
                    assertThat(m.getReadOnly()).isTrue();
                })
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"))
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/lib/clustermesh-controller"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void everyPodRunsUnderTheRestrictedPodSecurityStandard(Source source) {
        PodSpec service = source.one(Deployment.class).getSpec().getTemplate().getSpec();
        PodSpec check = source.one(CronJob.class)
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec();
        for (PodSpec pod : List.of(service, check)) {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(pod.getSecurityContext().getFsGroup()).isNotNull();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            Container container = onlyContainer(pod);
            assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                    .isFalse();
            assertThat(container.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
            assertThat(container.getSecurityContext().getCapabilities().getDrop())
                    .containsExactly("ALL");
            assertThat(container.getSecurityContext().getCapabilities().getAdd())
                    .isNullOrEmpty();
            assertThat(pod.getVolumes()).extracting(Volume::getName).contains("tmp", "kubeconfigs");
            assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void checkCronJobRunsOneAtATimeAndAFailedCheckFailsTheJob(Source source) {
        CronJob cronJob = source.one(CronJob.class);
        assertThat(cronJob.getSpec().getSchedule()).isEqualTo("*/5 * * * *");
        assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).isPositive();
        assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).isPositive();
        var job = cronJob.getSpec().getJobTemplate().getSpec();
        assertThat(job.getBackoffLimit()).isZero();
        assertThat(job.getActiveDeadlineSeconds()).isPositive();
        PodSpec pod = job.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        String service = source.one(io.fabric8.kubernetes.api.model.Service.class)
                .getMetadata()
                .getName();
        assertThat(onlyContainer(pod).getCommand())
                .containsExactly(
                        "java",
                        "-XX:SharedArchiveFile=/deployments/check-cds.jsa",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        "/deployments/quarkus-run.jar",
                        "check",
                        "--kubeconfig-dir",
                        "/etc/clustermesh/kubeconfigs",
                        "--output",
                        "json",
                        "--report-to",
                        "http://" + service + ":8080");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void serviceAccountHoldsOnlyItsNamespacedLeasesConfigMapsAndEvents(Source source) {
        Role role = source.one(Role.class);
        assertThat(flatten(role.getRules()))
                .isEqualTo(Map.of(
                        "coordination.k8s.io/leases", Set.of("get", "list", "watch", "create", "update"),
                        "/configmaps", Set.of("get", "list", "watch", "create", "update", "patch"),
                        "/events", Set.of("create")));
        RoleBinding binding = source.one(RoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        String serviceAccount = source.one(io.fabric8.kubernetes.api.model.ServiceAccount.class)
                .getMetadata()
                .getName();
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(serviceAccount);
            assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
        });
        assertThat(source.one(Deployment.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getServiceAccountName())
                .isEqualTo(serviceAccount);
        assertThat(source.all(ClusterRole.class)).isEmpty();
        assertThat(source.all(ClusterRoleBinding.class)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void networkPolicyAdmitsOnlyTheApiPortAndLetsOutDnsApiServersAndClusterMesh(Source source) {
        NetworkPolicy policy = source.one(NetworkPolicy.class);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress())
                .allSatisfy(rule -> assertThat(rule.getPorts())
                        .singleElement()
                        .satisfies(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080)));
        assertThat(policy.getSpec().getIngress().stream()
                        .flatMap(r -> r.getFrom().stream())
                        .filter(peer -> peer.getNamespaceSelector() != null)
                        .map(peer -> peer.getNamespaceSelector().getMatchLabels()))
                .as("Prometheus' namespace may scrape")
                .contains(Map.of("kubernetes.io/metadata.name", "monitoring"));
        Set<Integer> egressPorts = policy.getSpec().getEgress().stream()
                .flatMap(r -> r.getPorts().stream())
                .map(p -> p.getPort().getIntVal())
                .collect(Collectors.toSet());
        assertThat(egressPorts).containsExactlyInAnyOrder(53, 8080, 443, 6443, 2379, 32379);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bothSources")
    void prometheusRuleHasTheFiveAlertsEachWithAForDuration(Source source) {
        Map<String, Map<String, Object>> alerts = alerts(source.prometheusRule());
        assertThat(alerts.keySet()).containsExactlyElementsOf(ALERTS);
        assertThat(alerts.values()).allSatisfy(rule -> {
            assertThat(String.valueOf(rule.get("for"))).matches("\\d+[smh]");
            assertThat(fieldNames(JSON.valueToTree(rule.get("labels")))).contains("severity");
            assertThat(fieldNames(JSON.valueToTree(rule.get("annotations")))).contains("summary", "description");
        });
        assertThat(alerts.get("ClusterMeshLinkDown"))
                .containsEntry("expr", "clustermesh_link_up == 0")
                .containsEntry("for", "5m");
        assertThat(expr(alerts, "ClusterMeshProbeLatencyRegression"))
                .contains(
                        "histogram_quantile(0.99",
                        "clustermesh_probe_latency_seconds_bucket[1h]",
                        "> 2 *",
                        "clustermesh_probe_latency_seconds_bucket[1d]",
                        "by (from, to, le)");
        assertThat(expr(alerts, "ClusterMeshCertificateExpiringSoon"))
                .isEqualTo("clustermesh_certificate_expiry_seconds < 14 * 24 * 3600");
        assertThat(expr(alerts, "ClusterMeshWireGuardKeyTooOld"))
                .isEqualTo("clustermesh_wireguard_key_age_seconds > 90 * 24 * 3600");
        String checkJob = source.one(CronJob.class).getMetadata().getName();
        assertThat(expr(alerts, "ClusterMeshCheckCronJobFailing"))
                .contains(
                        "kube_job_status_failed{namespace=\"" + NAMESPACE + "\", job_name=~\"" + checkJob + ".*\"} > 0")
                .contains("(time() - clustermesh_check_last_success_timestamp_seconds) > 15 * 60");
        assertThat(String.valueOf(alerts.get("ClusterMeshLinkDown").get("annotations")))
                .contains("{{ $labels.from }}", "{{ $labels.to }}");
    }

    /**
     * The plain manifests are the chart with default values. Apart from the release prefix,
     * Helm's bookkeeping labels, the chart's config checksum and the auth file's example comments,
     * every object must be identical; the plain set adds only the Namespace.
     */
    @Test
    void plainManifestsAgreeWithTheChartsDefaults() {
        Map<String, JsonNode> chart = byKindAndName(chartDefaults(), true);
        Map<String, JsonNode> plain = byKindAndName(plainManifests(), false);
        plain.remove("Namespace/" + NAMESPACE);
        assertThat(plain.keySet()).containsExactlyInAnyOrderElementsOf(chart.keySet());
        chart.forEach((key, rendered) -> {
            JsonNode written = plain.get(key);
            if (key.startsWith("Secret/")) {
                assertThat(written.path("type")).isEqualTo(rendered.path("type"));
                assertThat(fieldNames(written.path("stringData"))).isEqualTo(fieldNames(rendered.path("stringData")));
            } else {
                assertThat(written).as(key).isEqualTo(rendered);
            }
        });
    }

    @Test
    void kustomizationInstallsEveryHomeClusterManifestButNotTheManagedClusterRbac() throws IOException {
        GenericKubernetesResource kustomization =
                Serialization.unmarshal(Files.readString(KUSTOMIZATION), GenericKubernetesResource.class);
        @SuppressWarnings("unchecked")
        List<String> resources =
                (List<String>) kustomization.getAdditionalProperties().get("resources");
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            assertThat(resources)
                    .containsExactlyInAnyOrderElementsOf(
                            files.map(f -> f.getFileName().toString())
                                    .filter(f -> !f.equals("kustomization.yaml")
                                            && !f.equals("managed-cluster-rbac.yaml")
                                            && !f.equals("managed-cluster-helm-mode-rbac.yaml"))
                                    .toList());
        }
    }

    @Test
    void managedClusterRbacGrantsExactlyWhatTheServiceDoesInACluster() {
        Source managed = new Source("managed-cluster-rbac", load(MANAGED_CLUSTER_RBAC));
        assertThat(managed.objects())
                .allSatisfy(o -> assertThat(o.getMetadata().getName())
                        .isEqualTo(PLAIN_PREFIX + (o instanceof Secret ? "-token" : "")));

        ClusterRole clusterRole = managed.one(ClusterRole.class);
        assertThat(flatten(clusterRole.getRules()))
                .isEqualTo(Map.ofEntries(
                        Map.entry("/nodes", Set.of("list", "watch")),
                        Map.entry("cilium.io/ciliumnodes", Set.of("get", "list", "watch")),
                        Map.entry("cilium.io/ciliumidentities", Set.of("get", "list", "watch")),
                        Map.entry("cilium.io/ciliumendpoints", Set.of("get", "list", "watch")),
                        Map.entry("cilium.io/ciliumendpointslices", Set.of("get", "list", "watch")),
                        Map.entry("apiextensions.k8s.io/customresourcedefinitions", Set.of("get", "list", "watch")),
                        Map.entry("/endpoints", Set.of("get", "list", "watch")),
                        Map.entry("/namespaces", Set.of("get", "list", "watch")),
                        Map.entry("/services", Set.of("get", "list", "watch")),
                        Map.entry("discovery.k8s.io/endpointslices", Set.of("get", "list", "watch")),
                        Map.entry("rbac.authorization.k8s.io/clusterroles", Set.of("create")),
                        Map.entry("rbac.authorization.k8s.io/clusterrolebindings", Set.of("create")),
                        Map.entry(
                                "rbac.authorization.k8s.io/clusterroles[clustermesh-apiserver]",
                                Set.of("get", "update", "delete")),
                        Map.entry(
                                "rbac.authorization.k8s.io/clusterrolebindings[clustermesh-apiserver]",
                                Set.of("get", "update", "delete"))));
        assertThat(clusterRole.getRules())
                .as("no cluster-wide read of Secrets")
                .noneMatch(r -> r.getResources().contains("secrets"));

        Role role = managed.one(Role.class);
        assertThat(role.getMetadata().getNamespace()).isEqualTo("kube-system");
        // Which verbs are needed is decided by ShippedRbacCoversRequestsTest from the recorded requests.
        Set<String> readWrite = Set.of("get", "list", "watch", "create", "update", "delete");
        assertThat(flatten(role.getRules()))
                .isEqualTo(Map.ofEntries(
                        Map.entry("/configmaps", Set.of("get", "list", "watch", "create", "update")),
                        Map.entry("/configmaps[clustermesh-remote-users]", Set.of("delete")),
                        Map.entry("/secrets", readWrite),
                        Map.entry("/services", readWrite),
                        Map.entry("/serviceaccounts", Set.of("list", "create", "update", "delete")),
                        Map.entry("/pods", Set.of("get", "list", "watch", "create", "delete")),
                        Map.entry("/pods/exec", Set.of("get", "create")),
                        Map.entry("/pods/proxy", Set.of("get")),
                        Map.entry("apps/deployments", readWrite),
                        Map.entry("apps/daemonsets", Set.of("get", "list", "watch"))));

        assertThat(managed.one(ClusterRoleBinding.class).getSubjects())
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.getName()).isEqualTo("clustermesh-controller");
                    assertThat(s.getNamespace()).isEqualTo("kube-system");
                });
        assertThat(managed.one(RoleBinding.class).getRoleRef().getKind()).isEqualTo("Role");
        assertThat(managed.one(io.fabric8.kubernetes.api.model.ServiceAccount.class)
                        .getMetadata()
                        .getNamespace())
                .isEqualTo("kube-system");
        Secret token = managed.one(Secret.class);
        assertThat(token.getType()).isEqualTo("kubernetes.io/service-account-token");
        assertThat(token.getMetadata().getAnnotations())
                .containsEntry("kubernetes.io/service-account.name", "clustermesh-controller");
    }

    @Test
    void optionalPiecesAppearOnlyWhenAskedFor() {
        Source all = new Source(
                "options",
                render(Map.of(
                        "persistence.enabled", "true",
                        "kubeconfigs.create", "true",
                        "kubeconfigs.files.homelab", "apiVersion: v1\nkind: Config\n",
                        "metrics.serviceMonitor.enabled", "true",
                        "auth.tokens.admin.sha256", "a".repeat(64),
                        "auth.tokens.admin.role", "operator")));
        Deployment deployment = all.one(Deployment.class);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getName().equals("state"))
                .singleElement()
                .satisfies(v ->
                        assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo(CHART_PREFIX + "-state"));
        assertThat(all.objects())
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains(
                        "PersistentVolumeClaim/" + CHART_PREFIX + "-state",
                        "Secret/" + CHART_PREFIX + "-kubeconfigs",
                        "ServiceMonitor/" + CHART_PREFIX);
        Secret auth = all.all(Secret.class).stream()
                .filter(s -> s.getMetadata().getName().endsWith("-auth"))
                .findFirst()
                .orElseThrow();
        assertThat(auth.getStringData().get("auth.properties"))
                .contains("mesh.auth.tokens.admin.sha256=" + "a".repeat(64), "mesh.auth.tokens.admin.role=operator");

        Source off = new Source(
                "off",
                render(Map.of(
                        "metrics.prometheusRule.enabled",
                        "false",
                        "check.enabled",
                        "false",
                        "networkPolicy.enabled",
                        "false")));
        assertThat(off.objects())
                .extracting(HasMetadata::getKind)
                .doesNotContain(
                        "PrometheusRule", "CronJob", "NetworkPolicy", "PersistentVolumeClaim", "ServiceMonitor");
    }

    @Test
    void chartRefusesATokenThatIsNotASha256Hash() {
        assertThatThrownBy(() -> render(Map.of("auth.tokens.admin.sha256", "plain-text-token")))
                .hasMessageContaining("auth.tokens.admin.sha256 must be 64 lower-case hex characters");
    }

    private static Map<String, Map<String, Object>> alerts(GenericKubernetesResource prometheusRule) {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        JsonNode groups = JSON.valueToTree(
                        prometheusRule.getAdditionalProperties().get("spec"))
                .path("groups");
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> asMap = JSON.convertValue(rule, Map.class);
                alerts.put(rule.path("alert").asText(), asMap);
            }
        }
        return alerts;
    }

    private static String expr(Map<String, Map<String, Object>> alerts, String alert) {
        return String.valueOf(alerts.get(alert).get("expr"))
                .replaceAll("\\s+", " ")
                .trim();
    }

    /** group/resource[resourceNames] to verbs; fails on wildcards, which would make "exactly" meaningless. */
    private static Map<String, Set<String>> flatten(List<PolicyRule> rules) {
        Map<String, Set<String>> flat = new TreeMap<>();
        for (PolicyRule rule : rules) {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            String names =
                    rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                            ? ""
                            : rule.getResourceNames().toString().replace(", ", ",");
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    flat.computeIfAbsent(group + "/" + resource + names, k -> new TreeSet<>())
                            .addAll(rule.getVerbs());
                }
            }
        }
        return flat;
    }

    private static Container onlyContainer(PodSpec pod) {
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(pod.getInitContainers()).isNullOrEmpty();
        return pod.getContainers().get(0);
    }

    private static String describe(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Each object as JSON keyed by kind and name, with the chart's release renamed to the plain
     * manifests' ("cmc-clustermesh-controller" to "clustermesh-controller", instance "cmc" to
     * "clustermesh-controller") and Helm's bookkeeping labels and the checksum annotation removed.
     */
    private static Map<String, JsonNode> byKindAndName(List<HasMetadata> objects, boolean renderedByHelm) {
        Map<String, JsonNode> result = new TreeMap<>();
        for (HasMetadata object : objects) {
            String json = Serialization.asJson(object);
            String name = object.getMetadata().getName();
            if (renderedByHelm) {
                json = json.replace(CHART_PREFIX, PLAIN_PREFIX)
                        .replace(
                                "\"app.kubernetes.io/instance\":\"" + RELEASE + "\"",
                                "\"app.kubernetes.io/instance\":\"" + PLAIN_PREFIX + "\"");
                name = name.replace(CHART_PREFIX, PLAIN_PREFIX);
            }
            JsonNode tree = readTree(json);
            for (String bookkeeping : List.of("app.kubernetes.io/managed-by", "helm.sh/chart", "checksum/auth")) {
                tree.findParents(bookkeeping).forEach(n -> ((ObjectNode) n).remove(bookkeeping));
            }
            tree.findParents("annotations").forEach(n -> {
                if (n.path("annotations").isEmpty()) {
                    ((ObjectNode) n).remove("annotations");
                }
            });
            result.put(object.getKind() + "/" + name, tree);
        }
        return result;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized List<HasMetadata> chartDefaults() {
        if (chartDefaults == null) {
            chartDefaults = render(Map.of());
        }
        return chartDefaults;
    }

    private static List<HasMetadata> plainManifests() {
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            List<Path> home = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.equals(MANAGED_CLUSTER_RBAC)
                            && !f.equals(MANIFESTS.resolve("managed-cluster-helm-mode-rbac.yaml"))
                            && !f.equals(KUSTOMIZATION))
                    .sorted()
                    .toList();
            assertThat(home).as("home-cluster manifests in %s", MANIFESTS).isNotEmpty();
            return home.stream().flatMap(f -> load(f).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<HasMetadata> load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<HasMetadata> render(Map<String, String> values) {
        TemplateCommand template = helm().template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Map.Entry<String, String> value : values.entrySet()) {
            template = template.set(value.getKey(), value.getValue());
        }
        return parse(template.call());
    }

    /** Every YAML document holding an object, typed where fabric8 knows the kind, generic otherwise. */
    private static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            boolean onlyComments = Arrays.stream(document.split("\n"))
                    .allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"));
            if (!onlyComments) {
                Object object = Serialization.unmarshal(document);
                assertThat(object)
                        .as("document parses to a Kubernetes object:%n%s", document)
                        .isInstanceOf(HasMetadata.class);
                objects.add((HasMetadata) object);
            }
        }
        return objects;
    }

    /**
     * helm-java runs Helm's Go engine from a native library inside its jar. If that library
     * cannot load here, say so and fail: a skipped chart test would pass an unchecked chart.
     */
    private static synchronized Helm helm() {
        if (!helmEngineChecked) {
            try {
                Helm.version().call();
            } catch (Throwable e) {
                fail(
                        "helm-java's native Helm library (com.marcnuri.helm-java:linux-amd64) failed to load on "
                                + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                                + "; the chart cannot be rendered: " + e,
                        e);
            }
            helmEngineChecked = true;
        }
        return new Helm(CHART);
    }
}
