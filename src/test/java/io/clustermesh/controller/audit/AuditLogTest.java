package io.clustermesh.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    private static AuditEntry entry(int n) {
        return new AuditEntry(
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n),
                "ops",
                "PUT",
                "/api/v1/links/{a}/{b}",
                "/api/v1/links/a/b",
                null,
                null,
                "a,b",
                202,
                null,
                "op-" + n);
    }

    @Test
    void survivesARestartAndToleratesALineCutShortByACrash(@TempDir Path dir) throws Exception {
        AuditLog first = new AuditLog(dir, 100);
        first.record(entry(1));
        first.record(entry(2));
        Files.writeString(dir.resolve(AuditLog.FILE), "{\"time\":\"2026-01-01T00:00:0", StandardOpenOption.APPEND);

        AuditLog second = new AuditLog(dir, 100);
        assertThat(second.recent(10)).extracting(AuditEntry::operation).containsExactly("op-2", "op-1");
        second.record(entry(3));
        assertThat(new AuditLog(dir, 100).recent(10))
                .extracting(AuditEntry::operation)
                .containsExactly("op-3", "op-2", "op-1");
    }

    @Test
    void entriesBeyondTheSizeGoOnlyOnceOlderThanTheRetention(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:30Z"));
        AuditLog log = new AuditLog(dir, 5, Duration.ofHours(1), clock);
        for (int i = 0; i < 23; i++) {
            log.record(entry(i));
        }
        // All 23 are younger than an hour: none may go, whatever the size says.
        assertThat(log.recent(100)).hasSize(23);
        assertThat(new AuditLog(dir, 5, Duration.ofHours(1), clock).recent(100)).hasSize(23);

        clock.now = Instant.parse("2026-01-01T02:00:00Z");
        log.record(entry(7200));
        assertThat(log.recent(100))
                .extracting(AuditEntry::operation)
                .containsExactly("op-7200", "op-22", "op-21", "op-20", "op-19");
        assertThat(Files.readAllLines(dir.resolve(AuditLog.FILE)))
                .as("the file is compacted to what is kept")
                .hasSize(5);
        assertThat(new AuditLog(dir, 5, Duration.ofHours(1), clock).recent(100))
                .extracting(AuditEntry::operation)
                .containsExactly("op-7200", "op-22", "op-21", "op-20", "op-19");
    }

    @Test
    void aTrailFromBeforeRetentionMovesIntoOneFile(@TempDir Path dir) throws Exception {
        AuditLog old = new AuditLog(dir, 100);
        old.record(entry(1));
        Files.move(dir.resolve(AuditLog.FILE), dir.resolve(AuditLog.PREVIOUS));
        new AuditLog(dir, 100).record(entry(2));
        AuditLog reopened = new AuditLog(dir, 100);
        assertThat(reopened.recent(10)).extracting(AuditEntry::operation).containsExactly("op-2", "op-1");
        assertThat(dir.resolve(AuditLog.PREVIOUS)).doesNotExist();
    }

    /** A clock the test moves. */
    static final class MutableClock extends java.time.Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void onAnEventLoopTheLineIsWrittenAtOnceAndForcedInTheBackground(@TempDir Path dir) throws Exception {
        AuditLog log = new AuditLog(dir, 100);
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            var written = new java.util.concurrent.CompletableFuture<java.util.List<String>>();
            vertx.runOnContext(v -> {
                log.record(entry(1));
                try {
                    written.complete(Files.readAllLines(dir.resolve(AuditLog.FILE)));
                } catch (java.io.IOException e) {
                    written.completeExceptionally(e);
                }
            });
            assertThat(written.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .hasSize(1)
                    .first()
                    .asString()
                    .contains("op-1");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> log.syncedEntries() == 1);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void bodySummaryKeepsIntentAndDropsSecrets() {
        String key = "-----BEGIN " + "PRIVATE KEY-----abc";
        BodySummary summary = BodySummary.of(
                ("{\"clusters\":[\"a\",\"b\"],\"token\":\"t0p\",\"note\":\"" + key + "\",\"nodePort\":32379}")
                        .getBytes());
        assertThat(summary.text())
                .isEqualTo("{\"clusters\":[\"a\",\"b\"],\"token\":\"<redacted, 3 chars>\",\"note\":\"<redacted, "
                        + key.length() + " chars>\",\"nodePort\":32379}");
        assertThat(summary.clusters()).containsExactly("a", "b");
        assertThat(BodySummary.of("not json".getBytes()).text()).isEqualTo("<8 bytes, not JSON>");
    }
}
