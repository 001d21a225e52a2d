package io.clustermesh.controller.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.clustermesh.controller.cilium.CiliumNames;
import io.clustermesh.controller.cilium.CiliumVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulated clustermesh-apiserver starts exactly when the real one would: what Cilium's own
 * charts render starts in every version, a wrong argv crash-loops with the binary's message.
 */
class ApiServerStartupTest {
    private static final String NS = CiliumNames.DEFAULT_NAMESPACE;
    /** Values whose combinations change the clustermesh-apiserver's flags in some chart version. */
    private static final List<Map<String, String>> VALUE_COMBINATIONS = List.of(
            Map.of(),
            Map.of("clustermesh.apiserver.kvstoremesh.enabled", "false"),
            Map.of("clustermesh.apiserver.tls.authMode", "cluster"),
            Map.of("clustermesh.enableMCSAPISupport", "true"),
            Map.of("externalWorkloads.enabled", "true"),
            Map.of("clustermesh.maxConnectedClusters", "511"));

    private static final ApiServerStartup.PodFacts POD =
            new ApiServerStartup.PodFacts(NS, "clustermesh-apiserver-x", "uid-1", "10.0.0.9", "n1");

    private static SimulatedCluster homelab;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        homelab = SimulatedCluster.startIndexed(0, null, true);
        client = SimulatedClients.through(homelab);
    }

    @AfterAll
    static void stop() {
        client.close();
        homelab.close();
    }

    static List<String> versions() {
        return CiliumChart.VERSIONS;
    }

    @ParameterizedTest
    @MethodSource("versions")
    void whatTheChartRendersStartsInEveryValueCombination(String version) {
        for (Map<String, String> values : VALUE_COMBINATIONS) {
            List<HasMetadata> objects = CiliumChart.render(version, values);
            ConfigMap config = CiliumChart.ciliumConfig(objects);
            var failures = ApiServerStartup.failures(
                    CiliumChart.apiServerDeployment(objects)
                            .getSpec()
                            .getTemplate()
                            .getSpec(),
                    POD,
                    name -> name.equals("cilium-config") ? config : null);
            assertThat(failures).as("chart %s with %s", version, values).isEmpty();
        }
    }

    /** The flag table in CiliumCommandLines is checked against the charts both ways: nothing missing, nothing extra. */
    @ParameterizedTest
    @MethodSource("versions")
    void theFlagTableIsWhatTheChartsRender(String version) {
        Map<String, Set<String>> rendered = new TreeMap<>();
        for (Map<String, String> values : VALUE_COMBINATIONS) {
            Deployment deployment = CiliumChart.apiServerDeployment(CiliumChart.render(version, values));
            List<Container> containers =
                    new ArrayList<>(deployment.getSpec().getTemplate().getSpec().getInitContainers());
            containers.addAll(deployment.getSpec().getTemplate().getSpec().getContainers());
            for (Container c : containers) {
                if (c.getCommand().equals(List.of(CiliumCommandLines.APISERVER_BINARY))) {
                    Set<String> flags = rendered.computeIfAbsent(c.getArgs().get(0), k -> new TreeSet<>());
                    c.getArgs().stream()
                            .filter(a -> a.startsWith("--"))
                            .forEach(a -> flags.add(a.substring(2).split("=")[0]));
                }
            }
        }
        CobraCommand binary = CiliumCommandLines.clustermeshApiserver(CiliumVersion.parse(version))
                .orElseThrow();
        Map<String, Set<String>> table = new TreeMap<>();
        rendered.keySet()
                .forEach(sub -> table.put(sub, new TreeSet<>(binary.child(sub).flagNames())));
        assertThat(table).as("flag table of %s", version).isEqualTo(rendered);
    }

    @Test
    void theChartsDeploymentGoesReadyAndTheOneElementClusterArgsCrashLoopWithTheBinarysMessage() {
        Deployment good = CiliumChart.apiServerDeployment(CiliumChart.render("1.18.11", Map.of()));
        apply(good);
        await().atMost(Duration.ofSeconds(10)).until(() -> readyReplicas() == 1);
        assertThat(apiServerPod().getStatus().getContainerStatuses())
                .allSatisfy(s -> assertThat(s.getReady()).isTrue());

        // The defect of issue 19: both cluster flags in one argv element.
        apply(withArgs(good, "apiserver", args -> replaceClusterArgs(args)));
        await().atMost(Duration.ofSeconds(10)).until(() -> readyReplicas() == 0 && crashLooping("apiserver") != null);
        var apiserver = crashLooping("apiserver");
        assertThat(apiserver.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(apiserver.getLastState().getTerminated().getMessage()).isEqualTo("ClusterID 0 is reserved\n");
        assertThat(client.pods()
                        .inNamespace(NS)
                        .withName(apiServerPod().getMetadata().getName())
                        .inContainer("apiserver")
                        .getLog())
                .isEqualTo("ClusterID 0 is reserved\n");
        assertThat(apiServerPod().getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).isEqualTo("containers with unready status: [apiserver]");
        });
        // The simulated cluster's own view follows at its next control-loop round.
        await().atMost(Duration.ofSeconds(5)).until(() -> !homelab.view().apiserverReady());

        apply(good);
        await().atMost(Duration.ofSeconds(10)).until(() -> readyReplicas() == 1);
    }

    @Test
    void theHeartbeatFlagMakesKvstoremesh116CrashLoopButNot118() {
        Deployment v116 = CiliumChart.apiServerDeployment(CiliumChart.render("1.16.19", Map.of()));
        apply(withArgs(v116, "kvstoremesh", args -> append(args, "--enable-heartbeat=false")));
        await().atMost(Duration.ofSeconds(10)).until(() -> crashLooping("kvstoremesh") != null);
        assertThat(crashLooping("kvstoremesh").getLastState().getTerminated().getMessage())
                .startsWith("Error: unknown flag: --enable-heartbeat\n");
        assertThat(readyReplicas()).isZero();

        Deployment v118 = CiliumChart.apiServerDeployment(CiliumChart.render("1.18.11", Map.of()));
        assertThat(v118.getSpec().getTemplate().getSpec().getContainers().stream()
                        .filter(c -> c.getName().equals("kvstoremesh"))
                        .findFirst()
                        .orElseThrow()
                        .getArgs())
                .contains("--enable-heartbeat=false");
        apply(v118);
        await().atMost(Duration.ofSeconds(10)).until(() -> readyReplicas() == 1);
    }

    @Test
    void startupRulesOneByOne() {
        Deployment chart = CiliumChart.apiServerDeployment(CiliumChart.render("1.18.11", Map.of()));
        ConfigMap config = CiliumChart.ciliumConfig(CiliumChart.render("1.18.11", Map.of()));
        assertThat(outputOf(chart, config)).isEmpty();
        assertThat(outputOf(withArgs(chart, "apiserver", a -> append(a, "--cluster-id=300")), config))
                .containsExactly("apiserver: ClusterID > 255 is not supported\n");
        assertThat(outputOf(withArgs(chart, "apiserver", a -> append(a, "--max-connected-clusters=300")), config))
                .containsExactly(
                        "apiserver: --max-connected-clusters=300 is invalid; supported values are [255, 511]\n");
        assertThat(outputOf(withArgs(chart, "kvstoremesh", a -> append(a, "--cluster-name=Homelab")), config))
                .containsExactly(
                        "kvstoremesh: invalid cluster name: must consist of lower case alphanumeric characters and '-', and must start and end with an alphanumeric character\n");
        assertThat(outputOf(withArgs(chart, "kvstoremesh", a -> append(a, "--cluster-name=default")), config))
                .containsExactly("kvstoremesh: cannot use default cluster name (default) with option cluster-id\n");
        // An env reference kubelet cannot resolve stays literal and then fails the flag's parsing.
        assertThat(outputOf(withArgs(chart, "apiserver", a -> append(a, "--cluster-id=$(CLUSTERID)")), config))
                .singleElement()
                .asString()
                .startsWith(
                        "apiserver: Error: invalid argument \"$(CLUSTERID)\" for \"--cluster-id\" flag: strconv.ParseUint: parsing \"$(CLUSTERID)\": invalid syntax\n");
        ConfigMap withoutId = new io.fabric8.kubernetes.api.model.ConfigMapBuilder(config).build();
        withoutId.setData(new TreeMap<>(config.getData()));
        withoutId.getData().remove("cluster-id");
        assertThat(ApiServerStartup.failures(chart.getSpec().getTemplate().getSpec(), POD, n -> withoutId))
                .extracting(
                        ApiServerStartup.ContainerFailure::container,
                        ApiServerStartup.ContainerFailure::waitingReason,
                        ApiServerStartup.ContainerFailure::output)
                .contains(org.assertj.core.groups.Tuple.tuple(
                        "kvstoremesh",
                        ApiServerStartup.CONFIG_ERROR,
                        "couldn't find key cluster-id in ConfigMap kube-system/cilium-config"));
    }

    private static List<String> outputOf(Deployment deployment, ConfigMap config) {
        return ApiServerStartup.failures(deployment.getSpec().getTemplate().getSpec(), POD, n -> config).stream()
                .map(f -> f.container() + ": " + f.output())
                .toList();
    }

    private static List<String> replaceClusterArgs(List<String> args) {
        List<String> changed = new ArrayList<>(args);
        int at = changed.indexOf("--cluster-name=$(CLUSTER_NAME)");
        changed.remove("--cluster-id=$(CLUSTER_ID)");
        changed.set(at, "--cluster-name=$(CLUSTER_NAME) --cluster-id=$(CLUSTER_ID)");
        return changed;
    }

    private static List<String> append(List<String> args, String arg) {
        List<String> changed = new ArrayList<>(args);
        changed.add(arg);
        return changed;
    }

    private static Deployment withArgs(Deployment deployment, String container, UnaryOperator<List<String>> change) {
        Deployment copy = io.fabric8.kubernetes.client.utils.Serialization.clone(deployment);
        copy.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(container))
                .forEach(c -> c.setArgs(change.apply(c.getArgs())));
        return copy;
    }

    private static void apply(Deployment deployment) {
        Deployment copy = io.fabric8.kubernetes.client.utils.Serialization.clone(deployment);
        copy.getMetadata().setNamespace(NS);
        client.apps().deployments().inNamespace(NS).resource(copy).createOr(existing -> existing.update());
    }

    private static int readyReplicas() {
        Deployment d = client.apps()
                .deployments()
                .inNamespace(NS)
                .withName(CiliumNames.APISERVER)
                .get();
        Integer ready =
                d == null || d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        return ready == null ? 0 : ready;
    }

    private static Pod apiServerPod() {
        Deployment d = client.apps()
                .deployments()
                .inNamespace(NS)
                .withName(CiliumNames.APISERVER)
                .get();
        List<Pod> pods = client.pods()
                .inNamespace(NS)
                .withLabel("k8s-app", "clustermesh-apiserver")
                .list()
                .getItems();
        assertThat(pods).as("pods of %s", d.getMetadata().getName()).hasSize(1);
        return pods.get(0);
    }

    private static io.fabric8.kubernetes.api.model.ContainerStatus crashLooping(String container) {
        List<Pod> pods = client.pods()
                .inNamespace(NS)
                .withLabel("k8s-app", "clustermesh-apiserver")
                .list()
                .getItems();
        return pods.stream()
                .flatMap(p -> p.getStatus().getContainerStatuses().stream())
                .filter(s -> s.getName().equals(container)
                        && s.getState().getWaiting() != null
                        && ApiServerStartup.CRASH_LOOP.equals(
                                s.getState().getWaiting().getReason()))
                .findFirst()
                .orElse(null);
    }
}
