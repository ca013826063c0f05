package io.daskkubernetes.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** {@code spec} of a DaskJob: a runner pod and the cluster it runs against. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DaskJobSpec {

    @Required private JobRunnerSpec job;

    @Required private JobClusterSpec cluster;

    /**
     * Seconds after the job finished (Successful or Failed) when the DaskJob, and with it the
     * runner pod, is deleted, as a Kubernetes Job's field of the same name; absent = kept until
     * deleted. Not in upstream's API, so upstream's manifests (which lack it) keep their meaning.
     */
    @Min(0)
    private Integer ttlSecondsAfterFinished;

    public JobRunnerSpec getJob() {
        return job;
    }

    public void setJob(JobRunnerSpec job) {
        this.job = job;
    }

    public JobClusterSpec getCluster() {
        return cluster;
    }

    public void setCluster(JobClusterSpec cluster) {
        this.cluster = cluster;
    }

    public Integer getTtlSecondsAfterFinished() {
        return ttlSecondsAfterFinished;
    }

    public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
        this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
    }
}
