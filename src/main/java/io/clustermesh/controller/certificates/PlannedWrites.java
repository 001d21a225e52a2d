package io.clustermesh.controller.certificates;

import io.clustermesh.controller.cilium.ApiServerObjects;
import io.clustermesh.controller.operations.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the plan has written so far to each Secret: a later phase writes on top of an earlier
 * one (its new trust and the certificates of phase 2), never back to what was read.
 */
final class PlannedWrites {
    static String key(String cluster, HasMetadata object) {
        return cluster + "/" + object.getKind() + "/" + object.getMetadata().getName();
    }

    private final Map<String, Secret> secrets = new LinkedHashMap<>();

    void change(
            String cluster, Secret read, Map<String, String> plain, String summary, Map<String, Step.Write> writes) {
        String key = key(cluster, read);
        Secret next = Serialization.clone(secrets.getOrDefault(key, read));
        Map<String, String> data = new LinkedHashMap<>(next.getData() == null ? Map.of() : next.getData());
        plain.forEach((k, v) -> data.put(k, ApiServerObjects.b64(v)));
        next.setData(data);
        secrets.put(key, next);
        Step.Write earlier = writes.get(key);
        String merged = earlier == null ? summary : earlier.summary() + "; " + summary;
        writes.put(key, new Step.Write(cluster, Serialization.clone(next), true, merged));
    }

    /** What the plan has written so far, kept as it is now: a phase compares with it to see what it changed. */
    PlannedWrites copy() {
        // change() replaces a Secret, never alters one in place, so sharing them is safe.
        PlannedWrites copy = new PlannedWrites();
        copy.secrets.putAll(secrets);
        return copy;
    }

    /** The Secret as the plan leaves it so far (as read when the plan does not write it). */
    Secret secret(String cluster, Secret read) {
        return secrets.getOrDefault(key(cluster, read), read);
    }
}
