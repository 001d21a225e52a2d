package io.clustermesh.controller.reachability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every failure reason the matrix gives, pinned by a named case. */
class FailureHintsTest {

    @ParameterizedTest(name = "{0}: {1} {2} → {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                "forward missing (refused)        | PORT_FORWARD | refused       |                                              | forward missing on the router | port-forward on homelab's home router",
                "forward missing (dropped)        | PORT_FORWARD | timeout       | connecting to 198.51.100.200:32379           | forward missing on the router, or a firewall drops | firewall",
                "firewall on the port             | DIRECT       | timeout       | connecting to 203.0.113.10:2379              | firewall on the port          | open the port",
                "nothing listening                | DIRECT       | refused       |                                              | nothing listens at            | has endpoints",
                "wrong CA                         | DIRECT       | tls-error     | certificate signed by unknown authority      | wrong CA                      | re-run enable",
                "client cert rejected (wrong CA)  | DIRECT       | tls-error     | server rejected our client certificate (bad_certificate) | wrong CA           | connect them again",
                "certificate does not name host   | PORT_FORWARD | tls-error     | certificate is not valid for x (hostname mismatch) | does not name the host  | covers the declared endpoint",
                "certificate expired              | DIRECT       | tls-error     | server certificate has expired               | has expired                   | certificates/rotations",
                "forward to another cluster       | PORT_FORWARD | wrong-cluster | permission denied                            | does not serve cluster homelab | point the forward",
                "DNS name gone                    | PORT_FORWARD | unresolved    |                                              | does not resolve              | dynamic DNS",
                "not enabled                      | DIRECT       | no-endpoint   | ClusterMesh is not enabled on homelab        | ClusterMesh is not enabled    | PUT /api/v1/clusters/homelab/clustermesh",
                "device offline                   | TAILSCALE    | device-offline | homelab-proxy is offline                    | device offline                | proxy Pod",
                "key expired                      | TAILSCALE    | key-expired   | node key expired                             | key expired                   | re-authenticate",
                "tailnet silent                   | TAILSCALE    | timeout       | connecting to 100.72.1.9:2379                | no answer over the tailnet    | Tailscale operator"
            })
    void eachFailureHasItsReasonAndHint(
            String name, ReachabilityMode mode, String result, String detail, String reason, String hint) {
        FailureHints.Explanation why = FailureHints.explain(
                mode,
                new ProbeOutcome(ProbeVerdict.of(result), null, detail, List.of()),
                "homelab",
                "198.51.100.200:32379");

        assertThat(why.reason()).contains(reason);
        assertThat(why.hint()).contains(hint);
    }

    @ParameterizedTest
    @CsvSource({"DIRECT", "PORT_FORWARD", "TAILSCALE"})
    void okHasNoReason(ReachabilityMode mode) {
        FailureHints.Explanation why =
                FailureHints.explain(mode, new ProbeOutcome(ProbeVerdict.OK, 3.0, null, List.of()), "homelab", "x:1");

        assertThat(why.reason()).isNull();
        assertThat(why.hint()).isNull();
    }
}
