package io.clustermesh.controller.api;

/** Who made a request: the token's configured name (never the token) and its role. */
public record Caller(String tokenName, Role role) {
    public static final Caller ANONYMOUS = new Caller("anonymous", null);
    static final String REQUEST_PROPERTY = Caller.class.getName();
}
