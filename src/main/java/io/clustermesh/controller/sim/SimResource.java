package io.clustermesh.controller.sim;

import io.clustermesh.controller.operations.ClustersChanged;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Demo-only API: where the simulated clusters' kubeconfigs are, and fault injection. */
@Path("/api/v1/sim")
@Produces(MediaType.APPLICATION_JSON)
public class SimResource {

    public record SimClusterView(
            String name,
            int clusterId,
            boolean behindNat,
            String server,
            boolean simulated,
            long apiRequests,
            long execRequests,
            List<String> faults) {}

    public record SimView(
            boolean simulated, String kubeconfigDir, List<SimClusterView> clusters, Map<String, List<String>> faults) {}

    public record FaultRequest(String cluster, String type) {}

    private final SimulatedMesh mesh;
    private final Event<ClustersChanged> changed;

    public SimResource(SimulatedMesh mesh, Event<ClustersChanged> changed) {
        this.mesh = mesh;
        this.changed = changed;
    }

    @GET
    public SimView view() {
        requireDemo();
        Map<String, List<String>> faults = new TreeMap<>();
        List<SimClusterView> clusters = mesh.clusters().stream()
                .map(c -> {
                    List<String> active = c.faults().stream()
                            .map(SimulatedFault::label)
                            .sorted()
                            .toList();
                    if (!active.isEmpty()) {
                        faults.put(c.name(), active);
                    }
                    return new SimClusterView(
                            c.name(),
                            c.clusterId(),
                            c.behindNat(),
                            c.serverUrl(),
                            true,
                            c.requestCount(),
                            c.execCount(),
                            active);
                })
                .toList();
        return new SimView(true, mesh.kubeconfigDir().map(Object::toString).orElse(null), clusters, faults);
    }

    /** Requests the simulated API servers received from outside the simulation, by kind, summed over clusters. */
    public record RequestCounts(long total, Map<String, Long> byKind) {}

    @GET
    @Path("/requests")
    public RequestCounts requests() {
        requireDemo();
        Map<String, Long> byKind = new TreeMap<>();
        mesh.clusters().forEach(c -> c.requestsByKind().forEach((k, v) -> byKind.merge(k, v, Long::sum)));
        return new RequestCounts(
                byKind.values().stream().mapToLong(Long::longValue).sum(), byKind);
    }

    @POST
    @Path("/faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public SimView inject(FaultRequest request) {
        requireDemo();
        if (request == null || request.cluster() == null) {
            throw ProblemException.invalid("cluster", "name the simulated cluster to break");
        }
        SimulatedFault fault = request.type() == null ? null : SimulatedFault.parse(request.type());
        if (fault == null) {
            throw ProblemException.invalid(
                    "type",
                    "type must be one of "
                            + java.util.Arrays.stream(SimulatedFault.values())
                                    .map(SimulatedFault::label)
                                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        SimulatedCluster cluster = mesh.cluster(request.cluster())
                .orElseThrow(() -> new ProblemException(
                        ProblemType.UNKNOWN_CLUSTER,
                        "no simulated cluster named '" + request.cluster() + "'",
                        "cluster"));
        cluster.inject(fault);
        // The answer comes once every view shows the fault, so "inject, then read" never reads the past.
        changed.fire(new ClustersChanged(Set.of(cluster.name()), "fault " + fault.label() + " injected"));
        return view();
    }

    @DELETE
    @Path("/faults")
    public SimView healAll() {
        requireDemo();
        mesh.clusters().forEach(SimulatedCluster::heal);
        changed.fire(new ClustersChanged(
                mesh.clusters().stream().map(SimulatedCluster::name).collect(Collectors.toSet()), "faults healed"));
        return view();
    }

    public record SubnetRouteRequest(String cidr) {}

    /** The simulated tailnet's approved subnet routes. */
    public record SubnetRoutes(List<String> routes) {}

    /**
     * A simulated Tailscale subnet router advertises {@code cidr} and the route is approved; every
     * simulated node accepts routes. Cilium's node IPs inside it become reachable across clusters.
     */
    @POST
    @Path("/subnet-routes")
    @Consumes(MediaType.APPLICATION_JSON)
    public SubnetRoutes addSubnetRoute(SubnetRouteRequest request) {
        requireDemo();
        String cidr = request == null ? null : request.cidr();
        if (cidr == null
                || !cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")
                || io.clustermesh.controller.cilium.NodeAddressClass.networks24(
                                List.of(cidr.substring(0, cidr.indexOf('/'))))
                        .isEmpty()
                || Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1)) > 32) {
            throw ProblemException.invalid("cidr", "cidr must be an IPv4 prefix such as 192.168.1.0/24");
        }
        mesh.addSubnetRoute(cidr);
        return new SubnetRoutes(mesh.subnetRoutes());
    }

    @GET
    @Path("/subnet-routes")
    public SubnetRoutes subnetRoutes() {
        requireDemo();
        return new SubnetRoutes(mesh.subnetRoutes());
    }

    @DELETE
    @Path("/subnet-routes")
    public SubnetRoutes removeSubnetRoutes() {
        requireDemo();
        mesh.clearSubnetRoutes();
        return new SubnetRoutes(mesh.subnetRoutes());
    }

    private void requireDemo() {
        if (!mesh.enabled()) {
            throw new ProblemException(
                    ProblemType.NOT_FOUND, "the simulation is off; start the service with mesh.demo.enabled=true");
        }
    }
}
