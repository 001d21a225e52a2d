package io.clustermesh.controller.tailscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clustermesh.controller.problems.ProblemException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TailscaleConfigTest {

    private record Config(Optional<String> apiKey, Optional<String> oauthClientId, Optional<String> oauthClientSecret)
            implements TailscaleConfig {
        @Override
        public String apiBaseUrl() {
            return TailscaleApiClient.DEFAULT_BASE_URL;
        }

        @Override
        public String tailnet() {
            return "-";
        }

        @Override
        public Optional<String> apiCaFile() {
            return Optional.empty();
        }

        @Override
        public String localapiSocket() {
            return "/tmp/tailscaled.sock";
        }

        @Override
        public Duration requestTimeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public Duration maxRetryBudget() {
            return Duration.ofSeconds(30);
        }
    }

    @Test
    void noCredentialMeansTailscaleApiIsOff() {
        assertThat(TailscaleCredential.fromConfig(new Config(Optional.empty(), Optional.empty(), Optional.empty())))
                .isEmpty();
    }

    @Test
    void apiKeyBecomesABearerCredential() {
        assertThat(TailscaleCredential.fromConfig(
                        new Config(Optional.of("tskey-api-x"), Optional.empty(), Optional.empty())))
                .containsInstanceOf(TailscaleCredential.ApiKey.class);
    }

    @Test
    void oauthPairBecomesAnOAuthCredential() {
        assertThat(TailscaleCredential.fromConfig(
                        new Config(Optional.empty(), Optional.of("kId"), Optional.of("tskey-client-x"))))
                .contains(new TailscaleCredential.OAuthClient("kId", "tskey-client-x"));
    }

    @Test
    void bothKindsAtOnceAreRefused() {
        assertThatThrownBy(() -> TailscaleCredential.fromConfig(
                        new Config(Optional.of("tskey-api-x"), Optional.of("kId"), Optional.of("tskey-client-x"))))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("not both")
                .hasMessageNotContaining("tskey-");
    }

    @Test
    void oauthIdWithoutSecretIsRefused() {
        assertThatThrownBy(() -> TailscaleCredential.fromConfig(
                        new Config(Optional.empty(), Optional.of("kId"), Optional.empty())))
                .hasMessageContaining("oauth-client-secret");
    }

    @Test
    void defaultsPointAtTheRealApiAndTheCredentialsTailnet() {
        ApiClientOptions options =
                ApiClientOptions.fromConfig(new Config(Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(options.baseUrl()).hasToString("https://api.tailscale.com/api/v2");
        assertThat(options.tailnet()).isEqualTo("-");
        assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    private static TailscaleConfig mapped(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(TailscaleConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(TailscaleConfig.class);
    }

    @Test
    void mappingStartsWithNothingConfigured() {
        TailscaleConfig config = mapped(Map.of());

        assertThat(config.apiBaseUrl()).isEqualTo("https://api.tailscale.com/api/v2");
        assertThat(config.tailnet()).isEqualTo("-");
        assertThat(config.localapiSocket()).isEqualTo("/var/run/tailscale/tailscaled.sock");
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxRetryBudget()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.apiKey()).isEmpty();
        assertThat(TailscaleCredential.fromConfig(config)).isEmpty();
    }

    @Test
    void mappingReadsTheMeshTailscaleKeys() {
        TailscaleConfig config = mapped(Map.of(
                "mesh.tailscale.oauth-client-id",
                "kId",
                "mesh.tailscale.oauth-client-secret",
                "tskey-client-x",
                "mesh.tailscale.localapi-socket",
                "/tmp/tailscaled.sock",
                "mesh.tailscale.request-timeout",
                "3s",
                "mesh.tailscale.max-retry-budget",
                "1m"));

        assertThat(TailscaleCredential.fromConfig(config)).containsInstanceOf(TailscaleCredential.OAuthClient.class);
        assertThat(config.localapiSocket()).isEqualTo("/tmp/tailscaled.sock");
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.maxRetryBudget()).isEqualTo(Duration.ofMinutes(1));
    }
}
