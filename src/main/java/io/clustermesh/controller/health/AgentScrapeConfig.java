package io.clustermesh.controller.health;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** How often the background health refresh asks the Cilium agents ({@code mesh.health.agent-scrape-interval}). */
@ConfigMapping(prefix = "mesh.health")
public interface AgentScrapeConfig {

    /**
     * A cluster's agent verdicts younger than this are reused by the background refresh while
     * its watched cilium-config, cilium-clustermesh Secret and agent pods are unchanged and every
     * remote was ready; {@code GET /api/v1/links} always asks the agents. 0 asks them every refresh.
     */
    @WithName("agent-scrape-interval")
    @WithDefault("2m")
    Duration agentScrapeInterval();
}
