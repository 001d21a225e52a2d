package io.clustermesh.controller.pki;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One BouncyCastle provider instance handed to the builders that need it. It is never registered
 * with {@code Security.addProvider}: the JVM's global provider list stays as Quarkus and the
 * Kubernetes client expect it.
 */
final class BouncyCastle {
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {}
}
