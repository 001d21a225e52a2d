package io.clustermesh.controller.sim;

import io.clustermesh.controller.tailscale.TailscaleExposure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Tailscale Kubernetes operator of a simulated cluster, for Services (its {@code svc.go},
 * tailscale.md §11): an exposed Service (load-balancer class {@code tailscale}, or the expose
 * annotation) gets a tailnet device, its load-balancer status lists the MagicDNS name and the
 * tailnet IP as separate entries; an egress Service (tailnet-ip or tailnet-fqdn annotation) gets
 * its {@code externalName} pointed at the proxy's headless Service. Both get
 * {@code TailscaleProxyReady}. Services the operator refuses get {@code False / ProxyInvalid} with
 * its violations, and nothing else.
 *
 * <p>The simulated API server allocates no ClusterIPs; an exposed Service is treated as having an
 * IPv4 one. The operator's finalizer is not simulated.
 */
final class SimulatedTailscaleOperator {
    /** The simulated tailnet's MagicDNS suffix (as in the contract fixtures). */
    static final String TAILNET_SUFFIX = "tail4e2a9.ts.net";
    /** The operator's own namespace, where its proxies' headless Services live. */
    static final String OPERATOR_NAMESPACE = "tailscale";
    /** MagicDNS name → tailnet IP of every simulated ingress proxy (the tailnet's DNS). */
    private static final Map<String, String> DEVICES = new ConcurrentHashMap<>();

    private SimulatedTailscaleOperator() {}

    static void reconcile(KubernetesClient client, SimulatedClusterSpec spec) {
        for (Service s : client.services().inAnyNamespace().list().getItems()) {
            boolean ingress = TailscaleExposure.isExposed(s);
            boolean egress = TailscaleExposure.isEgress(s);
            if (!ingress && !egress) {
                continue;
            }
            List<String> violations = violations(s);
            if (!violations.isEmpty()) {
                setStatus(
                        client,
                        s,
                        status(
                                s,
                                null,
                                condition(
                                        s,
                                        "False",
                                        TailscaleExposure.REASON_INVALID,
                                        "unable to provision proxy resources: invalid Service: "
                                                + String.join(", ", violations))));
                continue;
            }
            String hostname = TailscaleExposure.hostname(s);
            if (egress && !ingress) {
                String proxy = "ts-" + s.getMetadata().getName() + "-" + suffix(s) + "." + OPERATOR_NAMESPACE
                        + ".svc.cluster.local";
                if (!proxy.equals(s.getSpec().getExternalName())
                        || !"ExternalName".equals(s.getSpec().getType())) {
                    client.services()
                            .inNamespace(s.getMetadata().getNamespace())
                            .withName(s.getMetadata().getName())
                            .edit(current -> {
                                current.getSpec().setExternalName(proxy);
                                current.getSpec().setType("ExternalName");
                                current.getSpec().setSelector(null);
                                return current;
                            });
                    s = client.services()
                            .inNamespace(s.getMetadata().getNamespace())
                            .withName(s.getMetadata().getName())
                            .get();
                }
                setStatus(
                        client,
                        s,
                        status(
                                s,
                                null,
                                condition(
                                        s,
                                        "True",
                                        TailscaleExposure.REASON_CREATED,
                                        TailscaleExposure.REASON_CREATED)));
                continue;
            }
            String fqdn = hostname + "." + TAILNET_SUFFIX;
            String ip = "100.90." + (spec.clusterId() % 256) + "."
                    + (1
                            + Math.floorMod(
                                    Objects.hash(
                                            s.getMetadata().getNamespace(),
                                            s.getMetadata().getName()),
                                    250));
            DEVICES.put(fqdn, ip);
            boolean loadBalancer = "LoadBalancer".equals(s.getSpec().getType());
            setStatus(
                    client,
                    s,
                    status(
                            s,
                            loadBalancer ? List.of(fqdn, ip) : null,
                            condition(s, "True", TailscaleExposure.REASON_CREATED, TailscaleExposure.REASON_CREATED)));
        }
    }

    /** The tailnet IP behind a MagicDNS name (with or without the final dot), as MagicDNS answers. */
    static Optional<String> resolve(String fqdn) {
        return Optional.ofNullable(DEVICES.get(fqdn.endsWith(".") ? fqdn.substring(0, fqdn.length() - 1) : fqdn));
    }

    /** Tailnet addresses (CGNAT 100.64.0.0/10): reachable from a pod only through an egress proxy. */
    static boolean isTailnetAddress(String host) {
        String[] parts = host.split("\\.");
        if (parts.length != 4 || !parts[0].equals("100")) {
            return false;
        }
        try {
            int second = Integer.parseInt(parts[1]);
            return second >= 64 && second <= 127;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** What the operator's {@code validateService} refuses, in its words. */
    private static List<String> violations(Service s) {
        List<String> violations = new ArrayList<>();
        Map<String, String> annotations = s.getMetadata().getAnnotations() == null
                ? Map.of()
                : s.getMetadata().getAnnotations();
        if ("None".equals(s.getSpec().getClusterIP())) {
            violations.add("headless Services are not supported.");
        }
        String fqdn = annotations.get(TailscaleExposure.TAILNET_FQDN_ANNOTATION);
        String ip = annotations.get(TailscaleExposure.TAILNET_IP_ANNOTATION);
        if (fqdn != null && !fqdn.isEmpty() && ip != null && !ip.isEmpty()) {
            violations.add("only one of annotations " + TailscaleExposure.TAILNET_IP_ANNOTATION + " and "
                    + TailscaleExposure.TAILNET_FQDN_ANNOTATION + " can be set");
        }
        if (fqdn != null && !fqdn.isEmpty() && !TailscaleExposure.isMagicDnsName(fqdn)) {
            violations.add("invalid value of annotation " + TailscaleExposure.TAILNET_FQDN_ANNOTATION + ": \"" + fqdn
                    + "\" does not appear to be a valid MagicDNS name");
        }
        if (ip != null && !ip.isEmpty() && !isIpLiteral(ip)) {
            violations.add("invalid value of annotation " + TailscaleExposure.TAILNET_IP_ANNOTATION + ": \"" + ip
                    + "\" could not be parsed as a valid IP Address");
        }
        String hostname = TailscaleExposure.hostname(s);
        if (!TailscaleExposure.isDnsLabel(hostname)) {
            violations.add("invalid Tailscale hostname \"" + hostname + "\"");
        }
        return violations;
    }

    private static boolean isIpLiteral(String value) {
        if (!value.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(value);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String suffix(Service s) {
        String uid = s.getMetadata().getUid() == null
                ? Integer.toHexString(s.getMetadata().getName().hashCode())
                : s.getMetadata().getUid();
        return (uid.replaceAll("[^a-z0-9]", "") + "xxxxx").substring(0, 5);
    }

    private static Condition condition(Service s, String status, String reason, String message) {
        Condition previous = TailscaleExposure.proxyReady(s).orElse(null);
        String since = previous != null && status.equals(previous.getStatus())
                ? previous.getLastTransitionTime()
                : Instant.now().toString();
        return new ConditionBuilder()
                .withType(TailscaleExposure.PROXY_READY_CONDITION)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime(since)
                .withObservedGeneration(s.getMetadata().getGeneration())
                .build();
    }

    /** @param ingress hostname and IP entries of the load-balancer status, or null to leave it as it is */
    private static ServiceStatus status(Service s, List<String> ingress, Condition condition) {
        ServiceStatus status = s.getStatus() == null ? new ServiceStatus() : s.getStatus();
        ServiceStatus next = new ServiceStatus(
                new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions()),
                status.getLoadBalancer());
        next.getConditions().removeIf(c -> TailscaleExposure.PROXY_READY_CONDITION.equals(c.getType()));
        next.getConditions().add(condition);
        if (ingress != null) {
            next.setLoadBalancer(new io.fabric8.kubernetes.api.model.LoadBalancerStatus(List.of(
                    new LoadBalancerIngressBuilder()
                            .withHostname(ingress.get(0))
                            .build(),
                    new LoadBalancerIngressBuilder().withIp(ingress.get(1)).build())));
        }
        return next;
    }

    private static void setStatus(KubernetesClient client, Service s, ServiceStatus next) {
        if (next.equals(s.getStatus())) {
            return;
        }
        client.services()
                .inNamespace(s.getMetadata().getNamespace())
                .withName(s.getMetadata().getName())
                .editStatus(current -> {
                    current.setStatus(next);
                    return current;
                });
    }
}
