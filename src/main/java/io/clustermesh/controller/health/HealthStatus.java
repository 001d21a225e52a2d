package io.clustermesh.controller.health;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;
import java.util.Locale;

/**
 * How well something works, ordered from best to worst: {@code healthy} (nothing to do),
 * {@code control-plane-only} (a link's clusters share state but pods cannot reach the other
 * cluster's pods: the NAT/port-forward case, issue 17), {@code degraded} (works at least partly,
 * but something needs attention), {@code down} (a cluster cannot be reached or a link carries nothing).
 */
public enum HealthStatus {
    HEALTHY,
    CONTROL_PLANE_ONLY,
    DEGRADED,
    DOWN;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The check mode's exit code (and the status gauge): 0 healthy, 1 control-plane-only or degraded, 2 down. */
    public int exitCode() {
        return switch (this) {
            case HEALTHY -> 0;
            case CONTROL_PLANE_ONLY, DEGRADED -> 1;
            case DOWN -> 2;
        };
    }

    public HealthStatus worse(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    public static HealthStatus worstOf(Collection<HealthStatus> statuses) {
        return statuses.stream().reduce(HEALTHY, HealthStatus::worse);
    }

    /** A link status as {@code LinkStatusService} spells it. */
    public static HealthStatus parse(String label) {
        for (HealthStatus status : values()) {
            if (status.label().equals(label)) {
                return status;
            }
        }
        return DOWN;
    }
}
