package io.clustermesh.controller.operations;

/** What a running operation's work may do: report its steps as it goes. */
public interface OperationContext {

    String operationId();

    /** Declares the steps up front so progress has a denominator. */
    void plan(java.util.List<String> stepNames);

    void start(String step);

    void succeed(String step, String message);

    void fail(String step, String message);

    /** Adds a step discovered while running (it counts towards the total). */
    void addStep(String step);
}
