package io.clustermesh.controller.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a request body asked for, short and without secrets: values under secret-sounding keys and
 * any long or key-like string are replaced by their length, so the audit never holds credentials.
 */
public record BodySummary(String text, List<String> clusters) {
    public static final BodySummary NONE = new BodySummary(null, List.of());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_KEY =
            Pattern.compile(".*(key|token|secret|password|credential|cert|auth|private).*");
    private static final int MAX_STRING = 64;
    private static final int MAX_TEXT = 512;

    public static BodySummary of(byte[] body) {
        if (body.length == 0) {
            return NONE;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            return new BodySummary("<" + body.length + " bytes, not JSON>", List.of());
        }
        if (tree == null) {
            return NONE;
        }
        String text = redact(tree, "").toString();
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT) + "…";
        }
        return new BodySummary(text, clustersIn(tree));
    }

    private static JsonNode redact(JsonNode node, String key) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), redact(e.getValue(), e.getKey())));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> copy.add(redact(item, key)));
            return copy;
        }
        if (node.isTextual()) {
            String value = node.asText();
            boolean secretKey = SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches();
            if (secretKey || value.length() > MAX_STRING || value.contains("PRIVATE")) {
                return TextNode.valueOf("<redacted, " + value.length() + " chars>");
            }
        }
        return node;
    }

    private static List<String> clustersIn(JsonNode tree) {
        List<String> names = new ArrayList<>();
        for (String field : List.of("clusters", "cluster")) {
            JsonNode value = tree.get(field);
            if (value != null && value.isArray()) {
                value.forEach(v -> names.add(shortText(v)));
            } else if (value != null && value.isValueNode()) {
                names.add(shortText(value));
            }
        }
        return names;
    }

    private static String shortText(JsonNode value) {
        String text = value.asText();
        return text.length() > MAX_STRING ? text.substring(0, MAX_STRING) + "…" : text;
    }
}
