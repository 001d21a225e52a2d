package io.clustermesh.controller.tailscale;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a Service is exposed on the tailnet by the Tailscale Kubernetes operator, and where its
 * tailnet address shows (contract §11). The only place these operator names are spelled.
 */
public final class TailscaleExposure {
    public static final String LOAD_BALANCER_CLASS = "tailscale";
    public static final String EXPOSE_ANNOTATION = "tailscale.com/expose";
    public static final String HOSTNAME_ANNOTATION = "tailscale.com/hostname";
    public static final String PROXY_READY_CONDITION = "TailscaleProxyReady";

    private TailscaleExposure() {
    }

    /** LoadBalancer with class {@code tailscale}, or the {@code tailscale.com/expose: "true"} annotation. */
    public static boolean isExposed(Service service) {
        if (service == null || service.getSpec() == null) {
            return false;
        }
        boolean loadBalancer = "LoadBalancer".equals(service.getSpec().getType())
                && LOAD_BALANCER_CLASS.equals(service.getSpec().getLoadBalancerClass());
        Map<String, String> annotations = service.getMetadata() == null ? null : service.getMetadata().getAnnotations();
        return loadBalancer || (annotations != null && "true".equals(annotations.get(EXPOSE_ANNOTATION)));
    }

    /**
     * The tailnet IP from {@code status.loadBalancer.ingress} (IP entries are separate from the
     * hostname entry, §11). The annotation form has no load-balancer status: empty, and the
     * caller looks the device up by {@link #hostname(Service)} instead.
     */
    public static Optional<String> tailnetIp(Service service) {
        if (!isExposed(service) || service.getStatus() == null || service.getStatus().getLoadBalancer() == null) {
            return Optional.empty();
        }
        List<LoadBalancerIngress> ingress = service.getStatus().getLoadBalancer().getIngress();
        if (ingress == null) {
            return Optional.empty();
        }
        return ingress.stream().map(LoadBalancerIngress::getIp).filter(ip -> ip != null && !ip.isBlank()).findFirst();
    }

    /** The device's host name: the annotation, else {@code <namespace>-<name>} (§11). */
    public static String hostname(Service service) {
        Map<String, String> annotations = service.getMetadata().getAnnotations();
        String explicit = annotations == null ? null : annotations.get(HOSTNAME_ANNOTATION);
        return explicit != null && !explicit.isBlank() ? explicit
                : service.getMetadata().getNamespace() + "-" + service.getMetadata().getName();
    }
}
