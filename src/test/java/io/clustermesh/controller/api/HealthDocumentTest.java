package io.clustermesh.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.health.HealthJson;
import io.clustermesh.controller.health.HealthReport;
import io.clustermesh.controller.health.HealthStatus;
import io.clustermesh.controller.health.spi.Check;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class HealthDocumentTest {
    private static final Instant AT = Instant.parse("2026-11-25T20:00:00Z");

    @Test
    void bytesAndEtagFollowTheReportAndTheStatusFollowsHealth() {
        HealthDocument first = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        HealthDocument same = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        HealthDocument later = HealthDocument.of(report(HealthStatus.HEALTHY, AT.plusSeconds(15)), HealthJson.MAPPER);

        assertThat(first.status()).isEqualTo(200);
        assertThat(text(first))
                .startsWith("{\"status\":\"healthy\",\"checkedAt\":\"2026-11-25T20:00:00Z\"")
                .contains("\"name\":\"homelab\"");
        assertThat(same.plain().etag()).isEqualTo(first.plain().etag()).matches("\"[0-9a-f]{32}\"");
        assertThat(text(later)).contains("2026-11-25T20:00:15Z");
        assertThat(later.plain().etag()).isNotEqualTo(first.plain().etag());
        assertThat(later.gzipped().etag()).isNotEqualTo(first.gzipped().etag());
        assertThat(HealthDocument.of(report(HealthStatus.DEGRADED, AT), HealthJson.MAPPER)
                        .status())
                .isEqualTo(503);
        assertThat(HealthDocument.of(report(HealthStatus.DOWN, AT), HealthJson.MAPPER)
                        .status())
                .isEqualTo(503);
    }

    @Test
    void ifNoneMatchComparesEntityTagsWeakly() {
        HealthDocument document = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        String etag = document.plain().etag();
        assertThat(HealthDocument.matches(etag, etag)).isTrue();
        assertThat(HealthDocument.matches("W/" + etag, etag)).isTrue();
        assertThat(HealthDocument.matches("\"other\", " + etag, etag)).isTrue();
        assertThat(HealthDocument.matches("*", etag)).isTrue();
        assertThat(HealthDocument.matches("\"other\"", etag)).isFalse();
        assertThat(HealthDocument.matches(document.gzipped().etag(), etag))
                .as("the gzipped bytes are another representation")
                .isFalse();
        assertThat(HealthDocument.matches(etag.replace("\"", ""), etag))
                .as("an unquoted tag is not the same tag")
                .isFalse();
        assertThat(HealthDocument.matches("", etag)).isFalse();
        assertThat(HealthDocument.matches(null, etag)).isFalse();
    }

    @Test
    void clientsThatAcceptGzipGetTheSameJsonGzipped() throws Exception {
        HealthDocument document = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        assertThat(document.forEncodings("gzip, deflate, br")).isSameAs(document.gzipped());
        assertThat(document.forEncodings("br;q=1.0, GZIP;q=0.5")).isSameAs(document.gzipped());
        assertThat(document.forEncodings("gzip;q=0")).isSameAs(document.plain());
        assertThat(document.forEncodings("gzip; q=0.000, identity")).isSameAs(document.plain());
        assertThat(document.forEncodings("x-gzip2, deflate")).isSameAs(document.plain());
        assertThat(document.forEncodings(null)).isSameAs(document.plain());
        try (var in = new GZIPInputStream(
                new ByteArrayInputStream(document.gzipped().body().getBytes()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text(document));
        }
    }

    @Test
    void theBodyCanBeSentAgainAndAgain() {
        HealthDocument document = HealthDocument.of(report(HealthStatus.HEALTHY, AT), HealthJson.MAPPER);
        String once = text(document);
        // Each response writes a duplicate of the one buffer and releases it afterwards.
        for (int i = 0; i < 3; i++) {
            document.plain().body().getByteBuf().release();
        }
        assertThat(text(document)).isEqualTo(once);
    }

    private static String text(HealthDocument document) {
        return document.plain().body().toString(StandardCharsets.UTF_8);
    }

    private static HealthReport report(HealthStatus status, Instant at) {
        var homelab = new HealthReport.ClusterHealth("homelab", status, true, List.of(Check.ok("api", "answered")));
        return new HealthReport(status, at, List.of(homelab), List.of(), List.of());
    }
}
