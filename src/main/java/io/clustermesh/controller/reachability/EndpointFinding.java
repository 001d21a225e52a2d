package io.clustermesh.controller.reachability;

/**
 * Something wrong with how a cluster is declared reachable, found without dialling it.
 *
 * @param code stable: {@code invalid-endpoint}, {@code endpoint-missing}, {@code private-address},
 *     {@code unresolved}, {@code address-changed}, {@code duplicate-node-port}
 * @param severity {@code error} (others cannot dial it) or {@code warning}
 */
public record EndpointFinding(String code, String severity, String message, String hint) {
    static EndpointFinding error(String code, String message, String hint) {
        return new EndpointFinding(code, "error", message, hint);
    }

    static EndpointFinding warning(String code, String message, String hint) {
        return new EndpointFinding(code, "warning", message, hint);
    }
}
