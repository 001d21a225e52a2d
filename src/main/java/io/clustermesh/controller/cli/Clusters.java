package io.clustermesh.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * cilium-cli names clusters by kubeconfig context; the service names them by cluster name, which
 * is the context unless {@code mesh.clusters.<name>.context} says otherwise. A context maps to
 * the cluster using it, else to the cluster of that name.
 */
final class Clusters {
    private Clusters() {}

    static String resolve(ServiceClient client, String context) {
        JsonNode clusters =
                ServiceClient.expectOk(client.get("api/v1/clusters")).body().path("clusters");
        List<String> known = new ArrayList<>();
        String byName = null;
        for (JsonNode cluster : clusters) {
            String name = cluster.path("name").asText();
            known.add(name);
            if (context.equals(cluster.path("context").asText(null))) {
                return name;
            }
            if (context.equals(name)) {
                byName = name;
            }
        }
        if (byName != null) {
            return byName;
        }
        throw new CliFailure(
                CliFailure.FAILED, "no cluster with context or name '" + context + "'; the service manages " + known);
    }

    static String path(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
