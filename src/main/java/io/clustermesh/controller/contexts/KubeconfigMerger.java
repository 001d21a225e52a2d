package io.clustermesh.controller.contexts;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges kubeconfig files with kubectl's rule for {@code KUBECONFIG} lists: the first file that
 * defines a context, cluster or user name wins; later definitions of the same name are ignored.
 * Unlike kubectl, a broken file does not stop the merge: it becomes an error next to the others.
 */
final class KubeconfigMerger {

    record Merged(
            Map<String, Origin<NamedContext>> contexts,
            Map<String, Origin<NamedCluster>> clusters,
            Map<String, Origin<NamedAuthInfo>> users,
            List<SourceError> errors) {}

    record Origin<T>(T value, Path file) {}

    private KubeconfigMerger() {}

    static Merged merge(List<KubeconfigFile> files, List<SourceError> readErrors) {
        Map<String, Origin<NamedContext>> contexts = new LinkedHashMap<>();
        Map<String, Origin<NamedCluster>> clusters = new LinkedHashMap<>();
        Map<String, Origin<NamedAuthInfo>> users = new LinkedHashMap<>();
        List<SourceError> errors = new ArrayList<>(readErrors);
        for (KubeconfigFile file : files) {
            Config parsed;
            try {
                parsed = parse(file);
            } catch (InvalidKubeconfig e) {
                errors.add(new SourceError(file.path().toString(), null, e.getMessage()));
                continue;
            }
            for (NamedContext context : nullSafe(parsed.getContexts())) {
                if (context.getName() == null || context.getContext() == null) {
                    errors.add(new SourceError(
                            file.path().toString(), context.getName(), "context entry without a name or body"));
                    continue;
                }
                Origin<NamedContext> previous =
                        contexts.putIfAbsent(context.getName(), new Origin<>(context, file.path()));
                if (previous != null && !previous.file().equals(file.path())) {
                    errors.add(new SourceError(
                            file.path().toString(),
                            context.getName(),
                            "context '" + context.getName() + "' is also defined in " + previous.file()
                                    + "; the first definition is used"));
                }
            }
            for (NamedCluster cluster : nullSafe(parsed.getClusters())) {
                if (cluster.getName() != null) {
                    clusters.putIfAbsent(cluster.getName(), new Origin<>(cluster, file.path()));
                }
            }
            for (NamedAuthInfo user : nullSafe(parsed.getUsers())) {
                if (user.getName() != null) {
                    users.putIfAbsent(user.getName(), new Origin<>(user, file.path()));
                }
            }
        }
        return new Merged(contexts, clusters, users, errors);
    }

    private static Config parse(KubeconfigFile file) throws InvalidKubeconfig {
        if (file.content().isBlank()) {
            throw new InvalidKubeconfig("file is empty");
        }
        try {
            Config config = KubeConfigUtils.parseConfigFromString(file.content());
            if (config == null
                    || (nullSafe(config.getContexts()).isEmpty()
                            && nullSafe(config.getClusters()).isEmpty()
                            && nullSafe(config.getUsers()).isEmpty())) {
                throw new InvalidKubeconfig("not a kubeconfig: no contexts, clusters or users");
            }
            return config;
        } catch (InvalidKubeconfig e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidKubeconfig("not a valid kubeconfig" + locationOf(e));
        }
    }

    /** Only the position of a YAML error: the parser's own message may quote a secret. */
    private static String locationOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
                JsonLocation at = jpe.getLocation();
                return " (YAML error at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            }
        }
        return "";
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    static final class InvalidKubeconfig extends Exception {
        InvalidKubeconfig(String message) {
            super(message);
        }
    }
}
