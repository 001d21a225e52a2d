package io.clustermesh.controller.contexts;

/**
 * A kubeconfig source or context that could not be used. The message is written by us, never
 * copied from a parser, because parser messages can quote the offending text (a token, a key).
 */
public record SourceError(String source, String context, String message) {}
