package io.clustermesh.controller.tailscale;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.clustermesh.controller.cilium.NodeAddressClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which remote node addresses the tailnet carries (issue 17 item 2; dataplane.md §5, tailscale.md
 * §3–§4): for every node IP Cilium dials, the path a packet can take — public, a tailnet address
 * of an online device, inside a subnet route that an online device both advertises and has
 * enabled, or none — and, where a route is advertised but not enabled, the exact
 * {@code POST /device/{id}/routes} body that approves it (the full enabled set: that call
 * replaces, it does not add).
 *
 * @param nodes   one entry per remote node, in the order given
 * @param approve routes to approve, one per device, each listing the full set to send
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteCoverage(List<NodePath> nodes, List<RouteToApprove> approve) {
    public static final String PUBLIC = "public";
    public static final String TAILNET = "tailnet";
    public static final String SUBNET_ROUTE = "subnet-route";
    public static final String NONE = "none";

    /** A node Cilium dials on {@code ip} (its InternalIP). */
    public record Target(String node, String ip) {}

    /**
     * @param path    {@link #PUBLIC}, {@link #TAILNET}, {@link #SUBNET_ROUTE} or {@link #NONE}
     * @param device  the device that carries it (tailnet address or subnet router), if any
     * @param route   the enabled route that covers it, if any
     * @param problem why a route or device we found does not carry it (not approved, device offline), if so
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodePath(String node, String ip, String path, String device, String route, String problem) {}

    /** {@code POST /api/v2/device/{deviceId}/routes} with {@code {"routes": routes}} approves {@code add}. */
    public record RouteToApprove(String deviceId, String device, List<String> add, List<String> routes) {}

    public RouteCoverage {
        nodes = List.copyOf(nodes);
        approve = List.copyOf(approve);
    }

    public static RouteCoverage of(List<Device> devices, List<Target> targets) {
        List<NodePath> paths = new ArrayList<>();
        Map<String, Device> toApprove = new LinkedHashMap<>();
        Map<String, List<String>> added = new LinkedHashMap<>();
        for (Target t : targets) {
            NodePath path = pathOf(devices, t);
            paths.add(path);
            if (NONE.equals(path.path())) {
                advertisedNotEnabled(devices, t.ip()).ifPresent(found -> {
                    toApprove.putIfAbsent(found.device().nodeId(), found.device());
                    List<String> routes = added.computeIfAbsent(found.device().nodeId(), k -> new ArrayList<>());
                    if (!routes.contains(found.route())) {
                        routes.add(found.route());
                    }
                });
            }
        }
        List<RouteToApprove> approve = new ArrayList<>();
        toApprove.forEach((id, device) -> {
            List<String> full = new ArrayList<>(device.enabledRoutes());
            added.get(id).stream().filter(r -> !full.contains(r)).forEach(full::add);
            approve.add(new RouteToApprove(id, device.hostname(), added.get(id), full));
        });
        return new RouteCoverage(paths, approve);
    }

    /** The nodes no path reaches. */
    public List<NodePath> uncovered() {
        return nodes.stream().filter(n -> NONE.equals(n.path())).toList();
    }

    private static NodePath pathOf(List<Device> devices, Target t) {
        NodeAddressClass kind = NodeAddressClass.of(t.ip());
        if (kind == NodeAddressClass.PUBLIC) {
            return new NodePath(t.node(), t.ip(), PUBLIC, null, null, null);
        }
        if (kind == NodeAddressClass.TAILNET) {
            Optional<Device> owner =
                    devices.stream().filter(d -> d.addresses().contains(t.ip())).findFirst();
            if (owner.isEmpty()) {
                return new NodePath(t.node(), t.ip(), NONE, null, null, "no device of the tailnet has this address");
            }
            return owner.get().online()
                    ? new NodePath(t.node(), t.ip(), TAILNET, owner.get().hostname(), null, null)
                    : new NodePath(
                            t.node(),
                            t.ip(),
                            NONE,
                            owner.get().hostname(),
                            null,
                            "device " + owner.get().hostname() + " is offline");
        }
        String offline = null;
        for (Device d : devices) {
            for (String route : d.enabledRoutes()) {
                // A route works only when both advertised and enabled (§4).
                if (d.advertisedRoutes().contains(route) && NodeAddressClass.contains(route, t.ip())) {
                    if (d.online()) {
                        return new NodePath(t.node(), t.ip(), SUBNET_ROUTE, d.hostname(), route, null);
                    }
                    offline = "subnet router " + d.hostname() + " for " + route + " is offline";
                }
            }
        }
        if (offline != null) {
            return new NodePath(t.node(), t.ip(), NONE, null, null, offline);
        }
        return advertisedNotEnabled(devices, t.ip())
                .map(f -> new NodePath(
                        t.node(),
                        t.ip(),
                        NONE,
                        f.device().hostname(),
                        f.route(),
                        "route " + f.route() + " advertised by " + f.device().hostname() + " is not approved"))
                .orElse(new NodePath(t.node(), t.ip(), NONE, null, null, "no device advertises a route to it"));
    }

    private record Advertised(Device device, String route) {}

    /** An online device advertising a route over {@code ip} that is not enabled yet: approving it is the fix. */
    private static Optional<Advertised> advertisedNotEnabled(List<Device> devices, String ip) {
        for (Device d : devices) {
            if (!d.online()) {
                continue;
            }
            for (String route : d.advertisedRoutes()) {
                if (!d.enabledRoutes().contains(route) && NodeAddressClass.contains(route, ip)) {
                    return Optional.of(new Advertised(d, route));
                }
            }
        }
        return Optional.empty();
    }
}
