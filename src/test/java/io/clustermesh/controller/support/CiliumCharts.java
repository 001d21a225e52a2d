package io.clustermesh.controller.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cilium's own chart packages (../shared/charts), rendered with real Helm (helm-java). They are the
 * oracle for what a real cluster runs: tests compare what we write with what these render.
 * {@code -Dmesh.cilium-charts=DIR} or env {@code MESH_CILIUM_CHARTS} points elsewhere.
 */
public final class CiliumCharts {
    /** Every chart package we support and test against, oldest first. */
    public static final List<String> VERSIONS = List.of("1.15.0", "1.15.19", "1.16.19", "1.17.17", "1.18.11", "1.19.5");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CiliumCharts() {}

    public static Path directory() {
        String configured = System.getProperty("mesh.cilium-charts", System.getenv("MESH_CILIUM_CHARTS"));
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "shared", "charts");
        return dir.toAbsolutePath().normalize();
    }

    public static Path chart(String version) {
        Path chart = directory().resolve("cilium-" + version + ".tgz");
        if (!Files.isRegularFile(chart)) {
            // Never a skip: without the oracle these tests would prove nothing.
            throw new IllegalStateException(
                    "Cilium chart " + chart + " not found; tests need ../shared/charts (or -Dmesh.cilium-charts)");
        }
        return chart;
    }

    /**
     * {@code helm template cilium <chart> -n kube-system --kube-version 1.31.0 --set ...}, with the
     * certificate methods that ask no cluster (cronJob), parsed into one JSON tree per object.
     */
    public static List<ObjectNode> render(String version, Map<String, String> values) {
        return render(version, List.of(), values);
    }

    /** As {@code helm template ... -f FILE... --set ...}: values files first, then the --set values. */
    public static List<ObjectNode> render(String version, List<Path> valuesFiles, Map<String, String> values) {
        var template = new Helm(chart(version))
                .template()
                .withKubeVersion("1.31.0")
                .withName("cilium")
                .withNamespace("kube-system")
                .set("hubble.tls.auto.method", "cronJob")
                .set("clustermesh.apiserver.tls.auto.method", "cronJob");
        valuesFiles.forEach(template::withValuesFile);
        values.forEach(template::set);
        return parse(template.call());
    }

    /** A rendered manifest, one JSON tree per object. */
    public static List<ObjectNode> parse(String manifest) {
        List<ObjectNode> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifest)) {
            var documents = YAML.readValues(parser, JsonNode.class);
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document instanceof ObjectNode object && object.hasNonNull("kind")) {
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot parse the rendered chart", e);
        }
        return objects;
    }

    /** Values builder that keeps insertion order (Helm applies --set in order). */
    public static Map<String, String> values(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return values;
    }
}
