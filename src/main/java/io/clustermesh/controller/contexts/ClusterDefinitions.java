package io.clustermesh.controller.contexts;

import io.clustermesh.controller.config.MeshConfig;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.NamedExtension;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Turns merged kubeconfig contexts into the clusters the service manages. */
final class ClusterDefinitions {

    private static final String SIMULATED_EXTENSION = ManagedCluster.SIMULATED_EXTENSION;

    /** Cluster names appear in URLs and Kubernetes object names: one DNS-1123 label. */
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    record Result(Map<String, ClusterDefinition> clusters, List<SourceError> errors) {}

    private ClusterDefinitions() {}

    static boolean isValidClusterName(String name) {
        return name != null && DNS_LABEL.matcher(name).matches();
    }

    static Result resolve(KubeconfigMerger.Merged merged, Map<String, MeshConfig.ClusterSettings> settings) {
        List<SourceError> errors = new ArrayList<>(merged.errors());
        Map<String, String> aliasByContext = new HashMap<>();
        settings.forEach((name, s) -> aliasByContext.put(s.context().orElse(name), name));

        Map<String, ClusterDefinition> clusters = new LinkedHashMap<>();
        for (var entry : merged.contexts().entrySet()) {
            String contextName = entry.getKey();
            String name = aliasByContext.getOrDefault(contextName, contextName);
            var origin = entry.getValue();
            String source = origin.file().toString();
            if (!isValidClusterName(name)) {
                errors.add(new SourceError(
                        source,
                        contextName,
                        "context name is not a DNS-1123 label; give it one with mesh.clusters.<name>.context="
                                + contextName));
                continue;
            }
            NamedContext context = origin.value();
            var cluster = merged.clusters().get(context.getContext().getCluster());
            if (cluster == null) {
                errors.add(new SourceError(
                        source,
                        contextName,
                        "context refers to cluster '" + context.getContext().getCluster()
                                + "' which no kubeconfig defines"));
                continue;
            }
            String userName = context.getContext().getUser();
            var user = userName == null ? null : merged.users().get(userName);
            if (userName != null && user == null) {
                errors.add(new SourceError(
                        source, contextName, "context refers to user '" + userName + "' which no kubeconfig defines"));
                continue;
            }
            String kubeconfig = singleContextKubeconfig(context, cluster.value(), user == null ? null : user.value());
            Map<String, Object> reachability = extension(cluster.value(), ManagedCluster.REACHABILITY_EXTENSION);
            boolean simulated = isSimulated(cluster.value());
            clusters.put(
                    name,
                    new ClusterDefinition(
                            name,
                            contextName,
                            cluster.value().getCluster().getServer(),
                            simulated,
                            simulated
                                    ? stringOrNull(extension(cluster.value(), SIMULATED_EXTENSION)
                                            .get("network"))
                                    : null,
                            stringOrNull(reachability.get("mode")),
                            stringOrNull(reachability.get("endpoint")),
                            kubeconfig,
                            origin.file(),
                            KubeconfigFile.sha256(kubeconfig)));
        }
        settings.keySet().stream()
                .filter(name -> !clusters.containsKey(name))
                .forEach(name -> errors.add(new SourceError(
                        "mesh.clusters." + name,
                        settings.get(name).context().orElse(name),
                        "configured cluster has no matching kubeconfig context")));
        return new Result(clusters, errors);
    }

    /** A kubeconfig extension's value as a map (empty when absent or not an object). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> extension(NamedCluster cluster, String name) {
        List<NamedExtension> extensions = cluster.getCluster().getExtensions();
        if (extensions == null) {
            return Map.of();
        }
        return extensions.stream()
                .filter(e -> name.equals(e.getName()))
                .findFirst()
                .map(e -> Serialization.jsonMapper().convertValue(e.getExtension(), Map.class))
                .map(m -> (Map<String, Object>) m)
                .orElse(Map.of());
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : value.toString();
    }

    private static boolean isSimulated(NamedCluster cluster) {
        List<NamedExtension> extensions = cluster.getCluster().getExtensions();
        return extensions != null && extensions.stream().anyMatch(e -> SIMULATED_EXTENSION.equals(e.getName()));
    }

    private static String singleContextKubeconfig(NamedContext context, NamedCluster cluster, NamedAuthInfo user) {
        ConfigBuilder builder = new ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .withCurrentContext(context.getName())
                .withContexts(context)
                .withClusters(cluster);
        if (user != null) {
            builder.withUsers(user);
        }
        Config config = builder.build();
        return Serialization.asYaml(config);
    }
}
