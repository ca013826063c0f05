package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code status} of a DaskJob: upstream's fields, and for a runner that failed its exit code and
 * why (as a Kubernetes Job user finds in the pod's state), which upstream does not report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskJobStatus {

    /** JobCreated, ClusterCreated, Running, Successful or Failed. */
    private String jobStatus;

    private String clusterName;
    private String jobRunnerPodName;

    /** UTC, {@code %Y-%m-%dT%H:%M:%SZ}. */
    private String startTime;

    private String endTime;

    /** The runner container's exit code once it has ended. */
    private Integer exitCode;

    /** Why the job failed: the runner's termination reason and the last lines of its log. */
    private String message;

    public String getJobStatus() {
        return jobStatus;
    }

    public void setJobStatus(String jobStatus) {
        this.jobStatus = jobStatus;
    }

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public String getJobRunnerPodName() {
        return jobRunnerPodName;
    }

    public void setJobRunnerPodName(String jobRunnerPodName) {
        this.jobRunnerPodName = jobRunnerPodName;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getEndTime() {
        return endTime;
    }

    public void setEndTime(String endTime) {
        this.endTime = endTime;
    }

    public Integer getExitCode() {
        return exitCode;
    }

    public void setExitCode(Integer exitCode) {
        this.exitCode = exitCode;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
