package io.clustermesh.controller.cilium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cilium-health status -o json} (contract dataplane.md §2.3): what one agent's probes found
 * for every node it knows, remote clusters' nodes included. Only the verdicts are kept; status
 * texts are never matched (§2.3: "only test empty vs non-empty").
 *
 * @param localName the probing node, {@code <cluster>/<node>}
 * @param timestamp start of the probe cycle, null when absent or unreadable
 */
public record NodeHealthReport(String localName, Instant timestamp, List<NodeHealth> nodes) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public enum Reachability {
        REACHABLE,
        UNREACHABLE,
        UNKNOWN
    }

    /**
     * One probed node.
     *
     * @param name     {@code <cluster>/<node>} whenever the cluster name is not {@code default} (§2.2)
     * @param host     the node-IP path: does the underlay route node IPs
     * @param endpoint the health-endpoint path, a pod IP over the real datapath: the data-plane signal;
     *                 UNKNOWN when endpoint health checking is off
     */
    public record NodeHealth(String name, String hostIp, Reachability host, String endpointIp, Reachability endpoint) {
        public String cluster() {
            int slash = name.indexOf('/');
            return slash < 0 ? null : name.substring(0, slash);
        }

        public String node() {
            return name.substring(name.indexOf('/') + 1);
        }
    }

    public NodeHealthReport {
        nodes = List.copyOf(nodes);
    }

    public List<NodeHealth> nodesOf(String cluster) {
        return nodes.stream().filter(n -> cluster.equals(n.cluster())).toList();
    }

    public static NodeHealthReport parse(String json) {
        JsonNode root;
        try {
            root = json == null || json.isBlank() ? null : MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedCiliumOutputException(
                    "cilium-health status: not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedCiliumOutputException("cilium-health status: expected a JSON object");
        }
        List<NodeHealth> nodes = new ArrayList<>();
        for (JsonNode n : root.path("nodes")) {
            JsonNode host = n.path("host").path("primary-address");
            JsonNode endpoint = n.path("health-endpoint").path("primary-address");
            nodes.add(new NodeHealth(
                    n.path("name").asText(), text(host, "ip"), path(host), text(endpoint, "ip"), path(endpoint)));
        }
        return new NodeHealthReport(text(root.path("local"), "name"), time(text(root, "timestamp")), nodes);
    }

    /**
     * Cilium's own client rule (§2.4): a missing check is unknown, an empty status reachable, any
     * text unreachable; a path is unreachable if any check is, else unknown if any is. A path not
     * probed yet (no primary address) is unknown, never reachable.
     */
    static Reachability path(JsonNode address) {
        if (address.isMissingNode() || address.isNull()) {
            return Reachability.UNKNOWN;
        }
        Reachability icmp = check(address.get("icmp"));
        Reachability http = check(address.get("http"));
        if (icmp == Reachability.UNREACHABLE || http == Reachability.UNREACHABLE) {
            return Reachability.UNREACHABLE;
        }
        return icmp == Reachability.UNKNOWN || http == Reachability.UNKNOWN
                ? Reachability.UNKNOWN
                : Reachability.REACHABLE;
    }

    private static Reachability check(JsonNode check) {
        if (check == null || check.isNull() || !check.isObject()) {
            return Reachability.UNKNOWN;
        }
        JsonNode status = check.get("status");
        return status == null || status.isNull() || status.asText().isEmpty()
                ? Reachability.REACHABLE
                : Reachability.UNREACHABLE;
    }

    /** The JSON the agent prints, for the simulated agents: probes that failed carry a timeout text, as Cilium's do. */
    public String render() {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("local").put("name", localName);
        ArrayNode array = root.putArray("nodes");
        for (NodeHealth n : nodes) {
            ObjectNode node = array.addObject();
            node.put("name", n.name());
            renderPath(node.putObject("host").putObject("primary-address"), n.hostIp(), n.host());
            ((ObjectNode) node.get("host")).putArray("secondary-addresses");
            if (n.endpointIp() != null) {
                renderPath(
                        node.putObject("health-endpoint").putObject("primary-address"), n.endpointIp(), n.endpoint());
                ((ObjectNode) node.get("health-endpoint")).putArray("secondary-addresses");
            }
        }
        if (timestamp != null) {
            root.put("timestamp", timestamp.toString());
        }
        return root.toString();
    }

    private static void renderPath(ObjectNode address, String ip, Reachability r) {
        address.put("ip", ip);
        if (r == Reachability.UNKNOWN) {
            return;
        }
        for (String check : List.of("icmp", "http")) {
            ObjectNode c = address.putObject(check);
            if (r == Reachability.REACHABLE) {
                c.put("latency", 350_000);
            } else {
                c.put(
                        "status",
                        check.equals("icmp")
                                ? "Connection timed out"
                                : "Get \"http://" + ip
                                        + ":4240/hello\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
            }
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant time(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
