package io.clustermesh.controller.tailscale;

/**
 * One logical API v2 operation. {@code requiredScope} names the OAuth scope from the §2 table
 * for 403 messages; {@code idempotent} allows retrying 5xx and transport failures.
 */
record ApiCall(String method, String path, byte[] body, String contentType, String requiredScope, boolean idempotent) {

    static ApiCall get(String path, String scope) {
        return new ApiCall("GET", path, null, null, scope, true);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
