package io.clustermesh.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.problems.ProblemType;
import io.clustermesh.controller.support.ConfigProxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTest {
    private static final String VIEWER = "viewer-" + "t0ken-for-the-access-test";
    private static final String OPERATOR = "operator-" + "t0ken-for-the-access-test";

    @Test
    void viewersReadOperatorsMutateAndTheRefusedCallerIsStillNamed() {
        Access access = access(false);
        assertThat(access.decide("GET", "/api/v1/clusters", "Bearer " + VIEWER)).satisfies(v -> {
            assertThat(v.allowed()).isTrue();
            assertThat(v.caller()).isEqualTo(new Caller("ci-viewer", Role.VIEWER));
        });
        assertThat(access.decide("HEAD", Access.HEALTH_PATH, "bearer " + VIEWER).allowed())
                .as("the scheme is case-insensitive")
                .isTrue();
        assertThat(access.decide("PUT", "/api/v1/links/a/b", "Bearer " + OPERATOR)
                        .allowed())
                .isTrue();
        Access.Verdict viewerMutating = access.decide("POST", "/api/v1/mesh/connect", "Bearer " + VIEWER);
        assertThat(viewerMutating.refusal()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(viewerMutating.caller().tokenName()).isEqualTo("ci-viewer");
        assertThat(viewerMutating.problem("/api/v1/mesh/connect")).satisfies(p -> {
            assertThat(p.status()).isEqualTo(403);
            assertThat(p.instance()).isEqualTo("/api/v1/mesh/connect");
            assertThat(p.detail()).contains("operator role").doesNotContain(VIEWER);
        });
    }

    @Test
    void missingOrWrongTokensAreUnauthenticated() {
        Access access = access(false);
        for (String header : new String[] {null, "", "Basic dXNlcjpwYXNz", "Bearer " + VIEWER + "x", "Bearer "}) {
            Access.Verdict verdict = access.decide("GET", Access.HEALTH_PATH, header);
            assertThat(verdict.refusal()).as(String.valueOf(header)).isEqualTo(ProblemType.UNAUTHENTICATED);
            assertThat(verdict.caller()).isNull();
        }
    }

    @Test
    void anonymousCallersReadHealthOnlyWhenConfiguredAndNothingElse() {
        Access open = access(true);
        assertThat(open.decide("GET", Access.HEALTH_PATH, null)).satisfies(v -> {
            assertThat(v.allowed()).isTrue();
            assertThat(v.caller()).isEqualTo(Caller.ANONYMOUS);
        });
        assertThat(open.decide("POST", Access.HEALTH_PATH, null).refusal()).isEqualTo(ProblemType.UNAUTHENTICATED);
        assertThat(open.decide("GET", "/api/v1/clusters", null).refusal()).isEqualTo(ProblemType.UNAUTHENTICATED);
        assertThat(open.decide("GET", Access.HEALTH_PATH, "Bearer wrong").refusal())
                .as("a wrong token is not anonymous")
                .isEqualTo(ProblemType.UNAUTHENTICATED);
        assertThat(access(false).decide("GET", Access.HEALTH_PATH, null).refusal())
                .isEqualTo(ProblemType.UNAUTHENTICATED);
    }

    private static Access access(boolean anonymousHealth) {
        MeshConfig.Auth auth =
                ConfigProxy.of(MeshConfig.Auth.class, Map.of("tokens", Map.of(), "anonymousHealth", anonymousHealth));
        MeshConfig config = ConfigProxy.of(MeshConfig.class, Map.of("auth", auth));
        TokenRegistry tokens = new TokenRegistry(config);
        tokens.register("ci-viewer", VIEWER, Role.VIEWER);
        tokens.register("ci-operator", OPERATOR, Role.OPERATOR);
        return new Access(tokens, config);
    }
}
