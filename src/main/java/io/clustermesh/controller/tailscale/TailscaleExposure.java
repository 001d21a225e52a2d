package io.clustermesh.controller.tailscale;

import io.clustermesh.controller.cilium.CiliumNames;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a Service is exposed on the tailnet by the Tailscale Kubernetes operator, and where its
 * tailnet address shows (contract §11). The only place these operator names are spelled.
 */
public final class TailscaleExposure {
    public static final String LOAD_BALANCER_CLASS = "tailscale";
    public static final String EXPOSE_ANNOTATION = "tailscale.com/expose";
    public static final String HOSTNAME_ANNOTATION = "tailscale.com/hostname";
    public static final String PROXY_READY_CONDITION = "TailscaleProxyReady";
    /** Egress: the tailnet target of an ExternalName Service, one of the two (operator {@code validateService}). */
    public static final String TAILNET_IP_ANNOTATION = "tailscale.com/tailnet-ip";

    public static final String TAILNET_FQDN_ANNOTATION = "tailscale.com/tailnet-fqdn";
    /** The operator overwrites {@code spec.externalName} with its proxy's headless Service; any value will do until then. */
    public static final String EXTERNAL_NAME_PLACEHOLDER = "placeholder";
    /** Reasons of {@link #PROXY_READY_CONDITION} (operator {@code svc.go}). */
    public static final String REASON_CREATED = "ProxyCreated";

    public static final String REASON_INVALID = "ProxyInvalid";
    public static final String REASON_PENDING = "ProxyPending";
    public static final String REASON_FAILED = "ProxyFailed";

    /** The operator's test of a tailnet-fqdn value: {@code <host>.<tailnet>.ts.net}, optional final dot. */
    private static final Pattern MAGIC_DNS_NAME = Pattern.compile("^[a-zA-Z0-9-]+\\.[a-zA-Z0-9-]+\\.ts\\.net\\.?$");

    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    private TailscaleExposure() {}

    /** LoadBalancer with class {@code tailscale}, or the {@code tailscale.com/expose: "true"} annotation. */
    public static boolean isExposed(Service service) {
        if (service == null || service.getSpec() == null) {
            return false;
        }
        boolean loadBalancer = "LoadBalancer".equals(service.getSpec().getType())
                && LOAD_BALANCER_CLASS.equals(service.getSpec().getLoadBalancerClass());
        Map<String, String> annotations =
                service.getMetadata() == null ? null : service.getMetadata().getAnnotations();
        return loadBalancer || (annotations != null && "true".equals(annotations.get(EXPOSE_ANNOTATION)));
    }

    /**
     * The tailnet IP from {@code status.loadBalancer.ingress} (IP entries are separate from the
     * hostname entry, §11). The annotation form has no load-balancer status: empty, and the
     * caller looks the device up by {@link #hostname(Service)} instead.
     */
    public static Optional<String> tailnetIp(Service service) {
        if (!isExposed(service)
                || service.getStatus() == null
                || service.getStatus().getLoadBalancer() == null) {
            return Optional.empty();
        }
        List<LoadBalancerIngress> ingress =
                service.getStatus().getLoadBalancer().getIngress();
        if (ingress == null) {
            return Optional.empty();
        }
        return ingress.stream()
                .map(LoadBalancerIngress::getIp)
                .filter(ip -> ip != null && !ip.isBlank())
                .findFirst();
    }

    /** The device's host name: the annotation, else {@code <namespace>-<name>} (§11). */
    public static String hostname(Service service) {
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        String explicit = annotations == null ? null : annotations.get(HOSTNAME_ANNOTATION);
        return explicit != null && !explicit.isBlank()
                ? explicit
                : service.getMetadata().getNamespace() + "-"
                        + service.getMetadata().getName();
    }

    /** Whether the operator would accept {@code name} as a {@code tailscale.com/tailnet-fqdn}. */
    public static boolean isMagicDnsName(String name) {
        return name != null && MAGIC_DNS_NAME.matcher(name).matches();
    }

    /** Tailscale host names are DNS labels (the operator refuses the Service otherwise). */
    public static boolean isDnsLabel(String name) {
        return name != null && DNS_LABEL.matcher(name).matches();
    }

    /**
     * The tailnet host name of a cluster's clustermesh-apiserver. The operator's default
     * {@code <namespace>-<name>} is the same in every cluster, and the tailnet would rename the
     * second one; the cluster name makes it unique and predictable.
     */
    public static String ingressHostname(String clusterName) {
        return label("clustermesh-" + clusterName);
    }

    /** Turns a Service into the operator's load-balancer form: class {@code tailscale} and our host name. */
    public static Service exposedAsLoadBalancer(Service service, String hostname) {
        return new ServiceBuilder(service)
                .editMetadata()
                .addToAnnotations(HOSTNAME_ANNOTATION, hostname)
                .endMetadata()
                .editSpec()
                .withType("LoadBalancer")
                .withLoadBalancerClass(LOAD_BALANCER_CLASS)
                .endSpec()
                .build();
    }

    /** The MagicDNS name from {@code status.loadBalancer.ingress} (the hostname entry, §11). */
    public static Optional<String> tailnetFqdn(Service service) {
        if (!isExposed(service)
                || service.getStatus() == null
                || service.getStatus().getLoadBalancer() == null
                || service.getStatus().getLoadBalancer().getIngress() == null) {
            return Optional.empty();
        }
        return service.getStatus().getLoadBalancer().getIngress().stream()
                .map(LoadBalancerIngress::getHostname)
                .filter(h -> h != null && !h.isBlank())
                .findFirst();
    }

    /**
     * The egress Service in a dialing cluster that carries its kvstoremesh to {@code remoteClusterName}
     * over the tailnet. Named after the remote only, so the remote's server certificate can name
     * {@code <this>.<namespace>.svc} before anyone connects to it.
     */
    public static String egressServiceName(String remoteClusterName) {
        return CiliumNames.APISERVER + "-" + remoteClusterName;
    }

    /** The cluster-local DNS name the dialing kvstoremesh uses: a CNAME to the operator's proxy. */
    public static String egressServiceDnsName(String remoteClusterName, String namespace) {
        return egressServiceName(remoteClusterName) + "." + namespace + ".svc";
    }

    /** The egress proxy's own tailnet host name: one device per dialing cluster and remote. */
    public static String egressHostname(String localClusterName, String remoteClusterName) {
        return label("cm-" + localClusterName + "-to-" + remoteClusterName);
    }

    /**
     * The operator's egress Service for a tailnet target: ExternalName with a placeholder, the target
     * as MagicDNS name when there is one the operator accepts (it survives a re-created device),
     * else as tailnet IP. Never both: the operator refuses that.
     */
    public static Service egressService(
            String namespace,
            String localClusterName,
            String remoteClusterName,
            Optional<String> fqdn,
            Optional<String> ip,
            Map<String, String> labels) {
        boolean byName = fqdn.filter(TailscaleExposure::isMagicDnsName).isPresent();
        if (!byName && ip.isEmpty()) {
            throw new IllegalArgumentException("no tailnet address for " + remoteClusterName);
        }
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(egressServiceName(remoteClusterName))
                .withNamespace(namespace)
                .withLabels(labels)
                .addToAnnotations(
                        byName ? TAILNET_FQDN_ANNOTATION : TAILNET_IP_ANNOTATION, byName ? fqdn.get() : ip.get())
                .addToAnnotations(HOSTNAME_ANNOTATION, egressHostname(localClusterName, remoteClusterName))
                .endMetadata()
                .withNewSpec()
                .withType("ExternalName")
                .withExternalName(EXTERNAL_NAME_PLACEHOLDER)
                .endSpec()
                .build();
    }

    /** Whether {@code service} is an operator egress Service (either target annotation). */
    public static boolean isEgress(Service service) {
        Map<String, String> annotations = service == null || service.getMetadata() == null
                ? null
                : service.getMetadata().getAnnotations();
        return annotations != null
                && (annotations.containsKey(TAILNET_IP_ANNOTATION) || annotations.containsKey(TAILNET_FQDN_ANNOTATION));
    }

    /** The {@link #PROXY_READY_CONDITION} the operator wrote, if any. */
    public static Optional<Condition> proxyReady(Service service) {
        if (service == null
                || service.getStatus() == null
                || service.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return service.getStatus().getConditions().stream()
                .filter(c -> PROXY_READY_CONDITION.equals(c.getType()))
                .findFirst();
    }

    private static String label(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        String cut = lower.length() > 63 ? lower.substring(0, 63) : lower;
        return cut.replaceAll("-+$", "");
    }
}
