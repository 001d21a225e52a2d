package io.clustermesh.controller.cli;

/**
 * Ends a command with {@code exitCode} and a one-line reason on stderr. Messages are built by us
 * from the service's problem documents and never contain the token.
 */
final class CliFailure extends RuntimeException {
    /** The request or the operation failed, or the mesh is not ready ({@code status}). */
    static final int FAILED = 1;
    /** The service could not be reached or refused the token. */
    static final int SERVICE = 3;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
