package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodAntiAffinityBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The objects "enable" writes, shaped like the chart of the cluster's own Cilium release renders
 * them with {@code clustermesh.useAPIServer=true} (contract §3.1–§3.4). ChartGoldenTest compares
 * them with Cilium's charts 1.15 to 1.19; the deliberate differences are listed there.
 */
public final class ApiServerObjects {
    /** Our mesh CA; kept apart from cilium-ca so Hubble's certificates (signed by cilium-ca) stay valid. */
    public static final String MESH_CA_SECRET = "clustermesh-controller-ca";

    private static final String ETCD_SECRETS_DIR = "/var/lib/etcd-secrets";
    private static final String ADMIN_SECRETS_DIR = "/var/lib/cilium/etcd-secrets";
    private static final String KVSTOREMESH_DIR = "/var/lib/cilium/clustermesh";
    private static final String USERS_DIR = "/var/lib/cilium/etcd-config";
    /** Not mounted: the image carries this etcd client file (endpoint 127.0.0.1:2379, the admin certificate). */
    private static final String ETCD_CONFIG_FILE = "/var/lib/cilium/etcd-config.yaml";

    private static final String ETCD_CONFIG_OPTION = "--kvstore-opt=etcd.config=" + ETCD_CONFIG_FILE;
    public static final String REMOTE_USERS_CONFIG_MAP = "clustermesh-remote-users";
    private static final long NON_ROOT = 65532L;

    private ApiServerObjects() {}

    public static Map<String, String> selector() {
        return Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.APISERVER_SELECTOR_VALUE);
    }

    public static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>(MeshLabels.ours());
        labels.putAll(selector());
        labels.put("app.kubernetes.io/name", CiliumNames.APISERVER);
        return labels;
    }

    /** Our labels already say part-of: cilium, as the chart's RBAC and ConfigMaps do. */
    private static Map<String, String> partOfCilium() {
        return MeshLabels.ours();
    }

    public static Secret caSecret(String namespace, String caCertPem, String caKeyPem) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(MESH_CA_SECRET)
                .withNamespace(namespace)
                .withLabels(MeshLabels.ours())
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(CiliumNames.CA_CRT, b64(caCertPem), CiliumNames.CA_KEY, b64(caKeyPem)))
                .build();
    }

    public static Secret tlsSecret(String namespace, String name, String caPem, String certPem, String keyPem) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(MeshLabels.ours())
                .endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of(
                        CiliumNames.CA_CRT,
                        b64(caPem),
                        CiliumNames.TLS_CRT,
                        b64(certPem),
                        CiliumNames.TLS_KEY,
                        b64(keyPem)))
                .build();
    }

    public static ServiceAccount serviceAccount(String namespace) {
        return new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(CiliumNames.APISERVER)
                .withNamespace(namespace)
                .withLabels(MeshLabels.ours())
                .endMetadata()
                .build();
    }

    /**
     * §3.3 for the release's chart. 1.15's chart also grants the clustermesh-apiserver writes for
     * external workloads; those are left out (the flag disables the feature, and Kubernetes would
     * make us hold every right we grant).
     */
    public static ClusterRole clusterRole(ApiServerChart chart) {
        List<String> ciliumResources = new ArrayList<>(List.of("ciliumidentities", "ciliumendpoints", "ciliumnodes"));
        if (chart.endpointSlicesRule()) {
            ciliumResources.add("ciliumendpointslices");
        }
        List<String> crdVerbs = chart.crdGet() ? List.of("get", "list", "watch") : List.of("list", "watch");
        return new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(CiliumNames.APISERVER)
                .withLabels(partOfCilium())
                .endMetadata()
                .withRules(
                        new PolicyRuleBuilder()
                                .withApiGroups("cilium.io")
                                .withResources(ciliumResources)
                                .withVerbs("get", "list", "watch")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups("apiextensions.k8s.io")
                                .withResources("customresourcedefinitions")
                                .withVerbs(crdVerbs)
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups("")
                                .withResources("endpoints", "namespaces", "services")
                                .withVerbs("get", "list", "watch")
                                .build(),
                        new PolicyRuleBuilder()
                                .withApiGroups("discovery.k8s.io")
                                .withResources("endpointslices")
                                .withVerbs("get", "list", "watch")
                                .build())
                .build();
    }

    public static ClusterRoleBinding clusterRoleBinding(String namespace) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(CiliumNames.APISERVER)
                .withLabels(partOfCilium())
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("ClusterRole")
                .withName(CiliumNames.APISERVER)
                .endRoleRef()
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(CiliumNames.APISERVER)
                .withNamespace(namespace)
                .endSubject()
                .build();
    }

    /** §3.2: one unnamed port; the API server fills in protocol TCP and targetPort 2379 as the chart leaves them out. */
    public static Service service(String namespace, ApiServerChart chart, String type, Integer nodePort) {
        var port = new ServicePortBuilder().withPort(CiliumNames.ETCD_PORT);
        if ("NodePort".equals(type) && nodePort != null) {
            port.withNodePort(nodePort);
        }
        boolean policies = chart.serviceTrafficPolicies();
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(CiliumNames.APISERVER)
                .withNamespace(namespace)
                .withLabels(labels())
                .endMetadata()
                .withNewSpec()
                .withType(type)
                .withSelector(selector())
                .withPorts(port.build())
                .withExternalTrafficPolicy(policies && !"ClusterIP".equals(type) ? "Cluster" : null)
                .withInternalTrafficPolicy(policies ? "Cluster" : null)
                .endSpec()
                .build();
    }

    private static ServicePort metricsPort(String name, int port) {
        return new ServicePortBuilder()
                .withName(name)
                .withProtocol("TCP")
                .withPort(port)
                .withNewTargetPort(name)
                .build();
    }

    /** §3.4: one port per metrics server that runs (kvstoremesh's only with KVStoreMesh). */
    public static Service metricsService(String namespace, boolean kvstoremesh) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(CiliumNames.APISERVER_METRICS_SERVICE)
                .withNamespace(namespace)
                .withLabels(labels())
                .addToLabels("app.kubernetes.io/component", "metrics")
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withType("ClusterIP")
                .withSelector(selector())
                .withPorts(Stream.of(
                                metricsPort("apiserv-metrics", 9962),
                                kvstoremesh ? metricsPort("kvmesh-metrics", 9964) : null,
                                metricsPort("etcd-metrics", 9963))
                        .filter(Objects::nonNull)
                        .toList())
                .endSpec()
                .build();
    }

    /**
     * §3.1 as the chart of {@code values.release()} renders it with {@code clustermesh.useAPIServer=true}:
     * one image for every container, tagged with the agents' version. What differs between releases
     * comes from {@link ApiServerChart}; ChartGoldenTest compares the result with the real chart.
     */
    public static Deployment deployment(ApiServerValues values) {
        ApiServerChart chart = ApiServerChart.of(values.release());
        var builder = new DeploymentBuilder()
                .withNewMetadata()
                .withName(CiliumNames.APISERVER)
                .withNamespace(values.namespace())
                .withLabels(labels())
                .addToAnnotations(MeshLabels.ALIASED_REMOTES, MeshLabels.join(values.aliasedRemotes()))
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(selector())
                .endSelector()
                .withStrategy(rollout(chart))
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels())
                .withAnnotations(
                        chart.defaultContainerAnnotation()
                                ? Map.of("kubectl.kubernetes.io/default-container", "apiserver")
                                : null)
                .endMetadata()
                .withNewSpec()
                .withSecurityContext(
                        chart.securityContexts()
                                ? new PodSecurityContextBuilder()
                                        .withRunAsNonRoot(true)
                                        .withRunAsUser(NON_ROOT)
                                        .withRunAsGroup(NON_ROOT)
                                        .withFsGroup(NON_ROOT)
                                        .build()
                                : null)
                .withInitContainers(etcdInit(values, chart))
                .withContainers(containers(values, chart))
                .withVolumes(volumes(values, chart))
                .withRestartPolicy("Always")
                .withPriorityClassName("system-cluster-critical")
                .withServiceAccount(chart.deprecatedServiceAccountField() ? CiliumNames.APISERVER : null)
                .withServiceAccountName(CiliumNames.APISERVER)
                .withTerminationGracePeriodSeconds(30L)
                .withAutomountServiceAccountToken(true)
                .withAffinity(antiAffinity(chart))
                .withNodeSelector(Map.of("kubernetes.io/os", "linux"))
                .withHostAliases(values.hostAliases().isEmpty() ? null : values.hostAliases())
                .endSpec()
                .endTemplate()
                .endSpec();
        return builder.build();
    }

    private static DeploymentStrategy rollout(ApiServerChart chart) {
        var rolling = new RollingUpdateDeploymentBuilder();
        if (chart.surgeRollout()) {
            rolling.withNewMaxSurge(1).withNewMaxUnavailable(0);
        } else {
            rolling.withNewMaxUnavailable(1);
        }
        return new DeploymentStrategyBuilder()
                .withType("RollingUpdate")
                .withRollingUpdate(rolling.build())
                .build();
    }

    private static Affinity antiAffinity(ApiServerChart chart) {
        var term = new PodAffinityTermBuilder()
                .withNewLabelSelector()
                .withMatchLabels(selector())
                .endLabelSelector()
                .withTopologyKey("kubernetes.io/hostname")
                .build();
        var anti = new PodAntiAffinityBuilder();
        if (chart.preferredAntiAffinity()) {
            anti.withPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTermBuilder()
                    .withPodAffinityTerm(term)
                    .withWeight(100)
                    .build());
        } else {
            anti.withRequiredDuringSchedulingIgnoredDuringExecution(term);
        }
        return new AffinityBuilder().withPodAntiAffinity(anti.build()).build();
    }

    private static Container etcdInit(ApiServerValues values, ApiServerChart chart) {
        List<EnvVar> env =
                new ArrayList<>(List.of(configEnv("CILIUM_CLUSTER_NAME", CiliumNames.KEY_CLUSTER_NAME, false)));
        if (chart.podUidClusterToken()) {
            env.add(fieldEnv("INITIAL_CLUSTER_TOKEN", "metadata.uid"));
        }
        return container(
                "etcd-init",
                values.image(),
                chart,
                List.of("/usr/bin/clustermesh-apiserver"),
                List.of(
                        "etcdinit",
                        "--etcd-cluster-name=clustermesh-apiserver",
                        "--etcd-initial-cluster-token=" + clusterToken(chart),
                        "--etcd-data-dir=/var/run/etcd"),
                env,
                List.of(),
                null,
                List.of(mount("etcd-data-dir", "/var/run/etcd", false)));
    }

    private static String clusterToken(ApiServerChart chart) {
        return chart.podUidClusterToken() ? "$(INITIAL_CLUSTER_TOKEN)" : CiliumNames.APISERVER;
    }

    private static List<Container> containers(ApiServerValues values, ApiServerChart chart) {
        List<Container> containers = new ArrayList<>(List.of(etcd(values, chart), apiserver(values, chart)));
        if (values.kvstoremesh()) {
            containers.add(kvstoremesh(values, chart));
        }
        return containers;
    }

    private static Container etcd(ApiServerValues values, ApiServerChart chart) {
        String listenClients = chart.etcdListensOnAllAddresses()
                ? "https://0.0.0.0:2379"
                : "https://127.0.0.1:2379,https://[$(HOSTNAME_IP)]:2379";
        String advertise =
                chart.etcdListensOnAllAddresses() ? "https://localhost:2379" : "https://[$(HOSTNAME_IP)]:2379";
        String metricsHost = chart.etcdListensOnAllAddresses() ? "0.0.0.0" : "[$(HOSTNAME_IP)]";
        List<String> args = new ArrayList<>(List.of(
                "--data-dir=/var/run/etcd",
                "--name=clustermesh-apiserver",
                "--client-cert-auth",
                "--trusted-ca-file=" + ETCD_SECRETS_DIR + "/ca.crt",
                "--cert-file=" + ETCD_SECRETS_DIR + "/tls.crt",
                "--key-file=" + ETCD_SECRETS_DIR + "/tls.key",
                "--listen-client-urls=" + listenClients,
                "--advertise-client-urls=" + advertise,
                "--initial-cluster-token=" + clusterToken(chart),
                "--auto-compaction-retention=1"));
        if (chart.etcdGrpcGatewayFlag()) {
            args.add("--enable-grpc-gateway=false");
        }
        args.add("--listen-metrics-urls=http://" + metricsHost + ":9963");
        args.add("--metrics=basic");
        List<EnvVar> env = new ArrayList<>(List.of(
                new EnvVarBuilder().withName("ETCDCTL_API").withValue("3").build()));
        if (!chart.etcdListensOnAllAddresses()) {
            env.add(fieldEnv("HOSTNAME_IP", "status.podIP"));
        }
        if (chart.podUidClusterToken()) {
            env.add(fieldEnv("INITIAL_CLUSTER_TOKEN", "metadata.uid"));
        }
        return container(
                "etcd",
                values.image(),
                chart,
                List.of("/usr/bin/etcd"),
                args,
                env,
                List.of(port("etcd", CiliumNames.ETCD_PORT), port("etcd-metrics", 9963)),
                null,
                List.of(
                        mount("etcd-server-secrets", ETCD_SECRETS_DIR, true),
                        mount("etcd-data-dir", "/var/run/etcd", false)));
    }

    private static Container apiserver(ApiServerValues values, ApiServerChart chart) {
        List<String> args =
                new ArrayList<>(List.of("clustermesh", "--cluster-name=$(CLUSTER_NAME)", "--cluster-id=$(CLUSTER_ID)"));
        if (chart.apiserverQpsOptions()) {
            args.addAll(
                    List.of(ETCD_CONFIG_OPTION, "--kvstore-opt=etcd.qps=20", "--kvstore-opt=etcd.bootstrapQps=10000"));
        } else {
            args.addAll(List.of("--kvstore-opt", "etcd.config=" + ETCD_CONFIG_FILE));
        }
        args.add("--max-connected-clusters=" + values.maxConnectedClusters());
        if (chart.healthPortsAndReadiness()) {
            args.add("--health-port=9880");
        }
        if (chart.clusterUsers()) {
            args.addAll(List.of("--cluster-users-enabled", "--cluster-users-config-path=" + USERS_DIR + "/users.yaml"));
        }
        if (chart.externalWorkloadsFlag()) {
            args.add("--enable-external-workloads=false");
        }
        args.addAll(List.of("--prometheus-serve-addr=:9962", "--controller-group-metrics=all"));
        List<EnvVar> env = new ArrayList<>(List.of(
                configEnv("CLUSTER_NAME", CiliumNames.KEY_CLUSTER_NAME, false),
                configEnv("CLUSTER_ID", CiliumNames.KEY_CLUSTER_ID, true)));
        if (chart.identityAllocationModeEnv()) {
            env.add(configEnv("IDENTITY_ALLOCATION_MODE", CiliumNames.KEY_IDENTITY_ALLOCATION_MODE, false));
        }
        env.add(configEnv("ENABLE_K8S_ENDPOINT_SLICE", "enable-k8s-endpoint-slice", true));
        List<ContainerPort> ports = new ArrayList<>();
        if (chart.healthPortsAndReadiness()) {
            ports.add(port("apiserv-health", 9880));
        }
        ports.add(port("apiserv-metrics", 9962));
        List<VolumeMount> mounts = new ArrayList<>(List.of(mount("etcd-admin-client", ADMIN_SECRETS_DIR, true)));
        if (chart.clusterUsers()) {
            mounts.add(mount("etcd-users-config", USERS_DIR, true));
        }
        return container(
                "apiserver",
                values.image(),
                chart,
                List.of("/usr/bin/clustermesh-apiserver"),
                args,
                env,
                ports,
                chart.healthPortsAndReadiness() ? readyz("apiserv-health") : null,
                mounts);
    }

    private static Container kvstoremesh(ApiServerValues values, ApiServerChart chart) {
        List<String> args = new ArrayList<>(List.of(
                "kvstoremesh",
                "--cluster-name=$(CLUSTER_NAME)",
                "--cluster-id=$(CLUSTER_ID)",
                ETCD_CONFIG_OPTION,
                "--kvstore-opt=etcd.qps=100"));
        if (chart.apiserverQpsOptions()) {
            args.add("--kvstore-opt=etcd.bootstrapQps=10000");
        }
        args.addAll(List.of(
                "--kvstore-opt=etcd.maxInflight=10",
                "--clustermesh-config=" + KVSTOREMESH_DIR,
                "--max-connected-clusters=" + values.maxConnectedClusters()));
        if (chart.kvstoremeshCacheTtlFlag()) {
            args.add("--clustermesh-cache-ttl=0s");
        }
        if (chart.healthPortsAndReadiness()) {
            args.add("--health-port=9881");
        }
        args.addAll(List.of("--prometheus-serve-addr=:9964", "--controller-group-metrics=all"));
        if (chart.kvstoremeshHeartbeatFlag()) {
            args.add("--enable-heartbeat=false");
        }
        List<ContainerPort> ports = new ArrayList<>();
        if (chart.healthPortsAndReadiness()) {
            ports.add(port("kvmesh-health", 9881));
        }
        ports.add(port("kvmesh-metrics", 9964));
        // Unlike its siblings, 1.15's kvstoremesh container already drops privileges.
        return container(
                CiliumNames.KVSTOREMESH_CONTAINER,
                values.image(),
                true,
                List.of("/usr/bin/clustermesh-apiserver"),
                args,
                List.of(
                        configEnv("CLUSTER_NAME", CiliumNames.KEY_CLUSTER_NAME, false),
                        configEnv("CLUSTER_ID", CiliumNames.KEY_CLUSTER_ID, false)),
                ports,
                chart.healthPortsAndReadiness() ? readyz("kvmesh-health") : null,
                List.of(
                        mount("etcd-admin-client", ADMIN_SECRETS_DIR, true),
                        mount("kvstoremesh-secrets", KVSTOREMESH_DIR, true)));
    }

    private static List<Volume> volumes(ApiServerValues values, ApiServerChart chart) {
        List<Volume> volumes = new ArrayList<>(List.of(
                tlsVolume("etcd-server-secrets", CiliumNames.SERVER_CERT_SECRET),
                tlsVolume("etcd-admin-client", CiliumNames.ADMIN_CERT_SECRET)));
        if (chart.clusterUsers()) {
            volumes.add(new VolumeBuilder()
                    .withName("etcd-users-config")
                    .withNewConfigMap()
                    .withName(REMOTE_USERS_CONFIG_MAP)
                    .withDefaultMode(0400)
                    .endConfigMap()
                    .build());
        }
        // The chart's default storage medium is the node's disk (""), not Memory.
        volumes.add(new VolumeBuilder()
                .withName("etcd-data-dir")
                .withNewEmptyDir()
                .withMedium(chart.securityContexts() ? "" : null)
                .endEmptyDir()
                .build());
        if (values.kvstoremesh()) {
            volumes.add(new VolumeBuilder()
                    .withName("kvstoremesh-secrets")
                    .withNewProjected()
                    .withDefaultMode(0400)
                    .addNewSource()
                    .withNewSecret()
                    .withName(CiliumNames.KVSTOREMESH_SECRET)
                    .withOptional(true)
                    .endSecret()
                    .endSource()
                    .addNewSource()
                    .withNewSecret()
                    .withName(CiliumNames.REMOTE_CERT_SECRET)
                    .withOptional(true)
                    .addNewItem()
                    .withKey(CiliumNames.TLS_KEY)
                    .withPath("common-etcd-client.key")
                    .endItem()
                    .addNewItem()
                    .withKey(CiliumNames.TLS_CRT)
                    .withPath("common-etcd-client.crt")
                    .endItem()
                    .addNewItem()
                    .withKey(CiliumNames.CA_CRT)
                    .withPath("common-etcd-client-ca.crt")
                    .endItem()
                    .endSecret()
                    .endSource()
                    .endProjected()
                    .build());
        }
        return volumes;
    }

    private static Volume tlsVolume(String name, String secretName) {
        return new VolumeBuilder()
                .withName(name)
                .withNewProjected()
                .withDefaultMode(0400)
                .addNewSource()
                .withNewSecret()
                .withName(secretName)
                .addNewItem()
                .withKey(CiliumNames.TLS_CRT)
                .withPath(CiliumNames.TLS_CRT)
                .endItem()
                .addNewItem()
                .withKey(CiliumNames.TLS_KEY)
                .withPath(CiliumNames.TLS_KEY)
                .endItem()
                .addNewItem()
                .withKey(CiliumNames.CA_CRT)
                .withPath(CiliumNames.CA_CRT)
                .endItem()
                .endSecret()
                .endSource()
                .endProjected()
                .build();
    }

    private static Container container(
            String name,
            String image,
            ApiServerChart chart,
            List<String> command,
            List<String> args,
            List<EnvVar> env,
            List<ContainerPort> ports,
            Probe readiness,
            List<VolumeMount> mounts) {
        return container(name, image, chart.securityContexts(), command, args, env, ports, readiness, mounts);
    }

    private static Container container(
            String name,
            String image,
            boolean dropPrivileges,
            List<String> command,
            List<String> args,
            List<EnvVar> env,
            List<ContainerPort> ports,
            Probe readiness,
            List<VolumeMount> mounts) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withCommand(command)
                .withArgs(args)
                .withEnv(env)
                .withPorts(ports.isEmpty() ? null : ports)
                .withReadinessProbe(readiness)
                .withSecurityContext(
                        dropPrivileges
                                ? new SecurityContextBuilder()
                                        .withAllowPrivilegeEscalation(false)
                                        .withNewCapabilities()
                                        .withDrop("ALL")
                                        .endCapabilities()
                                        .build()
                                : null)
                .withVolumeMounts(mounts)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();
    }

    private static ContainerPort port(String name, int number) {
        return new ContainerPortBuilder()
                .withName(name)
                .withContainerPort(number)
                .withProtocol("TCP")
                .build();
    }

    private static Probe readyz(String portName) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/readyz")
                .withNewPort(portName)
                .endHttpGet()
                .build();
    }

    private static VolumeMount mount(String volume, String path, boolean readOnly) {
        return new VolumeMountBuilder()
                .withName(volume)
                .withMountPath(path)
                .withReadOnly(readOnly ? Boolean.TRUE : null)
                .build();
    }

    /**
     * 1.19 ({@link ApiServerChart#clusterUsers()}): one etcd user {@code remote-<name>} per connected
     * remote, which the apiserver container reads from this ConfigMap.
     */
    public static ConfigMap remoteUsers(String namespace, List<String> remoteNames) {
        StringBuilder yaml = new StringBuilder("users:\n");
        remoteNames.stream()
                .sorted()
                .forEach(r -> yaml.append("- name: remote-").append(r).append("\n  role: remote\n"));
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(REMOTE_USERS_CONFIG_MAP)
                .withNamespace(namespace)
                .withLabels(partOfCilium())
                .endMetadata()
                .withData(Map.of("users.yaml", yaml.toString()))
                .build();
    }

    private static EnvVar configEnv(String name, String key, boolean optional) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewConfigMapKeyRef()
                .withName(CiliumNames.CONFIG_MAP)
                .withKey(key)
                .withOptional(optional ? Boolean.TRUE : null)
                .endConfigMapKeyRef()
                .endValueFrom()
                .build();
    }

    private static EnvVar fieldEnv(String name, String fieldPath) {
        return new EnvVarBuilder()
                .withName(name)
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath(fieldPath)
                .endFieldRef()
                .endValueFrom()
                .build();
    }

    public static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Every data entry of a Secret, decoded (empty for an absent Secret). */
    public static Map<String, String> decodeAll(Secret secret) {
        Map<String, String> plain = new HashMap<>();
        if (secret != null && secret.getData() != null) {
            secret.getData()
                    .forEach((k, v) ->
                            plain.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return plain;
    }

    public static String decode(Secret secret, String key) {
        if (secret == null) {
            return null;
        }
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }
}
