package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copies of ../shared/contracts/fixtures/cilium, read from the test classpath. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Fixtures() {}

    static String text(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/cilium/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String name) {
        return readJson(text(name));
    }

    static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All documents of a (possibly multi-document) YAML fixture. */
    static List<JsonNode> yamlDocuments(String name) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readerFor(JsonNode.class).readValues(text(name)).forEachRemaining(d -> docs.add((JsonNode) d));
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string map ({@code data} / {@code stringData}) of the document whose metadata.name is given. */
    static Map<String, String> stringMap(String fixture, String objectName, String field) {
        for (JsonNode doc : yamlDocuments(fixture)) {
            if (objectName.equals(doc.path("metadata").path("name").asText())) {
                Map<String, String> map = new LinkedHashMap<>();
                doc.path(field)
                        .fields()
                        .forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
                return map;
            }
        }
        throw new IllegalArgumentException(objectName + " not in " + fixture);
    }

    static CiliumConfig ciliumConfig(String fixture) {
        return CiliumConfig.fromData(stringMap(fixture, "cilium-config", "data"));
    }
}
