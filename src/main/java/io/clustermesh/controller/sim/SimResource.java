package io.clustermesh.controller.sim;

import io.clustermesh.controller.operations.ClustersChanged;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.TreeMap;

/** Demo-only API: where the simulated clusters' kubeconfigs are, and fault injection. */
@Path("/api/v1/sim")
@Produces(MediaType.APPLICATION_JSON)
public class SimResource {

    public record SimClusterView(String name, int clusterId, boolean behindNat, String server, boolean simulated,
                                 long apiRequests, long execRequests, List<String> faults) {
    }

    public record SimView(boolean simulated, String kubeconfigDir, List<SimClusterView> clusters, Map<String, List<String>> faults) {
    }

    public record FaultRequest(String cluster, String type) {
    }

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
        List<SimClusterView> clusters = mesh.clusters().stream().map(c -> {
            List<String> active = c.faults().stream().map(SimulatedFault::label).sorted().toList();
            if (!active.isEmpty()) {
                faults.put(c.name(), active);
            }
            return new SimClusterView(c.name(), c.clusterId(), c.behindNat(), c.serverUrl(), true, c.requestCount(), c.execCount(), active);
        }).toList();
        return new SimView(true, mesh.kubeconfigDir().map(Object::toString).orElse(null), clusters, faults);
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
            throw ProblemException.invalid("type", "type must be one of apiserver-down, blackhole, port-forward-removed, agent-crash");
        }
        SimulatedCluster cluster = mesh.cluster(request.cluster()).orElseThrow(() ->
                new ProblemException(ProblemType.UNKNOWN_CLUSTER, "no simulated cluster named '" + request.cluster() + "'", "cluster"));
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
        changed.fire(new ClustersChanged(mesh.clusters().stream().map(SimulatedCluster::name).collect(Collectors.toSet()), "faults healed"));
        return view();
    }

    private void requireDemo() {
        if (!mesh.enabled()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "the simulation is off; start the service with mesh.demo.enabled=true");
        }
    }
}
