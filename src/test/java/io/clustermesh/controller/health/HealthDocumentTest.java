package io.clustermesh.controller.health;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthDocumentTest {
    private static final Instant AT = Instant.parse("2026-11-25T20:00:00Z");

    @Test
    void bytesAndEtagFollowTheReportAndTheStatusFollowsHealth() {
        HealthDocument first = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        HealthDocument same = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        HealthDocument later = HealthDocument.of(report(HealthStatus.HEALTHY, AT.plusSeconds(15)), HealthJson.MAPPER);

        assertThat(first.status()).isEqualTo(200);
        assertThat(text(first)).startsWith("{\"status\":\"healthy\",\"checkedAt\":\"2026-11-25T20:00:00Z\"").contains("\"name\":\"homelab\"");
        assertThat(same.etag()).isEqualTo(first.etag()).matches("\"[0-9a-f]{32}\"");
        assertThat(text(later)).contains("2026-11-25T20:00:15Z");
        assertThat(later.etag()).isNotEqualTo(first.etag());
        assertThat(HealthDocument.of(report(HealthStatus.DEGRADED, AT), HealthJson.MAPPER).status()).isEqualTo(503);
        assertThat(HealthDocument.of(report(HealthStatus.DOWN, AT), HealthJson.MAPPER).status()).isEqualTo(503);
    }

    @Test
    void ifNoneMatchComparesEntityTagsWeakly() {
        HealthDocument document = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        String etag = document.etag();
        assertThat(document.matches(etag)).isTrue();
        assertThat(document.matches("W/" + etag)).isTrue();
        assertThat(document.matches("\"other\", " + etag)).isTrue();
        assertThat(document.matches("*")).isTrue();
        assertThat(document.matches("\"other\"")).isFalse();
        assertThat(document.matches(etag.replace("\"", ""))).as("an unquoted tag is not the same tag").isFalse();
        assertThat(document.matches("")).isFalse();
        assertThat(document.matches(null)).isFalse();
    }

    @Test
    void theBodyCanBeSentAgainAndAgain() {
        HealthDocument document = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        String once = text(document);
        // Each response writes a duplicate of the one buffer and releases it afterwards.
        for (int i = 0; i < 3; i++) {
            document.body().getByteBuf().release();
        }
        assertThat(text(document)).isEqualTo(once);
    }

    private static String text(HealthDocument document) {
        return document.body().toString(StandardCharsets.UTF_8);
    }

    private static HealthReport report(HealthStatus status, Instant at) {
        var homelab = new HealthReport.ClusterHealth("homelab", status, true, List.of(Check.ok("api", "answered")));
        return new HealthReport(status, at, List.of(homelab), List.of(), List.of());
    }
}
