package io.clustermesh.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.clustermesh.controller.config.TemporaryDirectory;
import io.clustermesh.controller.sim.SimulatedCluster;
import io.clustermesh.controller.support.ExternalCommand;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/scripts/managed-cluster-kubeconfig.sh} driven with the real kubectl against a
 * simulated cluster (its API server serves kubectl's discovery). The simulation has no token
 * controller, so this test plays kube-controller-manager's part: it fills in the token Secret
 * the script applied, the way Kubernetes does for a {@code kubernetes.io/service-account-token}
 * Secret.
 */
class ManagedClusterKubeconfigScriptTest {

    private static final Path SCRIPT = Path.of("deploy/scripts/managed-cluster-kubeconfig.sh");
    private static final Path RBAC = Path.of("deploy/manifests/managed-cluster-rbac.yaml");
    private static final String TOKEN_SECRET = "clustermesh-controller-token";

    private static SimulatedCluster homelab;
    private static KubernetesClient admin;
    private static Path work;
    private static Path adminKubeconfig;

    @BeforeAll
    static void startCluster() throws IOException {
        requireKubectl();
        homelab = SimulatedCluster.startIndexed(0);
        work = Files.createTempDirectory("managed-cluster-kubeconfig-");
        adminKubeconfig = homelab.writeKubeconfig(work);
        admin = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder()
                        .withMasterUrl(homelab.serverUrl())
                        .withOauthToken("admin")
                        .build())
                .build();
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (homelab != null) {
            homelab.close();
        }
        if (work != null) {
            new TemporaryDirectory(work).delete();
        }
    }

    @Test
    void dryRunPrintsObjectsAndKubeconfigShapeAndChangesNothing() {
        ExternalCommand.Result result = script(
                "--context",
                "homelab",
                "--dry-run",
                "--reachability",
                "port-forward",
                "--endpoint",
                "home.example.net:32379");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .contains(
                        "kind: ServiceAccount",
                        "kind: ClusterRole",
                        "kind: RoleBinding",
                        "mode: port-forward",
                        "endpoint: home.example.net:32379",
                        "<token of Secret kube-system/" + TOKEN_SECRET + ">");
        assertThat(admin.serviceAccounts()
                        .inNamespace("kube-system")
                        .withName("clustermesh-controller")
                        .get())
                .isNull();
        assertThat(admin.secrets()
                        .inNamespace("kube-system")
                        .withName(TOKEN_SECRET)
                        .get())
                .isNull();
    }

    @Test
    void refusesBadArgumentsBeforeTouchingTheCluster() {
        ExternalCommand.Result badEndpoint = script("--context", "homelab", "--endpoint", "home.example.net");
        ExternalCommand.Result badName = script("--context", "homelab", "--name", "Home_Lab");
        ExternalCommand.Result badMode = script("--context", "homelab", "--reachability", "vpn");

        assertThat(badEndpoint.exitCode()).isNotZero();
        assertThat(badEndpoint.stderr()).contains("--endpoint must be host:port");
        assertThat(badName.exitCode()).isNotZero();
        assertThat(badName.stderr()).contains("not a DNS-1123 label");
        assertThat(badMode.exitCode()).isNotZero();
        assertThat(badMode.stderr()).contains("--reachability must be direct, port-forward or tailscale");
        assertThat(admin.serviceAccounts()
                        .inNamespace("kube-system")
                        .withName("clustermesh-controller")
                        .get())
                .isNull();
    }

    @Test
    void withoutATokenItFailsAfterTheTimeoutAndWritesNoKubeconfig() {
        Path output = work.resolve("never.kubeconfig");

        ExternalCommand.Result result = script("--context", "homelab", "--timeout", "2", "--output", output.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr())
                .contains("Secret kube-system/" + TOKEN_SECRET + " has no token and ca.crt after 2s");
        assertThat(output).doesNotExist();
        admin.secrets().inNamespace("kube-system").withName(TOKEN_SECRET).delete();
    }

    @Test
    void appliesTheManagedClusterRbacAndWritesAKubeconfigForTheServiceAddress() throws Exception {
        String token = "eyJ" + HexFormat.of().formatHex(randomBytes(24));
        String ca = someCaBase64();
        Path output = work.resolve("homelab.kubeconfig");

        ExternalCommand.Result result = applyWithTokenController(
                token,
                ca,
                "--context",
                "homelab",
                "--server",
                "https://homelab-api.tailscale.svc:6443",
                "--tls-server-name",
                "kubernetes",
                "--reachability",
                "port-forward",
                "--endpoint",
                "home.example.net:32379",
                "--output",
                output.toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout() + result.stderr()).doesNotContain(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(output)))
                .isEqualTo("rw-------");
        Config kubeconfig = Serialization.unmarshal(Files.readString(output), Config.class);
        assertThat(kubeconfig.getCurrentContext()).isEqualTo("homelab");
        assertThat(kubeconfig.getContexts()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("homelab");
            assertThat(c.getContext().getNamespace()).isEqualTo("kube-system");
        });
        NamedCluster cluster = kubeconfig.getClusters().get(0);
        assertThat(cluster.getCluster().getServer()).isEqualTo("https://homelab-api.tailscale.svc:6443");
        assertThat(cluster.getCluster().getTlsServerName()).isEqualTo("kubernetes");
        assertThat(cluster.getCluster().getCertificateAuthorityData()).isEqualTo(ca);
        assertThat(kubeconfig.getUsers())
                .singleElement()
                .satisfies(u -> assertThat(u.getUser().getToken()).isEqualTo(token));
        assertThat(cluster.getCluster().getExtensions()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("clustermesh-controller.io/reachability");
            assertThat(Serialization.jsonMapper().convertValue(e.getExtension(), Map.class))
                    .containsEntry("mode", "port-forward")
                    .containsEntry("endpoint", "home.example.net:32379");
        });
        // Everything in the managed-cluster RBAC file now exists, with the file's rules.
        List<?> documents = Serialization.unmarshal(Files.readString(RBAC));
        Role expected = documents.stream()
                .filter(Role.class::isInstance)
                .map(Role.class::cast)
                .findFirst()
                .orElseThrow();
        Role applied = admin.rbac()
                .roles()
                .inNamespace("kube-system")
                .withName(expected.getMetadata().getName())
                .get();
        assertThat(applied.getRules()).isEqualTo(expected.getRules());
        assertThat(admin.rbac()
                        .clusterRoles()
                        .withName("clustermesh-controller")
                        .get())
                .isNotNull();
        assertThat(admin.rbac()
                        .clusterRoleBindings()
                        .withName("clustermesh-controller")
                        .get())
                .isNotNull();
        assertThat(admin.serviceAccounts()
                        .inNamespace("kube-system")
                        .withName("clustermesh-controller")
                        .get())
                .isNotNull();
    }

    @Test
    void theKubeconfigWorksWithKubectlAndAReRunIsIdempotent() throws Exception {
        ExternalCommand.Result first = applyWithTokenController(
                "eyJ" + HexFormat.of().formatHex(randomBytes(24)),
                someCaBase64(),
                "--context",
                "homelab",
                "--output",
                work.resolve("first.kubeconfig").toString());
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        // Without --server the context's own address stays: kubectl must be able to use the file as written.
        ExternalCommand.Result result = script(
                "--context",
                "homelab",
                "--reachability",
                "direct",
                "--output",
                work.resolve("direct.kubeconfig").toString());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("unchanged").doesNotContain("created");
        ExternalCommand.Result nodes = ExternalCommand.run(List.of(
                "kubectl", "--kubeconfig", work.resolve("direct.kubeconfig").toString(), "get", "nodes", "-o", "name"));
        assertThat(nodes.exitCode()).as(nodes.stderr()).isZero();
        assertThat(nodes.stdout()).contains("node/");
    }

    /** The managed cluster as before any run of the script: none of the objects it applies. */
    @BeforeEach
    void nothingApplied() {
        admin.secrets().inNamespace("kube-system").withName(TOKEN_SECRET).delete();
        admin.serviceAccounts()
                .inNamespace("kube-system")
                .withName("clustermesh-controller")
                .delete();
        admin.rbac()
                .roles()
                .inNamespace("kube-system")
                .withName("clustermesh-controller")
                .delete();
        admin.rbac()
                .roleBindings()
                .inNamespace("kube-system")
                .withName("clustermesh-controller")
                .delete();
        admin.rbac().clusterRoles().withName("clustermesh-controller").delete();
        admin.rbac().clusterRoleBindings().withName("clustermesh-controller").delete();
    }

    /** Runs the script while playing the token controller, which fills the token Secret with {@code token}. */
    private static ExternalCommand.Result applyWithTokenController(String token, String caBase64, String... args)
            throws Exception {
        CompletableFuture<Void> tokenController = fillTokenWhenCreated(token, caBase64);
        ExternalCommand.Result result = script(args);
        tokenController.get(30, TimeUnit.SECONDS);
        return result;
    }

    /** What kube-controller-manager's token controller does: fills in token and ca.crt once the Secret exists. */
    private static CompletableFuture<Void> fillTokenWhenCreated(String token, String caBase64) {
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                Secret secret = admin.secrets()
                        .inNamespace("kube-system")
                        .withName(TOKEN_SECRET)
                        .get();
                if (secret != null) {
                    admin.secrets()
                            .inNamespace("kube-system")
                            .withName(TOKEN_SECRET)
                            .edit(s -> {
                                s.setData(Map.of(
                                        "token",
                                        Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.US_ASCII)),
                                        "ca.crt",
                                        caBase64));
                                return s;
                            });
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            fail("the script never created Secret " + TOKEN_SECRET);
        });
    }

    private static ExternalCommand.Result script(String... args) {
        List<String> command = new ArrayList<>(List.of(
                "env",
                "KUBECONFIG=" + adminKubeconfig,
                // The simulated API server publishes no OpenAPI document for kubectl's client-side validation.
                "KUBECTL_APPLY_ARGS=--validate=false",
                "bash",
                SCRIPT.toString()));
        command.addAll(List.of(args));
        return ExternalCommand.run(command, null, Duration.ofSeconds(60));
    }

    private static void requireKubectl() {
        ExternalCommand.Result which = ExternalCommand.run(List.of("bash", "-c", "command -v kubectl"));
        if (which.exitCode() != 0) {
            fail("kubectl is missing (CI=" + System.getenv("CI")
                    + "): install it, e.g. apt-get install -y kubernetes-client, as .ci/run does");
        }
    }

    /** A ca.crt as the token controller would put it: base64 of a PEM block (its bytes are random). */
    private static String someCaBase64() {
        return Base64.getEncoder()
                .encodeToString(("-----BEGIN CERTIFICATE-----\n"
                                + Base64.getEncoder().encodeToString(randomBytes(48)) + "\n-----END CERTIFICATE-----\n")
                        .getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
