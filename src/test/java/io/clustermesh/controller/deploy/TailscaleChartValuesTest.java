package io.clustermesh.controller.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.tailscale.TailscaleConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's Tailscale values (issue 17 item 2): they feed the env that mesh.tailscale.* binds, and nothing else. */
class TailscaleChartValuesTest {

    private static Deployment deployment(Map<String, String> values) {
        List<HasMetadata> objects = DeployArtifactsTest.render(values);
        return objects.stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow();
    }

    private static Container container(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, EnvVar> env(Container c) {
        Map<String, EnvVar> env = new HashMap<>();
        c.getEnv().forEach(e -> env.put(e.getName(), e));
        return env;
    }

    @Test
    void byDefaultNothingTailscaleIsRendered() {
        Deployment d = deployment(Map.of());
        assertThat(env(container(d, "controller")).keySet()).noneMatch(k -> k.startsWith("MESH_TAILSCALE_"));
        assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("controller");
    }

    @Test
    void anOAuthSecretFeedsTheEnvironmentAndTheConfigMappingBindsIt() {
        Deployment d = deployment(
                Map.of("tailscale.oauth.existingSecret", "operator-oauth", "tailscale.tailnet", "T1234CNTRL"));
        Map<String, EnvVar> env = env(container(d, "controller"));
        assertThat(env.get("MESH_TAILSCALE_OAUTH_CLIENT_ID")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getName())
                .isEqualTo("operator-oauth");
        assertThat(env.get("MESH_TAILSCALE_OAUTH_CLIENT_ID")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey())
                .isEqualTo("client_id");
        assertThat(env.get("MESH_TAILSCALE_OAUTH_CLIENT_SECRET")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey())
                .isEqualTo("client_secret");
        assertThat(env.get("MESH_TAILSCALE_TAILNET").getValue()).isEqualTo("T1234CNTRL");
        assertThat(env).doesNotContainKeys("MESH_TAILSCALE_API_KEY", "MESH_TAILSCALE_LOCALAPI_SOCKET");

        // What Kubernetes would put in the environment, read through the service's own @ConfigMapping.
        TailscaleConfig bound = bind(Map.of(
                "MESH_TAILSCALE_OAUTH_CLIENT_ID",
                "kId",
                "MESH_TAILSCALE_OAUTH_CLIENT_SECRET",
                "s",
                "MESH_TAILSCALE_TAILNET",
                env.get("MESH_TAILSCALE_TAILNET").getValue(),
                "MESH_TAILSCALE_LOCALAPI_SOCKET",
                "/var/run/tailscale/tailscaled.sock"));
        assertThat(bound.oauthClientId()).contains("kId");
        assertThat(bound.tailnet()).isEqualTo("T1234CNTRL");
        assertThat(bound.localapiSocket()).isEqualTo("/var/run/tailscale/tailscaled.sock");
    }

    @Test
    void oneCredentialOnly() {
        assertThatThrownBy(() -> deployment(
                        Map.of("tailscale.oauth.existingSecret", "a", "tailscale.apiKey.existingSecret", "b")))
                .hasMessageContaining("set oauth.existingSecret or apiKey.existingSecret, not both");
        Map<String, EnvVar> env =
                env(container(deployment(Map.of("tailscale.apiKey.existingSecret", "ts-api")), "controller"));
        assertThat(env.get("MESH_TAILSCALE_API_KEY")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey())
                .isEqualTo("api-key");
    }

    @Test
    void aSidecarSharesItsLocalApiSocketAndStaysUnprivileged() {
        Deployment d = deployment(
                Map.of("tailscale.localapi.mode", "sidecar", "tailscale.localapi.sidecar.authKeySecret", "ts-authkey"));
        Container sidecar = container(d, "tailscale");
        Map<String, EnvVar> ts = env(sidecar);
        assertThat(ts.get("TS_SOCKET").getValue()).isEqualTo("/var/run/tailscale/tailscaled.sock");
        assertThat(ts.get("TS_USERSPACE").getValue()).isEqualTo("true");
        assertThat(ts.get("TS_AUTHKEY").getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("ts-authkey");
        assertThat(env(container(d, "controller"))
                        .get("MESH_TAILSCALE_LOCALAPI_SOCKET")
                        .getValue())
                .isEqualTo("/var/run/tailscale/tailscaled.sock");
        assertThat(container(d, "controller").getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("tailscale-socket");
            assertThat(m.getMountPath()).isEqualTo("/var/run/tailscale");
        });
        assertThat(sidecar.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(sidecar.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(sidecar.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .extracting(v -> v.getName())
                .contains("tailscale-socket", "tailscale-state");

        assertThatThrownBy(() -> deployment(Map.of("tailscale.localapi.mode", "sidecar")))
                .hasMessageContaining("tailscale.localapi.sidecar.authKeySecret");
        assertThatThrownBy(() -> deployment(Map.of("tailscale.localapi.mode", "socks")))
                .hasMessageContaining("tailscale.localapi.mode must be none, hostSocket or sidecar");
    }

    @Test
    void theNodesTailscaledIsMountedReadOnly() {
        Deployment d = deployment(Map.of("tailscale.localapi.mode", "hostSocket"));
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getName().equals("tailscale-socket"))
                .singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/var/run/tailscale"));
        assertThat(container(d, "controller").getVolumeMounts())
                .filteredOn(m -> m.getName().equals("tailscale-socket"))
                .singleElement()
                .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("controller");
    }

    private static TailscaleConfig bind(Map<String, String> environment) {
        // Quarkus' own converter for "10s"-style durations, as in the running service.
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(environment, 300))
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(TailscaleConfig.class)
                .build();
        return config.getConfigMapping(TailscaleConfig.class);
    }
}
