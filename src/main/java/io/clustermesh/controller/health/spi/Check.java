package io.clustermesh.controller.health.spi;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One named check: what was found ({@code reason}) and, unless it is ok, what to do ({@code hint}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Check(String name, CheckStatus status, String reason, String hint) {

    public static Check ok(String name, String reason) {
        return new Check(name, CheckStatus.OK, reason, null);
    }

    public static Check warning(String name, String reason, String hint) {
        return new Check(name, CheckStatus.WARNING, reason, hint);
    }

    public static Check failing(String name, String reason, String hint) {
        return new Check(name, CheckStatus.FAILING, reason, hint);
    }
}
