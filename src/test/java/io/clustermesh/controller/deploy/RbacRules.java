package io.clustermesh.controller.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Resource rules as kube-apiserver's RBAC authorizer applies them (k8s.io/kubernetes
 * pkg/apis/rbac/v1 helpers): a rule allows a request when the verb, API group, resource (either
 * {@code resource}, {@code resource/subresource}, {@code *} or {@code *}/subresource) and, if the
 * rule lists any, the resource name all match; a Role's rules only reach requests in its
 * namespace, a ClusterRole's (bound by a ClusterRoleBinding) reach every request. A request
 * without a name (list, watch, create, deletecollection) never matches a rule with resourceNames.
 */
final class RbacRules {
    /** One rule of one role; namespace null for a ClusterRole. */
    record Grant(String role, String namespace, PolicyRule rule) {}

    /** The smallest thing a rule allows: one verb on one group/resource (and name), in one role. */
    record Permission(String role, String verb, String apiGroup, String resource, String resourceName) {
        @Override
        public String toString() {
            return role + ": " + verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + " " + resource
                    + (resourceName.isEmpty() ? "" : " named " + resourceName);
        }
    }

    private final List<Grant> grants;

    RbacRules(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** The ClusterRoles and Roles of a manifest file (every binding in it is assumed to bind them to the service). */
    static RbacRules fromManifest(Path manifest) {
        List<Grant> grants = new ArrayList<>();
        try {
            for (String document : Files.readString(manifest).split("(?m)^---\\s*$")) {
                if (document.lines().noneMatch(l -> l.startsWith("kind:"))) {
                    continue;
                }
                HasMetadata object = Serialization.unmarshal(document, HasMetadata.class);
                if (object instanceof ClusterRole role) {
                    role.getRules()
                            .forEach(r -> grants.add(new Grant(
                                    "ClusterRole " + role.getMetadata().getName(), null, r)));
                } else if (object instanceof Role role) {
                    role.getRules()
                            .forEach(r -> grants.add(new Grant(
                                    "Role " + role.getMetadata().getNamespace() + "/"
                                            + role.getMetadata().getName(),
                                    role.getMetadata().getNamespace(),
                                    r)));
                } else if (object instanceof KubernetesList) {
                    throw new IllegalArgumentException("lists are not expected in " + manifest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new RbacRules(grants);
    }

    /** The same rules with {@code verb} taken out of every rule that {@code which} selects. */
    RbacRules without(String verb, Predicate<PolicyRule> which) {
        List<Grant> changed = new ArrayList<>();
        for (Grant g : grants) {
            PolicyRule rule = g.rule();
            if (which.test(rule)) {
                rule = new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder(rule)
                        .withVerbs(rule.getVerbs().stream()
                                .filter(v -> !v.equals(verb))
                                .toList())
                        .build();
            }
            changed.add(new Grant(g.role(), g.namespace(), rule));
        }
        return new RbacRules(changed);
    }

    boolean allows(KubeRequest request) {
        return !permissionsUsedBy(request).isEmpty();
    }

    /** The permissions that allow {@code request} (empty: denied). */
    Set<Permission> permissionsUsedBy(KubeRequest request) {
        Set<Permission> used = new LinkedHashSet<>();
        for (Grant g : grants) {
            if (g.namespace() != null && !g.namespace().equals(request.namespace())) {
                continue;
            }
            PolicyRule rule = g.rule();
            List<String> names = rule.getResourceNames() == null ? List.of() : rule.getResourceNames();
            for (String verb : rule.getVerbs()) {
                if (!verb.equals("*") && !verb.equals(request.verb())) {
                    continue;
                }
                for (String group : rule.getApiGroups()) {
                    if (!group.equals("*") && !group.equals(request.apiGroup())) {
                        continue;
                    }
                    for (String resource : rule.getResources()) {
                        boolean matches = resource.equals("*")
                                || resource.equals(request.combinedResource())
                                || (!request.subresource().isEmpty() && resource.equals("*/" + request.subresource()));
                        if (!matches) {
                            continue;
                        }
                        if (names.isEmpty()) {
                            used.add(new Permission(g.role(), verb, group, resource, ""));
                        } else if (names.contains(request.name())) {
                            used.add(new Permission(g.role(), verb, group, resource, request.name()));
                        }
                    }
                }
            }
        }
        return used;
    }

    /** Every permission the rules grant, one verb × group × resource × name at a time. */
    Set<Permission> permissions() {
        Set<Permission> all = new LinkedHashSet<>();
        for (Grant g : grants) {
            PolicyRule rule = g.rule();
            List<String> names =
                    rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                            ? List.of("")
                            : rule.getResourceNames();
            for (String verb : rule.getVerbs()) {
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        for (String name : names) {
                            all.add(new Permission(g.role(), verb, group, resource, name));
                        }
                    }
                }
            }
        }
        return all;
    }
}
