package io.clustermesh.controller.cilium;

import io.clustermesh.controller.cilium.MeshFinding.Severity;
import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Checks that a set of clusters can form one mesh: what cilium-cli enforces before connect
 * (contract §6.1–4) plus the Cilium-docs requirements it does not check (§6 "Not checked"):
 * same routing mode, same encryption, non-overlapping pod CIDRs (warning, §2 [U]) and the same
 * tunnel protocol (warning: cilium-cli records it but never compares it, §4).
 * Findings come in a fixed order so that {@link #requireValid} always reports the same first error.
 */
public final class MeshValidator {
    public static final String FIELD_IDENTITY_MODE = "identityAllocationMode";
    public static final String FIELD_ROUTING_MODE = "routingMode";
    public static final String FIELD_TUNNEL_PROTOCOL = "tunnelProtocol";
    public static final String FIELD_WIREGUARD = "wireguardEnabled";
    public static final String FIELD_IPSEC = "ipsecEnabled";
    public static final String FIELD_POD_CIDR = "podCidrV4";

    private MeshValidator() {}

    public static List<MeshFinding> validate(List<MeshMember> members) {
        List<MeshFinding> findings = new ArrayList<>();
        for (MeshMember m : members) {
            checkIdentity(m, findings);
        }
        for (MeshMember m : members) {
            // §2/§7.1: anything but crd is an external kvstore; our clustermesh-apiserver flow needs crd.
            if (!CiliumNames.IDENTITY_MODE_CRD.equals(m.config().identityAllocationMode())) {
                findings.add(error(
                        ProblemType.CILIUM_NOT_READY_FOR_MESH,
                        FIELD_IDENTITY_MODE,
                        "identity-allocation-mode is '" + m.config().identityAllocationMode() + "' on " + m.clusterKey()
                                + "; only 'crd' is supported (set Helm value identityAllocationMode=crd)",
                        List.of(m.clusterKey())));
            }
        }
        duplicates(
                members,
                c -> c.clusterName(),
                ProblemType.DUPLICATE_CLUSTER_NAME,
                ClusterIdentityRules.FIELD_CLUSTER_NAME,
                "cluster-name",
                "cluster.name",
                findings);
        duplicates(
                members,
                c -> c.clusterId() == null || c.clusterId() == 0 ? null : c.clusterId(),
                ProblemType.DUPLICATE_CLUSTER_ID,
                ClusterIdentityRules.FIELD_CLUSTER_ID,
                "cluster-id",
                "cluster.id",
                findings);
        mustBeEqual(
                members,
                CiliumConfig::maxConnectedClusters,
                ProblemType.MISMATCHED_MAX_CONNECTED_CLUSTERS,
                ClusterIdentityRules.FIELD_MAX_CONNECTED_CLUSTERS,
                "max-connected-clusters",
                "; it is fixed at install time, so all clusters must be installed with the same clustermesh.maxConnectedClusters",
                findings);
        mustBeEqual(
                members,
                CiliumConfig::routingMode,
                ProblemType.INCOMPATIBLE_CLUSTERS,
                FIELD_ROUTING_MODE,
                "routing-mode",
                "; set Helm value routingMode to the same value everywhere",
                findings);
        mustBeEqual(
                members,
                CiliumConfig::wireguardEnabled,
                ProblemType.INCOMPATIBLE_CLUSTERS,
                FIELD_WIREGUARD,
                "enable-wireguard",
                "; enable WireGuard (encryption.type=wireguard) on all clusters or on none",
                findings);
        mustBeEqual(
                members,
                CiliumConfig::ipsecEnabled,
                ProblemType.INCOMPATIBLE_CLUSTERS,
                FIELD_IPSEC,
                "enable-ipsec",
                "; enable IPsec (encryption.type=ipsec) on all clusters or on none",
                findings);
        tunnelProtocols(members, findings);
        podCidrOverlaps(members, findings);
        return findings;
    }

    /** Throws the first error finding as a problem; warnings never throw. */
    public static void requireValid(List<MeshMember> members) {
        validate(members).stream().filter(MeshFinding::isError).findFirst().ifPresent(f -> {
            throw f.toProblem();
        });
    }

    private static void checkIdentity(MeshMember m, List<MeshFinding> findings) {
        try {
            ClusterIdentityRules.validate(m.config());
        } catch (ProblemException e) {
            findings.add(error(e.type(), e.field(), m.clusterKey() + ": " + e.getMessage(), List.of(m.clusterKey())));
        }
    }

    private static <T> void duplicates(
            List<MeshMember> members,
            Function<CiliumConfig, T> key,
            ProblemType type,
            String field,
            String ciliumKey,
            String helmValue,
            List<MeshFinding> findings) {
        Map<T, List<String>> byValue = new LinkedHashMap<>();
        for (MeshMember m : members) {
            T value = key.apply(m.config());
            if (value != null) {
                byValue.computeIfAbsent(value, v -> new ArrayList<>()).add(m.clusterKey());
            }
        }
        byValue.forEach((value, keys) -> {
            if (keys.size() > 1) {
                findings.add(error(
                        type,
                        field,
                        ciliumKey + " " + value + " is used by " + String.join(", ", keys) + "; set Helm value "
                                + helmValue + " to a unique value on each cluster",
                        keys));
            }
        });
    }

    private static <T> void mustBeEqual(
            List<MeshMember> members,
            Function<CiliumConfig, T> key,
            ProblemType type,
            String field,
            String ciliumKey,
            String advice,
            List<MeshFinding> findings) {
        Map<T, List<String>> byValue = groupBy(members, key);
        if (byValue.size() > 1) {
            findings.add(new MeshFinding(
                    Severity.ERROR,
                    type,
                    field,
                    ciliumKey + " differs across the mesh (" + describe(byValue) + ")" + advice,
                    members.stream().map(MeshMember::clusterKey).toList()));
        }
    }

    /** Different tunnel protocols: cilium-cli does not compare them (§4); the docs ask for equal ones. */
    private static void tunnelProtocols(List<MeshMember> members, List<MeshFinding> findings) {
        List<MeshMember> tunnelled = members.stream()
                .filter(m -> m.config().tunnelProtocol() != null)
                .toList();
        Map<String, List<String>> byValue = groupBy(tunnelled, CiliumConfig::tunnelProtocol);
        if (byValue.size() > 1) {
            findings.add(new MeshFinding(
                    Severity.WARNING,
                    ProblemType.INCOMPATIBLE_CLUSTERS,
                    FIELD_TUNNEL_PROTOCOL,
                    "tunnel-protocol differs across the mesh (" + describe(byValue)
                            + "); cross-cluster pod traffic needs the same encapsulation (Helm value tunnelProtocol)",
                    tunnelled.stream().map(MeshMember::clusterKey).toList()));
        }
    }

    private static void podCidrOverlaps(List<MeshMember> members, List<MeshFinding> findings) {
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                MeshMember a = members.get(i);
                MeshMember b = members.get(j);
                for (String ca : a.config().podCidrsV4()) {
                    for (String cb : b.config().podCidrsV4()) {
                        Ipv4Cidr pa = Ipv4Cidr.parseOrNull(ca);
                        Ipv4Cidr pb = Ipv4Cidr.parseOrNull(cb);
                        if (pa != null && pb != null && pa.overlaps(pb)) {
                            findings.add(new MeshFinding(
                                    Severity.WARNING,
                                    ProblemType.INCOMPATIBLE_CLUSTERS,
                                    FIELD_POD_CIDR,
                                    "pod CIDR " + ca + " of " + a.clusterKey() + " overlaps " + cb + " of "
                                            + b.clusterKey()
                                            + "; meshed clusters need distinct cluster-pool-ipv4-cidr ranges",
                                    List.of(a.clusterKey(), b.clusterKey())));
                        }
                    }
                }
            }
        }
    }

    private static <T> Map<T, List<String>> groupBy(List<MeshMember> members, Function<CiliumConfig, T> key) {
        Map<T, List<String>> byValue = new LinkedHashMap<>();
        for (MeshMember m : members) {
            byValue.computeIfAbsent(key.apply(m.config()), v -> new ArrayList<>())
                    .add(m.clusterKey());
        }
        return byValue;
    }

    private static <T> String describe(Map<T, List<String>> byValue) {
        List<String> parts = new ArrayList<>();
        byValue.forEach(
                (value, keys) -> parts.add(String.join(", ", keys) + ": " + Objects.toString(value, "not a number")));
        return String.join("; ", parts);
    }

    private static MeshFinding error(ProblemType type, String field, String message, List<String> clusters) {
        return new MeshFinding(Severity.ERROR, type, field, message, clusters);
    }
}
