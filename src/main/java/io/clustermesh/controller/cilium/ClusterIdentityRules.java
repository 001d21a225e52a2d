package io.clustermesh.controller.cilium;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.util.regex.Pattern;

/**
 * The rules a cluster's name and id must satisfy before it can join a mesh (contract §2, §6.1–2).
 * The 1.17+ agent refuses to start and the 1.18 chart refuses to render on the same rules, so we
 * check them before writing anything. Messages name the Helm value to change, since that is how
 * Cilium installs are configured.
 */
public final class ClusterIdentityRules {
    public static final String FIELD_CLUSTER_NAME = "clusterName";
    public static final String FIELD_CLUSTER_ID = "clusterId";
    public static final String FIELD_MAX_CONNECTED_CLUSTERS = "maxConnectedClusters";

    private static final Pattern NAME = Pattern.compile("^([a-z0-9][-a-z0-9]*)?[a-z0-9]$");

    private ClusterIdentityRules() {}

    /** Checks name, max-connected-clusters and id of one cluster, in that order. */
    public static void validate(CiliumConfig config) {
        validateName(config.clusterName());
        validateMaxConnectedClusters(config.maxConnectedClusters());
        if (config.clusterIdRaw() != null && config.clusterId() == null) {
            throw new ProblemException(
                    ProblemType.INVALID_CLUSTER_ID,
                    "cluster-id '" + config.clusterIdRaw()
                            + "' is not a number; set Helm value cluster.id to an integer in 1.."
                            + config.maxConnectedClusters(),
                    FIELD_CLUSTER_ID);
        }
        validateId(config.clusterId(), config.maxConnectedClusters());
    }

    public static void validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw nameProblem("cluster-name is not set; set Helm value cluster.name to a unique name");
        }
        // §2: "default" is what an un-meshed install carries; a meshed cluster must be renamed.
        if (CiliumNames.DEFAULT_CLUSTER_NAME.equals(name)) {
            throw nameProblem(
                    "cluster-name is 'default', which cannot join a mesh; set Helm value cluster.name to a unique name");
        }
        if (name.length() > CiliumNames.MAX_CLUSTER_NAME_LENGTH) {
            throw nameProblem("cluster-name '" + name + "' is longer than " + CiliumNames.MAX_CLUSTER_NAME_LENGTH
                    + " characters; set Helm value cluster.name to a shorter name");
        }
        if (!NAME.matcher(name).matches()) {
            throw nameProblem(
                    "cluster-name '" + name + "' must consist of lower case letters, digits and '-', and start and"
                            + " end with a letter or digit; set Helm value cluster.name accordingly");
        }
    }

    /** §2: only 255 and 511 exist; the value is fixed for the cluster's lifetime. */
    public static void validateMaxConnectedClusters(Integer max) {
        if (max == null
                || (max != CiliumNames.DEFAULT_MAX_CONNECTED_CLUSTERS
                        && max != CiliumNames.EXTENDED_MAX_CONNECTED_CLUSTERS)) {
            throw new ProblemException(
                    ProblemType.INVALID_INPUT,
                    "max-connected-clusters " + (max == null ? "is not a number" : "is " + max)
                            + "; set Helm value clustermesh.maxConnectedClusters to 255 or 511",
                    FIELD_MAX_CONNECTED_CLUSTERS);
        }
    }

    /** §2: 0 is reserved (= not meshed); the upper bound follows max-connected-clusters. */
    public static void validateId(Integer id, Integer maxConnectedClusters) {
        int max = maxConnectedClusters == null ? CiliumNames.DEFAULT_MAX_CONNECTED_CLUSTERS : maxConnectedClusters;
        if (id == null || id == 0) {
            throw new ProblemException(
                    ProblemType.INVALID_CLUSTER_ID,
                    "cluster-id is not set; set Helm value cluster.id to a unique integer in 1.." + max,
                    FIELD_CLUSTER_ID);
        }
        if (id < 1 || id > max) {
            String hint = max == CiliumNames.DEFAULT_MAX_CONNECTED_CLUSTERS
                    ? " (ids up to 511 need clustermesh.maxConnectedClusters=511 on every cluster)"
                    : "";
            throw new ProblemException(
                    ProblemType.INVALID_CLUSTER_ID,
                    "cluster-id " + id + " is outside 1.." + max
                            + "; set Helm value cluster.id to a unique integer in 1.." + max + hint,
                    FIELD_CLUSTER_ID);
        }
    }

    public static boolean isValidName(String name) {
        try {
            validateName(name);
            return true;
        } catch (ProblemException e) {
            return false;
        }
    }

    private static ProblemException nameProblem(String message) {
        return new ProblemException(ProblemType.INVALID_CLUSTER_NAME, message, FIELD_CLUSTER_NAME);
    }
}
