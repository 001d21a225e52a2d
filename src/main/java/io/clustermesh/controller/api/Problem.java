package io.clustermesh.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details, as every error of this API is answered. {@code values} is an extension
 * member of {@code gitops-managed}: the Cilium chart values (YAML) to commit instead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type, String title, int status, String detail, String field, String instance, String values) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, String field, String instance) {
        this(type, title, status, detail, field, instance, null);
    }
}
