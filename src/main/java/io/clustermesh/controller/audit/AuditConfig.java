package io.clustermesh.controller.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/**
 * {@code mesh.audit.*}. The trail lives in the state directory shared with health
 * ({@code StateDirectory}); production sets a volume path.
 */
@ConfigMapping(prefix = "mesh")
public interface AuditConfig {

    Audit audit();

    /** Retention of the trail (docs/hardening.md): an entry goes only when it is both older than {@code retention} and beyond {@code max-entries}. */
    interface Audit {
        /** Entries kept once they are older than the retention; younger ones are kept whatever their number. */
        @WithName("max-entries")
        @WithDefault("5000")
        int maxEntries();

        /** How long every entry is kept at least. */
        @WithDefault("P90D")
        Duration retention();
    }
}
