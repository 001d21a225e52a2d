package io.clustermesh.controller.tailscale;

import java.util.List;

/** §4: a route works only when it is both advertised (by the node) and enabled (by us/an admin). */
public record DeviceRoutes(List<String> advertisedRoutes, List<String> enabledRoutes) {

    public DeviceRoutes {
        advertisedRoutes = List.copyOf(advertisedRoutes);
        enabledRoutes = List.copyOf(enabledRoutes);
    }

    public boolean isActive(String cidr) {
        return advertisedRoutes.contains(cidr) && enabledRoutes.contains(cidr);
    }
}
