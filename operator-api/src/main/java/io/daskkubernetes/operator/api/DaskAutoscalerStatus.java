package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code status} of a DaskAutoscaler (upstream writes none): the worker count it wants, what the
 * scheduler asked for, the workers the group has, and its last scaling decision with the reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskAutoscalerStatus {

    /** The worker group this autoscaler scales. */
    private String workerGroup;

    /** The replicas it last set on the group (or found there, when it had nothing to change). */
    private Integer desiredWorkers;

    /** The group's live worker pods, as the group reports them. */
    private Integer currentWorkers;

    /** The scheduler's {@code adaptive_target} at the last round, before clamping. */
    private Integer schedulerTarget;

    /** When it last changed the group's replicas (RFC 3339, UTC). */
    private String lastScaleTime;

    /** Its last scale decision: "up 1 -> 5: ..." or "down 5 -> 1: ...". */
    private String lastDecision;

    /**
     * Why it cannot decide now (the scheduler unreachable, the group missing); absent when it can.
     */
    private String message;

    private Long observedGeneration;

    public String getWorkerGroup() {
        return workerGroup;
    }

    public void setWorkerGroup(String workerGroup) {
        this.workerGroup = workerGroup;
    }

    public Integer getDesiredWorkers() {
        return desiredWorkers;
    }

    public void setDesiredWorkers(Integer desiredWorkers) {
        this.desiredWorkers = desiredWorkers;
    }

    public Integer getCurrentWorkers() {
        return currentWorkers;
    }

    public void setCurrentWorkers(Integer currentWorkers) {
        this.currentWorkers = currentWorkers;
    }

    public Integer getSchedulerTarget() {
        return schedulerTarget;
    }

    public void setSchedulerTarget(Integer schedulerTarget) {
        this.schedulerTarget = schedulerTarget;
    }

    public String getLastScaleTime() {
        return lastScaleTime;
    }

    public void setLastScaleTime(String lastScaleTime) {
        this.lastScaleTime = lastScaleTime;
    }

    public String getLastDecision() {
        return lastDecision;
    }

    public void setLastDecision(String lastDecision) {
        this.lastDecision = lastDecision;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
