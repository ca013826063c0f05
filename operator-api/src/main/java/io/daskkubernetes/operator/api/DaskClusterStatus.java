package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code status} of a DaskCluster: upstream's phase and message, plus replicas and conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskClusterStatus extends ReplicaStatus {

    /** Created, Pending, Running or Error, as upstream. */
    private String phase;

    /** Why the phase is Error. */
    private String message;

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
