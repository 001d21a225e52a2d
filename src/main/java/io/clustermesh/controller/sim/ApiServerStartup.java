package io.clustermesh.controller.sim;

import io.clustermesh.controller.cilium.CiliumVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What happens when kubelet starts the clustermesh-apiserver pod's containers: env is resolved
 * (a missing ConfigMap key stops the container before it runs), {@code $(VAR)} references in
 * command and args are expanded from that env (unknown ones stay literal, as kubelet leaves them),
 * and the {@code clustermesh-apiserver} binary of the image's Cilium version parses its argv
 * ({@link CiliumCommandLines}) and validates its cluster identity as
 * {@code pkg/clustermesh/types} does (InitClusterIDMax, ValidateStrict): each argv element is ONE
 * flag, so the cluster-name and cluster-id flags joined into one element give a cluster name with
 * a space in it and an id of 0. The etcd container's flags are not checked.
 */
final class ApiServerStartup {
    static final String CRASH_LOOP = "CrashLoopBackOff";
    static final String CONFIG_ERROR = "CreateContainerConfigError";
    private static final Pattern CLUSTER_NAME = Pattern.compile("^([a-z0-9][-a-z0-9]*)?[a-z0-9]$");
    private static final int CLUSTER_NAME_MAX = 32;

    /** Why one container does not run: its waiting reason, and what it wrote before exiting (or kubelet's message). */
    record ContainerFailure(String container, boolean init, String waitingReason, String output, int exitCode) {}

    /** The pod as kubelet knows it when starting containers (for fieldRef env). */
    record PodFacts(String namespace, String name, String uid, String podIp, String nodeName) {}

    private ApiServerStartup() {}

    /** The containers that fail to start; an init container that fails keeps the others from starting at all. */
    static List<ContainerFailure> failures(PodSpec spec, PodFacts pod, Function<String, ConfigMap> configMaps) {
        for (Container init : spec.getInitContainers() == null ? List.<Container>of() : spec.getInitContainers()) {
            ContainerFailure failure = start(init, true, pod, configMaps);
            if (failure != null) {
                return List.of(failure);
            }
        }
        List<ContainerFailure> failures = new ArrayList<>();
        for (Container container : spec.getContainers()) {
            ContainerFailure failure = start(container, false, pod, configMaps);
            if (failure != null) {
                failures.add(failure);
            }
        }
        return failures;
    }

    private static ContainerFailure start(
            Container container, boolean init, PodFacts pod, Function<String, ConfigMap> configMaps) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            String problem = resolve(var, env, pod, configMaps);
            if (problem != null) {
                return new ContainerFailure(container.getName(), init, CONFIG_ERROR, problem, 0);
            }
        }
        List<String> argv = new ArrayList<>();
        (container.getCommand() == null ? List.<String>of() : container.getCommand())
                .forEach(a -> argv.add(expand(a, env)));
        (container.getArgs() == null ? List.<String>of() : container.getArgs()).forEach(a -> argv.add(expand(a, env)));
        if (argv.isEmpty() || !argv.get(0).equals(CiliumCommandLines.APISERVER_BINARY)) {
            return null;
        }
        CiliumVersion version = versionOf(container.getImage());
        var binary = version == null
                ? java.util.Optional.<CobraCommand>empty()
                : CiliumCommandLines.clustermeshApiserver(version);
        if (binary.isEmpty()) {
            return new ContainerFailure(
                    container.getName(),
                    init,
                    CRASH_LOOP,
                    SimulatedAgentExec.NOT_SIMULATED + "no clustermesh-apiserver command line for image "
                            + container.getImage() + "\n",
                    1);
        }
        CobraCommand.Outcome outcome = binary.get().execute(argv.subList(1, argv.size()));
        if (outcome instanceof CobraCommand.Rejected rejected) {
            return new ContainerFailure(
                    container.getName(), init, CRASH_LOOP, rejected.stderr() + rejected.stdout(), rejected.exitCode());
        }
        CobraCommand.Invoked invoked = (CobraCommand.Invoked) outcome;
        String subcommand = invoked.path().isEmpty() ? "" : invoked.path().get(0);
        if (subcommand.equals("clustermesh") || subcommand.equals("kvstoremesh")) {
            String invalid = clusterInfoProblem(invoked);
            if (invalid != null) {
                return new ContainerFailure(container.getName(), init, CRASH_LOOP, invalid + "\n", 1);
            }
        }
        return null;
    }

    /** pkg/clustermesh/types: InitClusterIDMax, then ValidateStrict (id, then name). Defaults: id 0, name "default", 255. */
    static String clusterInfoProblem(CobraCommand.Invoked invoked) {
        long max = number(invoked.last("max-connected-clusters"), 255);
        if (max != 255 && max != 511) {
            return "--max-connected-clusters=" + max + " is invalid; supported values are [255, 511]";
        }
        long id = number(invoked.last("cluster-id"), 0);
        if (id == 0) {
            return "ClusterID 0 is reserved";
        }
        if (id > max) {
            return "ClusterID > " + max + " is not supported";
        }
        String name = invoked.has("cluster-name") ? invoked.last("cluster-name") : "default";
        if (name.isEmpty()) {
            return "invalid cluster name: must not be empty";
        }
        if (name.length() > CLUSTER_NAME_MAX) {
            return "invalid cluster name: must not be more than " + CLUSTER_NAME_MAX + " characters";
        }
        if (!CLUSTER_NAME.matcher(name).matches()) {
            return "invalid cluster name: must consist of lower case alphanumeric characters and '-', and must start and end with an alphanumeric character";
        }
        if (name.equals("default")) {
            return "cannot use default cluster name (default) with option cluster-id";
        }
        return null;
    }

    private static long number(String value, long fallback) {
        return value == null ? fallback : Long.decode(value.replace("_", ""));
    }

    /** kubelet's env resolution; null when the variable resolved (or is left out, for sources not simulated). */
    private static String resolve(
            EnvVar var, Map<String, String> env, PodFacts pod, Function<String, ConfigMap> configMaps) {
        if (var.getValueFrom() == null) {
            env.put(var.getName(), expand(var.getValue() == null ? "" : var.getValue(), env));
            return null;
        }
        var ref = var.getValueFrom().getConfigMapKeyRef();
        if (ref != null) {
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            ConfigMap map = configMaps.apply(ref.getName());
            String value =
                    map == null || map.getData() == null ? null : map.getData().get(ref.getKey());
            if (map == null && !optional) {
                return "configmap \"" + ref.getName() + "\" not found";
            }
            if (value == null && !optional) {
                return "couldn't find key " + ref.getKey() + " in ConfigMap " + pod.namespace() + "/" + ref.getName();
            }
            if (value != null) {
                env.put(var.getName(), value);
            }
            return null;
        }
        var field = var.getValueFrom().getFieldRef();
        if (field != null) {
            String value = switch (field.getFieldPath()) {
                case "metadata.name" -> pod.name();
                case "metadata.namespace" -> pod.namespace();
                case "metadata.uid" -> pod.uid();
                case "status.podIP" -> pod.podIp();
                case "spec.nodeName" -> pod.nodeName();
                default -> null;
            };
            if (value != null) {
                env.put(var.getName(), value);
            }
        }
        return null;
    }

    /** Kubernetes' $(VAR) expansion: defined names are replaced, $$ escapes, anything else stays as written. */
    static String expand(String text, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '(') {
                int close = text.indexOf(')', i + 2);
                String name = close < 0 ? null : text.substring(i + 2, close);
                if (name != null && env.containsKey(name)) {
                    out.append(env.get(name));
                    i = close + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The Cilium version in an image reference such as {@code quay.io/cilium/clustermesh-apiserver:v1.18.11@sha256:…}. */
    static CiliumVersion versionOf(String image) {
        if (image == null) {
            return null;
        }
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = ref.lastIndexOf(':');
        if (colon < 0 || colon < ref.lastIndexOf('/')) {
            return null;
        }
        try {
            return CiliumVersion.parse(ref.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
