package io.clustermesh.controller.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/v1/links/{a}/{b}/history} answers. {@code status} is the last one seen
 * (healthy, degraded, down, or disconnected once the link is gone from both clusters);
 * {@code flapCount} counts every time the link left {@code healthy}, including transitions no
 * longer kept; {@code transitions} are oldest first and bounded ({@code mesh.health.history-size}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkHistory(
        String a,
        String b,
        String status,
        Instant since,
        int flapCount,
        Instant lastGoodAt,
        List<Transition> transitions) {

    /** {@code from} is {@code unknown} the first time a link is seen. */
    public record Transition(Instant time, String from, String to, String reason) {}
}
