package io.clustermesh.controller.contexts;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * A cluster-scoped custom resource kind the service reads. The package that owns the product's
 * contract names it (Cilium's kinds are in {@code cilium/}); this package only knows how to read,
 * watch and cache any such kind.
 */
public record CustomKind(String group, String version, String kind, String plural) {

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(false)
                .build();
    }

    @Override
    public String toString() {
        return plural + "." + group + "/" + version;
    }
}
