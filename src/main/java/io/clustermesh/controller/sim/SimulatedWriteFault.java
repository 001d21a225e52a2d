package io.clustermesh.controller.sim;

/** How one armed Kubernetes write of a simulated cluster misbehaves (fault-matrix tests). */
public enum SimulatedWriteFault {
    /** Answers 500 and writes nothing. */
    ERROR_500,
    /** Answers 409 Conflict and writes nothing, as if someone else had written first. */
    CONFLICT_409,
    /** Writes nothing and answers only after the hold time: the client's timeout fires first. */
    HANG,
    /** Writes, but the answer takes the hold time. */
    SLOW
}
