package io.clustermesh.controller.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Short Kubernetes client timeouts, so hung-write faults end quickly. */
public class FastClientTimeoutsResource implements QuarkusTestResourceLifecycleManager {
    public static final String REQUEST_TIMEOUT = "5s";

    @Override
    public Map<String, String> start() {
        return Map.of("mesh.client.request-timeout", REQUEST_TIMEOUT, "mesh.operations.ready-timeout", "20s");
    }

    @Override
    public void stop() {}
}
