package io.clustermesh.controller.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * {@code mesh.audit.*}. The trail lives in the state directory shared with health
 * ({@code StateDirectory}); production sets a volume path.
 */
@ConfigMapping(prefix = "mesh")
public interface AuditConfig {

    Audit audit();

    interface Audit {
        /** Entries kept per file; the file rolls over to {@code audit.jsonl.1} at this size, so disk holds at most twice this. */
        @WithName("max-entries")
        @WithDefault("5000")
        int maxEntries();
    }
}
