package io.clustermesh.controller.api;

/** Who made a request: the token's configured name (never the token) and its role. */
public record Caller(String tokenName, Role role) {
    public static final Caller ANONYMOUS = new Caller("anonymous", null);
    static final String REQUEST_PROPERTY = Caller.class.getName();

    /** The authenticated caller of a request (also set when its role was too small), if any. */
    public static java.util.Optional<Caller> of(jakarta.ws.rs.container.ContainerRequestContext request) {
        return request.getProperty(REQUEST_PROPERTY) instanceof Caller c
                ? java.util.Optional.of(c)
                : java.util.Optional.empty();
    }
}
