package io.clustermesh.controller.deploy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The authorization attributes kube-apiserver derives from a request, as its RequestInfoFactory
 * does (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): the verb from the method (GET
 * without a name is list, or watch with {@code watch=true}; DELETE without a name is
 * deletecollection), API group, namespace, resource, name and subresource from the path, and
 * the name of a list/watch taken from a {@code metadata.name} field selector.
 *
 * @param resourceRequest false for discovery and other non-resource URLs
 */
record KubeRequest(
        String method,
        String path,
        boolean resourceRequest,
        String verb,
        String apiGroup,
        String namespace,
        String resource,
        String subresource,
        String name) {
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    static KubeRequest of(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        List<String> parts = new ArrayList<>(
                Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList());
        String verb = switch (method) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
        String group;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            parts = parts.subList(2, parts.size());
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            parts = parts.subList(3, parts.size());
        } else {
            return new KubeRequest(
                    method,
                    pathAndQuery,
                    false,
                    method.toLowerCase(java.util.Locale.ROOT),
                    null,
                    null,
                    null,
                    null,
                    null);
        }
        if (parts.get(0).equals("watch")) {
            verb = "watch";
            parts = parts.subList(1, parts.size());
        }
        String namespace = "";
        if (parts.get(0).equals("namespaces") && parts.size() > 1) {
            namespace = parts.get(1);
            if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                parts = parts.subList(2, parts.size());
            }
        }
        String resource = parts.get(0);
        String name = parts.size() >= 2 ? parts.get(1) : "";
        String subresource = parts.size() >= 3 ? parts.get(2) : "";
        if (name.isEmpty() && verb.equals("get")) {
            verb = queryValue(query, "watch")
                            .map(w -> w.equals("true") || w.equals("1"))
                            .orElse(false)
                    ? "watch"
                    : "list";
            String selector = queryValue(query, "fieldSelector").orElse("");
            for (String term : selector.split(",")) {
                if (term.startsWith("metadata.name=") || term.startsWith("metadata.name==")) {
                    name = term.substring(term.lastIndexOf('=') + 1);
                }
            }
        }
        if (name.isEmpty() && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new KubeRequest(method, pathAndQuery, true, verb, group, namespace, resource, subresource, name);
    }

    private static java.util.Optional<String> queryValue(String query, String key) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(key + "=")) {
                return java.util.Optional.of(
                        URLDecoder.decode(pair.substring(key.length() + 1), StandardCharsets.UTF_8));
            }
        }
        return java.util.Optional.empty();
    }

    /** What RBAC compares resource rules against: {@code resource} or {@code resource/subresource}. */
    String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    @Override
    public String toString() {
        return verb + " "
                + (apiGroup == null
                        ? path
                        : (apiGroup.isEmpty() ? "core" : apiGroup) + " " + combinedResource()
                                + (namespace.isEmpty() ? "" : " in " + namespace)
                                + (name.isEmpty() ? "" : " named " + name));
    }
}
