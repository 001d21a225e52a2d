package io.clustermesh.controller.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes strategic merge patch ({@code application/strategic-merge-patch+json}) for the built-in
 * kinds the simulator holds. Helm updates objects with it; fabric8's mock knows only JSON and merge
 * patches. Maps merge key by key (null deletes); lists whose Kubernetes type names a patch merge key
 * (containers and volumes by name, container ports by containerPort, Service ports by port, ...)
 * merge element by element; every other list is replaced. The directives Helm's patches carry are
 * honoured: {@code $patch: replace|delete}, {@code $setElementOrder/<list>},
 * {@code $deleteFromPrimitiveList/<list>} and {@code $retainKeys}. An unknown directive is refused
 * (400), as the API server refuses it.
 */
final class StrategicMergePatch {
    /** Field name → merge key of the built-in types ({@code patchMergeKey} in k8s.io/api). */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"),
            Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"),
            Map.entry("resourceClaims", "name"),
            Map.entry("schedulingGates", "name"));

    private StrategicMergePatch() {}

    static JsonNode apply(JsonNode original, JsonNode patch) {
        if (!(patch instanceof ObjectNode patchObject)) {
            throw refused("a strategic merge patch is a JSON object");
        }
        ObjectNode target = original instanceof ObjectNode o ? o.deepCopy() : JsonNodeFactory.instance.objectNode();
        return mergeObject(target, patchObject);
    }

    private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch) {
        JsonNode directive = patch.get("$patch");
        if (directive != null) {
            if ("replace".equals(directive.asText())) {
                ObjectNode replaced = patch.deepCopy();
                replaced.remove("$patch");
                return replaced;
            }
            if (!"merge".equals(directive.asText())) {
                throw refused("unknown patch directive " + directive.asText());
            }
        }
        JsonNode retainKeys = patch.get("$retainKeys");
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("$patch") || name.equals("$retainKeys") || name.startsWith("$setElementOrder/")) {
                continue;
            }
            if (name.startsWith("$deleteFromPrimitiveList/")) {
                String list = name.substring("$deleteFromPrimitiveList/".length());
                if (target.get(list) instanceof ArrayNode items && value instanceof ArrayNode removed) {
                    for (int i = items.size() - 1; i >= 0; i--) {
                        if (contains(removed, items.get(i))) {
                            items.remove(i);
                        }
                    }
                }
                continue;
            }
            if (name.startsWith("$")) {
                throw refused("unknown patch directive " + name);
            }
            if (value.isNull()) {
                target.remove(name);
            } else if (value instanceof ObjectNode patchChild && target.get(name) instanceof ObjectNode targetChild) {
                target.set(name, mergeObject(targetChild, patchChild));
            } else if (value instanceof ObjectNode patchChild) {
                target.set(name, mergeObject(JsonNodeFactory.instance.objectNode(), patchChild));
            } else if (value instanceof ArrayNode patchList) {
                target.set(name, mergeList(name, target.get(name), patchList));
            } else {
                target.set(name, value);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().startsWith("$setElementOrder/")
                    && target.get(field.getKey().substring("$setElementOrder/".length())) instanceof ArrayNode list) {
                order(list, field.getValue());
            }
        }
        if (retainKeys instanceof ArrayNode keep) {
            List<String> drop = new ArrayList<>();
            target.fieldNames().forEachRemaining(n -> {
                if (!contains(keep, JsonNodeFactory.instance.textNode(n))) {
                    drop.add(n);
                }
            });
            target.remove(drop);
        }
        return target;
    }

    private static JsonNode mergeList(String name, JsonNode current, ArrayNode patch) {
        String key = mergeKey(name, patch);
        if (key == null || !(current instanceof ArrayNode currentList)) {
            ArrayNode replaced = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : patch) {
                if (!(item instanceof ObjectNode o && o.has("$patch"))) {
                    replaced.add(
                            item instanceof ObjectNode o
                                    ? mergeObject(JsonNodeFactory.instance.objectNode(), o)
                                    : item);
                }
            }
            return replaced;
        }
        ArrayNode merged = currentList.deepCopy();
        for (JsonNode item : patch) {
            if (!(item instanceof ObjectNode patchItem) || !patchItem.has(key)) {
                throw refused("element of " + name + " without its merge key " + key);
            }
            int at = indexOf(merged, key, patchItem.get(key));
            if (patchItem.has("$patch")
                    && "delete".equals(patchItem.get("$patch").asText())) {
                if (at >= 0) {
                    merged.remove(at);
                }
            } else if (at >= 0) {
                merged.set(at, mergeObject((ObjectNode) merged.get(at), patchItem));
            } else {
                merged.add(mergeObject(JsonNodeFactory.instance.objectNode(), patchItem));
            }
        }
        return merged;
    }

    /** Container ports merge by containerPort, Service ports by port: the same field name in two types. */
    private static String mergeKey(String name, ArrayNode patch) {
        if (name.equals("ports")) {
            for (JsonNode item : patch) {
                if (item.has("containerPort")) {
                    return "containerPort";
                }
                if (item.has("port")) {
                    return "port";
                }
            }
            return null;
        }
        return MERGE_KEYS.get(name);
    }

    private static void order(ArrayNode list, JsonNode order) {
        if (!(order instanceof ArrayNode wanted)
                || wanted.isEmpty()
                || !(wanted.get(0) instanceof ObjectNode first)
                || first.size() != 1) {
            return;
        }
        String key = first.fieldNames().next();
        List<JsonNode> sorted = new ArrayList<>();
        for (JsonNode entry : wanted) {
            int at = indexOf(list, key, entry.get(key));
            if (at >= 0) {
                sorted.add(list.get(at));
            }
        }
        for (JsonNode item : list) {
            if (!sorted.contains(item)) {
                sorted.add(item);
            }
        }
        list.removeAll();
        sorted.forEach(list::add);
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (value != null && value.equals(list.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode item : list) {
            if (item.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static RequestRefused refused(String message) {
        return new RequestRefused(400, "BadRequest", message);
    }
}
