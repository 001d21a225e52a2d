package io.clustermesh.controller.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code bench/run --smoke} inside {@code ./mvnw -B verify} (after the jar is packaged), so the
 * benchmark cannot rot. It asserts that every figure was measured (or is pending a feature this
 * branch lacks) and that the isolation answer is right; never a timing (machines are noisy).
 */
class BenchSmokeIT {

    @Test
    void smokeRunMeasuresEveryFigure() throws Exception {
        Results results = new Bench(BenchSettings.parse("--smoke")).run();
        String table = results.table();
        assertThat(results.rows()).as(table).noneMatch(r -> r.verdict() == Results.Verdict.ERROR);
        assertThat(results.rows())
                .as(table)
                .extracting(Results.Row::figure)
                .contains("P1", "P2", "P3", "P4", "P5", "P6");
        assertThat(results.rows())
                .as(table)
                .filteredOn(r -> r.what().contains("fan-out 4 / 1"))
                .hasSize(1);
        assertThat(results.rows())
                .as(table)
                .filteredOn(r -> r.what().contains("marked down"))
                .singleElement()
                .extracting(Results.Row::verdict)
                .isEqualTo(Results.Verdict.PASS);
        // A rate over the smoke run's 2 s window is no figure; only that it is measured.
        assertThat(results.rows())
                .as(table)
                .filteredOn(r -> r.what().startsWith("execs per cluster per minute"))
                .hasSize(1);
        assertThat(results.rows())
                .as(table)
                .filteredOn(r -> r.what().startsWith("detect apiserver-down"))
                .hasSize(1);
    }
}
