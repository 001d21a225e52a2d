package io.clustermesh.controller.support;

import java.util.Map;
import java.util.TreeMap;

/** Request counts by kind (the simulator's method and path without object names): what a span of time asked for. */
public final class RequestKinds {
    private RequestKinds() {}

    /** The kinds whose count changed from {@code before} to {@code after}, with the change. */
    public static Map<String, Long> difference(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> diff = new TreeMap<>();
        after.forEach((kind, count) -> {
            long n = count - before.getOrDefault(kind, 0L);
            if (n != 0) {
                diff.put(kind, n);
            }
        });
        return diff;
    }
}
