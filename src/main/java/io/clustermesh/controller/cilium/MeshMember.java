package io.clustermesh.controller.cilium;

/**
 * One cluster as the mesh validator sees it.
 *
 * @param clusterKey our key for the cluster (kubeconfig context), used to name it in findings even
 *                   when its Cilium cluster-name is missing or duplicated
 */
public record MeshMember(String clusterKey, CiliumConfig config) {}
