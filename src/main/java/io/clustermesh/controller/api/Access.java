package io.clustermesh.controller.api;

import io.clustermesh.controller.config.MeshConfig;
import io.clustermesh.controller.problems.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may do what under {@code /api/*}: viewers may read, operators may also mutate, anonymous
 * callers only read health and only when {@code mesh.auth.anonymous-health} says so. One decision
 * for the REST filter and for the routes served straight from Vert.x (the cached health).
 */
@ApplicationScoped
public class Access {
    public static final String HEALTH_PATH = "/api/v1/health";
    /** The challenge sent with every 401 (RFC 6750). */
    public static final String CHALLENGE = "Bearer realm=\"clustermesh-controller\"";

    private static final String BEARER = "Bearer ";

    private final TokenRegistry tokens;
    private final boolean anonymousHealth;

    public Access(TokenRegistry tokens, MeshConfig config) {
        this.tokens = tokens;
        this.anonymousHealth = config.auth().anonymousHealth();
    }

    /**
     * The verdict on one request. {@code caller} is set whenever the token was valid, even when
     * its role was too small, so the audit trail can say who was refused.
     */
    public record Verdict(Caller caller, ProblemType refusal, String detail) {
        public boolean allowed() {
            return refusal == null;
        }

        /** The problem document of a refusal; {@code path} becomes its instance. */
        public Problem problem(String path) {
            return new Problem(refusal.uri(), refusal.title(), refusal.httpStatus(), detail, null, path);
        }
    }

    /** Decides a request to {@code path} (under {@code /api/}) with the given Authorization header (or null). */
    public Verdict decide(String method, String path, String authorization) {
        boolean read = isRead(method);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            if (read && anonymousHealth && path.equals(HEALTH_PATH)) {
                return new Verdict(Caller.ANONYMOUS, null, null);
            }
            return new Verdict(null, ProblemType.UNAUTHENTICATED, "send Authorization: Bearer <token>");
        }
        Caller caller = tokens.authenticate(
                        authorization.substring(BEARER.length()).trim())
                .orElse(null);
        if (caller == null) {
            return new Verdict(null, ProblemType.UNAUTHENTICATED, "the bearer token is not valid");
        }
        Role needed = read ? Role.VIEWER : Role.OPERATOR;
        if (!caller.role().allows(needed)) {
            return new Verdict(
                    caller,
                    ProblemType.FORBIDDEN,
                    "this needs the " + needed.label() + " role; token '" + caller.tokenName() + "' has "
                            + caller.role().label());
        }
        return new Verdict(caller, null, null);
    }

    /** GET, HEAD and OPTIONS change nothing; without a switch over strings the common case stays a few compares. */
    public static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }
}
