package io.clustermesh.controller.mesh;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * The objects "enable" writes, shaped like the Cilium 1.16–1.18 chart renders them with
 * {@code clustermesh.useAPIServer=true} and KVStoreMesh on (contract §3.1–§3.4).
 */
final class ApiServerObjects {
    /** Our mesh CA; kept apart from cilium-ca so Hubble's certificates (signed by cilium-ca) stay valid. */
    static final String MESH_CA_SECRET = "clustermesh-controller-ca";
    private static final String ETCD_SECRETS_DIR = "/var/lib/etcd-secrets";
    private static final String ADMIN_SECRETS_DIR = "/var/lib/cilium/etcd-secrets";
    private static final String KVSTOREMESH_DIR = "/var/lib/cilium/clustermesh";
    private static final long NON_ROOT = 65532L;

    private ApiServerObjects() {
    }

    static Map<String, String> selector() {
        return Map.of(CiliumNames.AGENT_SELECTOR_KEY, CiliumNames.APISERVER_SELECTOR_VALUE);
    }

    static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>(MeshLabels.ours());
        labels.putAll(selector());
        labels.put("app.kubernetes.io/name", CiliumNames.APISERVER);
        return labels;
    }

    static Secret caSecret(String namespace, String caCertPem, String caKeyPem) {
        return new SecretBuilder()
                .withNewMetadata().withName(MESH_CA_SECRET).withNamespace(namespace).withLabels(MeshLabels.ours()).endMetadata()
                .withType("Opaque")
                .withData(Map.of(CiliumNames.CA_CRT, b64(caCertPem), CiliumNames.CA_KEY, b64(caKeyPem)))
                .build();
    }

    static Secret tlsSecret(String namespace, String name, String caPem, String certPem, String keyPem) {
        return new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(MeshLabels.ours()).endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of(CiliumNames.CA_CRT, b64(caPem), CiliumNames.TLS_CRT, b64(certPem), CiliumNames.TLS_KEY, b64(keyPem)))
                .build();
    }

    static ServiceAccount serviceAccount(String namespace) {
        return new ServiceAccountBuilder()
                .withNewMetadata().withName(CiliumNames.APISERVER).withNamespace(namespace).withLabels(MeshLabels.ours()).endMetadata()
                .build();
    }

    static ClusterRole clusterRole() {
        return new ClusterRoleBuilder()
                .withNewMetadata().withName(CiliumNames.APISERVER).withLabels(MeshLabels.ours()).endMetadata()
                .withRules(
                        new PolicyRuleBuilder().withApiGroups("cilium.io")
                                .withResources("ciliumidentities", "ciliumendpoints", "ciliumnodes", "ciliumendpointslices")
                                .withVerbs("get", "list", "watch").build(),
                        new PolicyRuleBuilder().withApiGroups("apiextensions.k8s.io").withResources("customresourcedefinitions")
                                .withVerbs("get", "list", "watch").build(),
                        new PolicyRuleBuilder().withApiGroups("").withResources("endpoints", "namespaces", "services")
                                .withVerbs("get", "list", "watch").build(),
                        new PolicyRuleBuilder().withApiGroups("discovery.k8s.io").withResources("endpointslices")
                                .withVerbs("get", "list", "watch").build())
                .build();
    }

    static ClusterRoleBinding clusterRoleBinding(String namespace) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(CiliumNames.APISERVER).withLabels(MeshLabels.ours()).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(CiliumNames.APISERVER).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(CiliumNames.APISERVER).withNamespace(namespace).endSubject()
                .build();
    }

    static Service service(String namespace, String type, Integer nodePort) {
        var port = new ServicePortBuilder().withProtocol("TCP").withPort(CiliumNames.ETCD_PORT)
                .withNewTargetPort(CiliumNames.ETCD_PORT);
        if ("NodePort".equals(type) && nodePort != null) {
            port.withNodePort(nodePort);
        }
        return new ServiceBuilder()
                .withNewMetadata().withName(CiliumNames.APISERVER).withNamespace(namespace).withLabels(labels()).endMetadata()
                .withNewSpec().withType(type).withSelector(selector()).withPorts(port.build())
                .withExternalTrafficPolicy("ClusterIP".equals(type) ? null : "Cluster").withInternalTrafficPolicy("Cluster")
                .endSpec()
                .build();
    }

    static Service metricsService(String namespace) {
        return new ServiceBuilder()
                .withNewMetadata().withName(CiliumNames.APISERVER_METRICS_SERVICE).withNamespace(namespace)
                .withLabels(labels()).addToLabels("app.kubernetes.io/component", "metrics").endMetadata()
                .withNewSpec().withClusterIP("None").withType("ClusterIP").withSelector(selector())
                .withPorts(
                        new ServicePortBuilder().withName("apiserv-metrics").withProtocol("TCP").withPort(9962).withNewTargetPort("apiserv-metrics").build(),
                        new ServicePortBuilder().withName("kvmesh-metrics").withProtocol("TCP").withPort(9964).withNewTargetPort("kvmesh-metrics").build(),
                        new ServicePortBuilder().withName("etcd-metrics").withProtocol("TCP").withPort(9963).withNewTargetPort("etcd-metrics").build())
                .endSpec()
                .build();
    }

    /** §3.1: one image for every container, tagged with the agents' version. */
    static Deployment deployment(String namespace, String ciliumVersion, int maxConnectedClusters, List<HostAlias> hostAliases,
                                 List<String> aliasedRemotes) {
        String image = CiliumNames.APISERVER_IMAGE_REPO + ":v" + ciliumVersion;
        String clusterArgs = "--cluster-name=$(CLUSTER_NAME) --cluster-id=$(CLUSTER_ID)";
        var builder = new DeploymentBuilder()
                .withNewMetadata().withName(CiliumNames.APISERVER).withNamespace(namespace).withLabels(labels())
                .addToAnnotations(MeshLabels.ALIASED_REMOTES, MeshLabels.join(aliasedRemotes))
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector().withMatchLabels(selector()).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withNewMaxSurge(1).withNewMaxUnavailable(0).endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels())
                .addToAnnotations("kubectl.kubernetes.io/default-container", "apiserver").endMetadata()
                .withNewSpec()
                .withServiceAccountName(CiliumNames.APISERVER)
                .withPriorityClassName("system-cluster-critical")
                .withNodeSelector(Map.of("kubernetes.io/os", "linux"))
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(NON_ROOT).withRunAsGroup(NON_ROOT).withFsGroup(NON_ROOT).endSecurityContext()
                .withHostAliases(hostAliases)
                .withInitContainers(container("etcd-init", image, List.of("/usr/bin/clustermesh-apiserver"),
                        List.of("etcdinit", "--etcd-cluster-name=clustermesh-apiserver",
                                "--etcd-initial-cluster-token=$(INITIAL_CLUSTER_TOKEN)", "--etcd-data-dir=/var/run/etcd"),
                        List.of(configEnv("CILIUM_CLUSTER_NAME", CiliumNames.KEY_CLUSTER_NAME), podUidEnv())))
                .withContainers(
                        container("etcd", image, List.of("/usr/bin/etcd"), List.of("--data-dir=/var/run/etcd", "--name=clustermesh-apiserver",
                                "--client-cert-auth", "--trusted-ca-file=" + ETCD_SECRETS_DIR + "/ca.crt",
                                "--cert-file=" + ETCD_SECRETS_DIR + "/tls.crt", "--key-file=" + ETCD_SECRETS_DIR + "/tls.key",
                                "--listen-client-urls=https://0.0.0.0:2379", "--advertise-client-urls=https://localhost:2379",
                                "--initial-cluster-token=$(INITIAL_CLUSTER_TOKEN)", "--auto-compaction-retention=1",
                                "--listen-metrics-urls=http://0.0.0.0:9963", "--metrics=basic"), List.of(podUidEnv())),
                        container("apiserver", image, List.of("/usr/bin/clustermesh-apiserver"), List.of("clustermesh", clusterArgs,
                                "--kvstore-opt=etcd.config=/var/lib/cilium/etcd-config.yaml", "--kvstore-opt=etcd.qps=20",
                                "--kvstore-opt=etcd.bootstrapQps=10000", "--max-connected-clusters=" + maxConnectedClusters,
                                "--health-port=9880", "--prometheus-serve-addr=:9962", "--controller-group-metrics=all"),
                                List.of(configEnv("CLUSTER_NAME", CiliumNames.KEY_CLUSTER_NAME), configEnv("CLUSTER_ID", CiliumNames.KEY_CLUSTER_ID))),
                        container(CiliumNames.KVSTOREMESH_CONTAINER, image, List.of("/usr/bin/clustermesh-apiserver"), List.of("kvstoremesh", clusterArgs,
                                "--kvstore-opt=etcd.config=/var/lib/cilium/etcd-config.yaml", "--kvstore-opt=etcd.qps=100",
                                "--kvstore-opt=etcd.maxInflight=10", "--clustermesh-config=" + KVSTOREMESH_DIR,
                                "--max-connected-clusters=" + maxConnectedClusters, "--health-port=9881",
                                "--prometheus-serve-addr=:9964", "--enable-heartbeat=false"),
                                List.of(configEnv("CLUSTER_NAME", CiliumNames.KEY_CLUSTER_NAME), configEnv("CLUSTER_ID", CiliumNames.KEY_CLUSTER_ID))))
                .withVolumes(
                        new VolumeBuilder().withName("etcd-data-dir").withNewEmptyDir().withMedium("Memory").endEmptyDir().build(),
                        new VolumeBuilder().withName("etcd-server-secrets").withNewSecret()
                                .withSecretName(CiliumNames.SERVER_CERT_SECRET).withDefaultMode(0400).endSecret().build(),
                        new VolumeBuilder().withName("etcd-admin-client").withNewSecret()
                                .withSecretName(CiliumNames.ADMIN_CERT_SECRET).withDefaultMode(0400).endSecret().build(),
                        new VolumeBuilder().withName("kvstoremesh-secrets").withNewProjected().withDefaultMode(0400)
                                .addNewSource().withNewSecret().withName(CiliumNames.KVSTOREMESH_SECRET).withOptional(true).endSecret().endSource()
                                .addNewSource().withNewSecret().withName(CiliumNames.REMOTE_CERT_SECRET).withOptional(true)
                                .addNewItem().withKey(CiliumNames.TLS_KEY).withPath("common-etcd-client.key").endItem()
                                .addNewItem().withKey(CiliumNames.TLS_CRT).withPath("common-etcd-client.crt").endItem()
                                .addNewItem().withKey(CiliumNames.CA_CRT).withPath("common-etcd-client-ca.crt").endItem()
                                .endSecret().endSource()
                                .endProjected().build())
                .endSpec()
                .endTemplate()
                .endSpec();
        return builder.build();
    }

    private static Container container(String name, String image, List<String> command, List<String> args, List<EnvVar> env) {
        return new ContainerBuilder().withName(name).withImage(image).withImagePullPolicy("IfNotPresent")
                .withCommand(command).withArgs(args).withEnv(env)
                .withSecurityContext(new SecurityContextBuilder().withAllowPrivilegeEscalation(false)
                        .withNewCapabilities().withDrop("ALL").endCapabilities().build())
                .withVolumeMounts(mountsFor(name))
                .build();
    }

    private static List<io.fabric8.kubernetes.api.model.VolumeMount> mountsFor(String container) {
        return switch (container) {
            case "etcd-init" -> List.of(new VolumeMountBuilder().withName("etcd-data-dir").withMountPath("/var/run/etcd").build());
            case "etcd" -> List.of(new VolumeMountBuilder().withName("etcd-data-dir").withMountPath("/var/run/etcd").build(),
                    new VolumeMountBuilder().withName("etcd-server-secrets").withMountPath(ETCD_SECRETS_DIR).withReadOnly(true).build());
            case "apiserver" -> List.of(new VolumeMountBuilder().withName("etcd-admin-client").withMountPath(ADMIN_SECRETS_DIR).withReadOnly(true).build());
            default -> List.of(new VolumeMountBuilder().withName("etcd-admin-client").withMountPath(ADMIN_SECRETS_DIR).withReadOnly(true).build(),
                    new VolumeMountBuilder().withName("kvstoremesh-secrets").withMountPath(KVSTOREMESH_DIR).withReadOnly(true).build());
        };
    }

    private static EnvVar configEnv(String name, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewConfigMapKeyRef()
                .withName(CiliumNames.CONFIG_MAP).withKey(key).endConfigMapKeyRef().endValueFrom().build();
    }

    private static EnvVar podUidEnv() {
        return new EnvVarBuilder().withName("INITIAL_CLUSTER_TOKEN").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.uid").endFieldRef().endValueFrom().build();
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Every data entry of a Secret, decoded (empty for an absent Secret). */
    static Map<String, String> decodeAll(Secret secret) {
        Map<String, String> plain = new HashMap<>();
        if (secret != null && secret.getData() != null) {
            secret.getData().forEach((k, v) -> plain.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return plain;
    }

    static String decode(Secret secret, String key) {
        if (secret == null) {
            return null;
        }
        if (secret.getData() != null && secret.getData().get(key) != null) {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }
}
