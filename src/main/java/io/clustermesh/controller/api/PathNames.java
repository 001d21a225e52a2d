package io.clustermesh.controller.api;

import io.clustermesh.controller.problems.ProblemException;
import io.clustermesh.controller.problems.ProblemType;
import java.util.regex.Pattern;

/** Path segments name clusters; anything that is not a DNS-1123 label is refused up front. */
final class PathNames {
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    private PathNames() {}

    static String cluster(String raw) {
        return cluster(raw, "cluster");
    }

    static String cluster(String raw, String field) {
        if (raw == null || !DNS_LABEL.matcher(raw).matches()) {
            throw new ProblemException(
                    ProblemType.INVALID_CLUSTER_NAME,
                    "cluster names are DNS-1123 labels (lower-case letters, digits and '-', at most 63 characters)",
                    field);
        }
        return raw;
    }
}
