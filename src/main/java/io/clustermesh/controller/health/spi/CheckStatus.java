package io.clustermesh.controller.health.spi;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The outcome of one check: fine, needs attention soon, or broken now. */
public enum CheckStatus {
    OK,
    WARNING,
    FAILING;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
