package io.clustermesh.controller.cilium;

/**
 * A Cilium command or endpoint answered something that is not the documented format. Callers
 * usually turn this into an "unknown" status for that agent rather than failing the whole request.
 */
public class MalformedCiliumOutputException extends IllegalArgumentException {
    public MalformedCiliumOutputException(String message) {
        super(message);
    }

    public MalformedCiliumOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
