package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * One revision of a Helm release read in full from its record (see {@link HelmReleaseRecord} for the
 * encoding): the user's values ({@code config}), the chart Helm installed, and the description Helm
 * keeps per revision. The chart is what a change of the release's values must be rendered with, so
 * the version (and any local change to the chart) stays exactly the user's.
 */
public record HelmRelease(
        String name,
        String namespace,
        int revision,
        String status,
        String description,
        ObjectNode config,
        ObjectNode chart,
        String manifest) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    public static Optional<HelmRelease> decode(Secret secret) {
        return releaseJson(secret)
                .map(release -> new HelmRelease(
                        release.path("name").asText(),
                        release.path("namespace").asText(secret.getMetadata().getNamespace()),
                        release.path("version").asInt(),
                        release.path("info").path("status").asText(),
                        release.path("info").path("description").asText(""),
                        release.get("config") instanceof ObjectNode c ? c : JSON.createObjectNode(),
                        release.get("chart") instanceof ObjectNode c ? c : JSON.createObjectNode(),
                        release.path("manifest").asText("")));
    }

    /** The release JSON inside a record: base64 (the Secret's) of base64 of gzip; empty when the Secret is no readable record. */
    static Optional<JsonNode> releaseJson(Secret secret) {
        if (secret == null
                || !HelmReleaseRecord.TYPE.equals(secret.getType())
                || secret.getData() == null
                || secret.getData().get("release") == null) {
            return Optional.empty();
        }
        try {
            byte[] gzipped = Base64.getDecoder()
                    .decode(Base64.getDecoder().decode(secret.getData().get("release")));
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                return Optional.of(JSON.readTree(in));
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Helm's labels on every record of release {@code name}, to list its history. */
    public static java.util.Map<String, String> recordsOf(String name) {
        return java.util.Map.of("owner", "helm", "name", name);
    }

    /** The readable revisions of release {@code name} among {@code records}, oldest first. */
    public static java.util.List<HelmRelease> history(java.util.List<Secret> records, String name) {
        return records.stream()
                .map(HelmRelease::decode)
                .flatMap(Optional::stream)
                .filter(r -> r.name().equals(name))
                .sorted(java.util.Comparator.comparingInt(HelmRelease::revision))
                .toList();
    }

    /** Values and chart left out: the values may hold the mesh CA's key. */
    @Override
    public String toString() {
        return "HelmRelease[" + namespace + "/" + name + " revision " + revision + " " + status + "]";
    }

    public String chartVersion() {
        return chart.path("metadata").path("version").asText(null);
    }

    /**
     * Writes the release's chart back as a chart directory (Chart.yaml from its metadata, values.yaml,
     * values.schema.json, every template and file byte for byte) and returns it, for {@code helm upgrade}.
     * The managed clustermesh paths of values.yaml come from {@code defaultsFrom}, the chart values of
     * a revision before our changes (see {@link HelmMeshValues#chartDefaults}).
     */
    public Path writeChart(Path parent, ObjectNode defaultsFrom) throws IOException {
        String chartName = chart.path("metadata").path("name").asText();
        ClusterIdentityRules.validateName(chartName);
        Path dir = parent.resolve(chartName);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Chart.yaml"), YAML.writeValueAsString(chart.path("metadata")));
        ObjectNode values = chart.get("values") instanceof ObjectNode v ? v : JSON.createObjectNode();
        Files.writeString(
                dir.resolve("values.yaml"),
                YAML.writeValueAsString(HelmMeshValues.chartDefaults(values, defaultsFrom)));
        if (chart.path("schema").isTextual()) {
            Files.write(
                    dir.resolve("values.schema.json"),
                    Base64.getDecoder().decode(chart.path("schema").asText()));
        }
        for (String list : new String[] {"templates", "files"}) {
            for (JsonNode file : chart.path(list)) {
                Path target = dir.resolve(file.path("name").asText()).normalize();
                if (!target.startsWith(dir) || target.equals(dir)) {
                    throw new IOException(
                            "chart file outside the chart: " + file.path("name").asText());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, Base64.getDecoder().decode(file.path("data").asText("")));
            }
        }
        return dir;
    }
}
