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

    /**
     * The same reuse where reading costs execs: a release without agent metrics (the chart's
     * default {@code prometheus.enabled=false}) is read with {@code cilium-dbg status -o json} in
     * every agent, and KVStoreMesh without its metrics with {@code kvstoremesh-dbg status}. Longer
     * than the scrape interval so that the steady cost stays under 2 API requests per cluster per
     * minute (bench P4) with a handful of nodes; a change seen by the watches still asks at once.
     */
    @WithName("agent-status-interval")
    @WithDefault("5m")
    Duration agentStatusInterval();

    /**
     * The steady Kubernetes requests a cluster read through execs may cost per minute (bench P4's
     * bound). An exec costs three requests with fabric8 (a pod list and get, then the upgrade), one
     * per agent: a cluster with many nodes is read less often than {@code agent-status-interval}
     * so that its reading cycle stays within this budget. 0.9 leaves room under P4's 2 for the
     * informers' watch renewals (fabric8 renews each of the 8 watches every 5-10 min: about one
     * request per cluster per minute over hours) and for the refresh's granularity. Faults are seen
     * without these readings (watches, the endpoint probe); a mutation or a watched change asks at once.
     */
    @WithName("agent-request-budget-per-minute")
    @WithDefault("0.9")
    double agentRequestBudgetPerMinute();
}
