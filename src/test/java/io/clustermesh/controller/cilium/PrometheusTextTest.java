package io.clustermesh.controller.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import io.clustermesh.controller.cilium.PrometheusText.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusTextTest {

    @Test
    void commentsAndBlankLinesAreSkipped() {
        List<Sample> samples = PrometheusText.parse("# HELP x help\n# TYPE x gauge\n\n   \n# random comment\nx 1\n");

        assertThat(samples).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("x");
            assertThat(s.labels()).isEmpty();
            assertThat(s.value()).isEqualTo(1.0);
            assertThat(s.timestampMillis()).isNull();
        });
    }

    @Test
    void onlySamplesWithThePrefixAreReadAndWindowsLineEndsAreAccepted() {
        String page = "# HELP cilium_clustermesh_remote_clusters n\r\n"
                + "cilium_bpf_map_ops_total{map_name=\"x\"} 12\r\n"
                + "  cilium_clustermesh_remote_clusters{source_cluster=\"a\"} 2 1700000000000\r\n"
                + "cilium_clustermesh_broken{a=\"x\" 1\r\n"
                + "go_goroutines 40";

        assertThat(PrometheusText.parse(page, "cilium_clustermesh_"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.name()).isEqualTo("cilium_clustermesh_remote_clusters");
                    assertThat(s.labels()).containsExactly(Map.entry("source_cluster", "a"));
                    assertThat(s.value()).isEqualTo(2.0);
                    assertThat(s.timestampMillis()).isEqualTo(1_700_000_000_000L);
                });
        assertThat(PrometheusText.parse(page))
                .extracting(Sample::name)
                .containsExactly("cilium_bpf_map_ops_total", "cilium_clustermesh_remote_clusters", "go_goroutines");
    }

    @Test
    void escapedQuotesBackslashesAndNewlinesInLabelValuesAreUnescaped() {
        Sample s = PrometheusText.parse("m{a=\"say \\\"hi\\\"\",b=\"c:\\\\dir\",c=\"line\\nnext\",} 2\n")
                .get(0);

        assertThat(s.labels())
                .containsExactly(Map.entry("a", "say \"hi\""), Map.entry("b", "c:\\dir"), Map.entry("c", "line\nnext"));
    }

    @Test
    void braceAndCommaInsideLabelValueDoNotEndTheLabelSet() {
        Sample s = PrometheusText.parse("m{a=\"x}, y=\\\"z\\\"\"} 3").get(0);

        assertThat(s.labels()).containsExactly(Map.entry("a", "x}, y=\"z\""));
        assertThat(s.value()).isEqualTo(3.0);
    }

    @Test
    void optionalTimestampIsRead() {
        Sample s = PrometheusText.parse("m{a=\"b\"} 1.5 1764018843000\r\n").get(0);

        assertThat(s.value()).isEqualTo(1.5);
        assertThat(s.timestampMillis()).isEqualTo(1764018843000L);
    }

    @Test
    void specialValuesAreRead() {
        List<Sample> s = PrometheusText.parse("a NaN\nb +Inf\nc -Inf\nd 1.764018843e+09\n");

        assertThat(s.get(0).value()).isNaN();
        assertThat(s.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.get(3).value()).isEqualTo(1764018843.0);
    }

    @Test
    void malformedLinesAreSkippedWithoutLosingTheRest() {
        List<Sample> samples = PrometheusText.parse(
                "good 1\nbad{a=\"unterminated} 2\n{x=\"y\"} 3\nnovalue\nalso_good 4 5 6\nfine 7\n");

        assertThat(samples).extracting(Sample::name).containsExactly("good", "fine");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "0, 0",
        "1, 1",
        "3, 3",
        "14, 14",
        "123456, 123456",
        "1000000, 1e+06",
        "1764018843, 1.764018843e+09",
        "0.5, 0.5",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "-2, -2",
        "1.5e300, 1.5e+300"
    })
    void valuesAreFormattedLikeGo(double value, String expected) {
        assertThat(PrometheusText.formatValue(value)).isEqualTo(expected);
    }

    @Test
    void formattedSampleSortsAndEscapesLabels() {
        String line = PrometheusText.formatSample("m", Map.of("z", "1", "a", "q\"uote"), 2);

        assertThat(line).isEqualTo("m{a=\"q\\\"uote\",z=\"1\"} 2");
        assertThat(PrometheusText.parse(line).get(0).labels()).containsEntry("a", "q\"uote");
    }
}
