package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a Helm-mode change would do, from the same values the real run uses: the values diff (YAML:
 * each changed path with its new value, and the removed paths) and the object-level diff between the
 * release's current manifest and the newly rendered one ({@code Kind namespace/name} added, removed, changed).
 */
public record HelmDryRun(String valuesDiff, List<String> added, List<String> removed, List<String> changed) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    public static HelmDryRun of(
            ObjectNode currentValues, ObjectNode newValues, String currentManifest, String newManifest) {
        Map<String, Object> set = new LinkedHashMap<>();
        List<String> unset = new ArrayList<>();
        diffValues("", currentValues, newValues, set, unset);
        Map<String, Object> diff = new LinkedHashMap<>();
        if (!set.isEmpty()) {
            diff.put("set", set);
        }
        if (!unset.isEmpty()) {
            diff.put("removed", unset);
        }
        Map<String, JsonNode> before = objects(currentManifest);
        Map<String, JsonNode> after = objects(newManifest);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String key : new TreeSet<>(after.keySet())) {
            if (!before.containsKey(key)) {
                added.add(key);
            } else if (!before.get(key).equals(after.get(key))) {
                changed.add(key);
            }
        }
        for (String key : new TreeSet<>(before.keySet())) {
            if (!after.containsKey(key)) {
                removed.add(key);
            }
        }
        try {
            return new HelmDryRun(diff.isEmpty() ? "" : YAML.writeValueAsString(diff), added, removed, changed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void diffValues(
            String prefix, JsonNode before, JsonNode after, Map<String, Object> set, List<String> unset) {
        for (Iterator<String> names = after.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode old = before == null ? null : before.get(name);
            JsonNode now = after.get(name);
            if (now.isObject() && !now.isEmpty() && (old == null || old.isObject())) {
                diffValues(prefix + name + ".", old, now, set, unset);
            } else if (!now.equals(old)) {
                // CA material is given to the chart, never shown.
                set.put(prefix + name, (prefix + name).startsWith("tls.ca.") ? "(mesh CA, not shown)" : now);
            }
        }
        if (before != null) {
            for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!after.has(name)) {
                    unset.add(prefix + name);
                }
            }
        }
    }

    /** {@code Kind namespace/name} → object, for every document of a rendered manifest. */
    public static Map<String, JsonNode> objects(String manifest) {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        if (manifest == null || manifest.isBlank()) {
            return objects;
        }
        try (YAMLParser parser = new YAMLFactory().createParser(manifest)) {
            var documents = YAML.readValues(parser, JsonNode.class);
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.hasNonNull("kind")) {
                    String namespace =
                            document.path("metadata").path("namespace").asText("");
                    objects.put(
                            document.get("kind").asText() + " " + (namespace.isEmpty() ? "" : namespace + "/")
                                    + document.path("metadata").path("name").asText(),
                            document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse a rendered manifest", e);
        }
        return objects;
    }
}
