package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code status} of a DaskJob, upstream's fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskJobStatus {

    /** JobCreated, ClusterCreated, Running, Successful or Failed. */
    private String jobStatus;

    private String clusterName;
    private String jobRunnerPodName;

    /** UTC, {@code %Y-%m-%dT%H:%M:%SZ}. */
    private String startTime;

    private String endTime;

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
}
