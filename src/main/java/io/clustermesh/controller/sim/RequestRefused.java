package io.clustermesh.controller.sim;

/** A request body the simulated API server cannot take, with the HTTP status and reason a real one answers. */
final class RequestRefused extends RuntimeException {
    final int code;
    final String reason;

    RequestRefused(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }
}
