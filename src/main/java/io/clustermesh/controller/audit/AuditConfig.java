package io.clustermesh.controller.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * {@code mesh.state-dir} (shared: other durable state lives there too) and {@code mesh.audit.*}.
 * The default state dir works without setup in dev and tests; production sets a volume path.
 */
@ConfigMapping(prefix = "mesh")
public interface AuditConfig {

    @WithName("state-dir")
    @WithDefault("${user.home}/.local/state/clustermesh-controller") // same default as HealthConfig: one directory
    String stateDir();

    Audit audit();

    interface Audit {
        /** Entries kept per file; the file rolls over to {@code audit.jsonl.1} at this size, so disk holds at most twice this. */
        @WithName("max-entries")
        @WithDefault("5000")
        int maxEntries();
    }
}
