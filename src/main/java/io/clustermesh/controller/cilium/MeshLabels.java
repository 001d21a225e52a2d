package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How our objects are marked, so that disable removes exactly what enable created and
 * disconnect removes exactly the Secret entries connect wrote (never someone else's).
 */
public final class MeshLabels {
    public static final String MANAGED_BY_KEY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "clustermesh-controller";
    public static final String PART_OF_KEY = "app.kubernetes.io/part-of";
    /** On cilium-clustermesh / cilium-kvstoremesh: comma-separated remote names whose entries we wrote. */
    public static final String WRITTEN_REMOTES = "clustermesh-controller.io/remotes";
    /** On the clustermesh-apiserver Deployment: comma-separated remotes whose hostAliases we wrote. */
    public static final String ALIASED_REMOTES = "clustermesh-controller.io/host-alias-remotes";

    private MeshLabels() {}

    public static Map<String, String> ours() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY_KEY, MANAGED_BY_VALUE);
        labels.put(PART_OF_KEY, "cilium");
        return labels;
    }

    public static boolean isOurs(ObjectMeta meta) {
        return meta != null
                && meta.getLabels() != null
                && MANAGED_BY_VALUE.equals(meta.getLabels().get(MANAGED_BY_KEY));
    }

    public static List<String> remotesIn(ObjectMeta meta, String annotation) {
        if (meta == null || meta.getAnnotations() == null) {
            return List.of();
        }
        String value = meta.getAnnotations().get(annotation);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList());
    }

    public static String join(java.util.Collection<String> remotes) {
        return String.join(",", new TreeSet<>(remotes));
    }
}
