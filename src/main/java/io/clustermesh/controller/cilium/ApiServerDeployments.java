package io.clustermesh.controller.cilium;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What a clustermesh-apiserver Deployment, ours or the chart's, says about how it runs. */
public final class ApiServerDeployments {
    private static final String PROMETHEUS_FLAG = "--prometheus-serve-addr=";

    private ApiServerDeployments() {}

    /** cilium-cli's rule (contract §7.1 step 4): KVStoreMesh is on when the Deployment has its container. */
    public static Optional<Container> kvstoremesh(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> CiliumNames.KVSTOREMESH_CONTAINER.equals(c.getName()))
                .findFirst();
    }

    /** The kvstoremesh metrics port, when the container was started with {@code --prometheus-serve-addr=:PORT}. */
    public static Optional<Integer> metricsPort(Container c) {
        List<String> args = new ArrayList<>();
        if (c.getCommand() != null) {
            args.addAll(c.getCommand());
        }
        if (c.getArgs() != null) {
            args.addAll(c.getArgs());
        }
        for (String arg : args) {
            for (String word : arg.split("\\s+")) {
                if (word.startsWith(PROMETHEUS_FLAG)) {
                    String addr = word.substring(PROMETHEUS_FLAG.length());
                    try {
                        return Optional.of(Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1)));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The pod template's host aliases (connect adds one per remote dialled by IP, §5.3). */
    public static List<HostAlias> hostAliases(Deployment d) {
        return Optional.ofNullable(d.getSpec().getTemplate().getSpec().getHostAliases())
                .orElse(List.of());
    }
}
