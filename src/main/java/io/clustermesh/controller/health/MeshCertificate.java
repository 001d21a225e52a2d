package io.clustermesh.controller.health;

import io.clustermesh.controller.pki.CertificateInfo;

/** One ClusterMesh certificate found in a cluster's TLS Secret; {@code key} is the Secret key it came from. */
record MeshCertificate(String cluster, String secret, String key, CertificateInfo info) {

    /** What the expiry calendar calls it. */
    String what() {
        return (info.isCa() ? "CA " : "certificate ") + secret + "/" + key + " (CN=" + info.commonName() + ")";
    }
}
