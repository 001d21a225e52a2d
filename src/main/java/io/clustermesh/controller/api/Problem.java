package io.clustermesh.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details, as every error of this API is answered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, String instance) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
