package io.clustermesh.controller.problems;

/**
 * A failure the caller can act on. Messages must never contain credentials: they are shown to
 * API clients and written to logs as they are.
 */
public class ProblemException extends RuntimeException {
    private final ProblemType type;
    private final String field;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, null);
    }

    public ProblemException(ProblemType type, String detail, String field) {
        super(detail);
        this.type = type;
        this.field = field;
    }

    public ProblemType type() {
        return type;
    }

    /** The input at fault (JSON pointer-ish name such as {@code clusterId}), or null. */
    public String field() {
        return field;
    }

    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(ProblemType.INVALID_INPUT, detail, field);
    }
}
