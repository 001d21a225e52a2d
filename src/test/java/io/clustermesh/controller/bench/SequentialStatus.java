package io.clustermesh.controller.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.clustermesh.controller.cilium.CiliumNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same link status the service computes, done the way a sequential CLI does it: one cluster
 * after another, the same Kubernetes calls (Cilium config, the ClusterMesh secret, the agent
 * pods, each agent's metrics through the pod proxy), straight from the kubeconfigs.
 */
final class SequentialStatus {
    private static final Pattern SERVER = Pattern.compile("(?m)^\\s*server:\\s*(\\S+)");
    private static final Pattern TOKEN = Pattern.compile("(?m)^\\s*token:\\s*(\\S+)");
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private record Target(String name, String server, String token) {}

    private final List<Target> targets = new ArrayList<>();

    SequentialStatus(Path kubeconfigDir, List<String> clusters) throws IOException {
        for (String cluster : clusters) {
            String yaml = Files.readString(kubeconfigDir.resolve(cluster));
            targets.add(new Target(cluster, find(SERVER, yaml), find(TOKEN, yaml)));
        }
    }

    /** Wall milliseconds for one full pass; fails if any call fails (it only runs on a healthy mesh). */
    double run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        String ns = "/api/v1/namespaces/" + CiliumNames.DEFAULT_NAMESPACE;
        for (Target t : targets) {
            get(t, ns + "/configmaps/" + CiliumNames.CONFIG_MAP);
            String secretJson = get(t, ns + "/secrets/" + CiliumNames.CLUSTERMESH_SECRET, true);
            if (secretJson == null
                    || HttpJson.JSON.readTree(secretJson).path("data").size() == 0) {
                continue;
            }
            JsonNode pods = HttpJson.JSON.readTree(get(
                    t,
                    ns + "/pods?labelSelector=" + CiliumNames.AGENT_SELECTOR_KEY + "%3D"
                            + CiliumNames.AGENT_SELECTOR_VALUE));
            for (JsonNode pod : pods.path("items")) {
                get(
                        t,
                        ns + "/pods/" + pod.path("metadata").path("name").asText() + ":"
                                + CiliumNames.AGENT_METRICS_PORT + "/proxy/metrics");
            }
        }
        return (System.nanoTime() - started) / 1e6;
    }

    private static String get(Target t, String path) throws IOException, InterruptedException {
        return get(t, path, false);
    }

    /** The body, or null for a 404 when {@code absentIsFine} (a cluster with no remotes has no ClusterMesh secret). */
    private static String get(Target t, String path, boolean absentIsFine) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(
                HttpRequest.newBuilder(URI.create(t.server() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + t.token())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (absentIsFine && response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(t.name() + " " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static String find(Pattern pattern, String yaml) {
        Matcher m = pattern.matcher(yaml);
        if (!m.find()) {
            throw new IllegalStateException("kubeconfig without " + pattern);
        }
        return m.group(1).replace("\"", "");
    }
}
