package io.clustermesh.controller.health;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collection;
import java.util.Locale;

/**
 * How well something works, ordered from best to worst: {@code healthy} (nothing to do),
 * {@code degraded} (works at least partly, but something needs attention), {@code down}
 * (a cluster cannot be reached or a link carries nothing).
 */
public enum HealthStatus {
    HEALTHY, DEGRADED, DOWN;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The check mode's exit code: 0 healthy, 1 degraded, 2 down. */
    public int exitCode() {
        return ordinal();
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
