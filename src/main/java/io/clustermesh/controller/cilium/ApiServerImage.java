package io.clustermesh.controller.cilium;

/**
 * The clustermesh-apiserver image for a cluster. Cilium publishes it next to the agent image
 * ({@code quay.io/cilium/cilium} and {@code quay.io/cilium/clustermesh-apiserver}) with the same
 * tag, so a cluster pulling its agents from a mirror finds the apiserver in that mirror too.
 */
public final class ApiServerImage {
    private ApiServerImage() {}

    /**
     * @param agentImage the {@code cilium-agent} container's image, e.g. {@code registry.lan/cilium/cilium:v1.15.0@sha256:...}
     * @param override   {@code mesh.clusters.<name>.apiserver-image}: a repository (tag added) or repository:tag; null for none
     */
    public static String forCluster(String agentImage, CiliumRelease release, String override) {
        String tag = "v" + release;
        if (override != null && !override.isBlank()) {
            String o = override.trim();
            return hasTag(o) ? o : o + ":" + tag;
        }
        String repository = repositoryOf(agentImage);
        int slash = repository.lastIndexOf('/');
        String directory = slash < 0 ? "" : repository.substring(0, slash + 1);
        return directory + CiliumNames.APISERVER + ":" + tag;
    }

    /** The version an image's tag names ({@code v1.18.11} and {@code 1.18.11} give {@code 1.18.11}); null without a tag. */
    public static String versionOf(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        if (!hasTag(withoutDigest)) {
            return null;
        }
        String tag = withoutDigest.substring(withoutDigest.lastIndexOf(':') + 1);
        return tag.startsWith("v") ? tag.substring(1) : tag;
    }

    /** The image reference without tag and digest. */
    static String repositoryOf(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        return hasTag(withoutDigest) ? withoutDigest.substring(0, withoutDigest.lastIndexOf(':')) : withoutDigest;
    }

    private static boolean hasTag(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = withoutDigest.lastIndexOf(':');
        return colon > withoutDigest.lastIndexOf('/');
    }
}
