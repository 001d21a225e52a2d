package io.clustermesh.controller.tailscale;

/** Supplies the {@code Authorization} header for API v2 calls (§1). */
interface Authorizer {

    String authorizationHeader();

    /** Drops a cached token after a 401; true when a retry can use a fresh one. */
    boolean invalidate();

    /** What a 401 most likely means for this kind of credential, for the error message. */
    String unauthorizedHint();

    static Authorizer apiKey(TailscaleCredential.ApiKey key) {
        return new Authorizer() {
            @Override
            public String authorizationHeader() {
                return "Bearer " + key.key();
            }

            @Override
            public boolean invalidate() {
                return false;
            }

            @Override
            public String unauthorizedHint() {
                return "the API access token is invalid, expired (they last 1-90 days) or revoked;"
                        + " create a new one and update mesh.tailscale.api-key";
            }
        };
    }
}
