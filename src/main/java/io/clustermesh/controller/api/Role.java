package io.clustermesh.controller.api;

import java.util.Locale;

/** What a bearer token may do: viewers read, operators also change clusters. */
public enum Role {
    VIEWER,
    OPERATOR;

    public boolean allows(Role needed) {
        return this.ordinal() >= needed.ordinal();
    }

    public static Role parse(String value) {
        return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
