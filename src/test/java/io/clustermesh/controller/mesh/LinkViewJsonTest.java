package io.clustermesh.controller.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The direction status is an enum in the code and the same words in the API as before. */
class LinkViewJsonTest {
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    @ParameterizedTest(name = "{0} is \"{1}\"")
    @CsvSource({"READY, ready", "NOT_READY, not-ready", "UNKNOWN, unknown"})
    void directionStatusKeepsItsJsonValue(LinkView.DirectionStatus status, String value) throws Exception {
        var direction = new LinkView.Direction(
                "homelab", "cloud", status, 1, 2, "why", null, null, Instant.parse("2026-06-01T00:00:00Z"));

        assertThat(json.readTree(json.writeValueAsString(direction))
                        .path("status")
                        .asText())
                .isEqualTo(value);
        assertThat(direction.ready()).isEqualTo(status == LinkView.DirectionStatus.READY);
    }
}
