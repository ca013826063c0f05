package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskJob;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Upstream's simplejob.yaml made into its cluster and runner. */
class JobResourcesTest {

    private static DaskJob simpleJob() throws IOException {
        DaskJob job =
                Serialization.unmarshal(
                        Files.readString(
                                OperatorOnLocalRuntime.MANIFESTS.resolve("simplejob.yaml")),
                        DaskJob.class);
        job.getMetadata().setNamespace("default");
        job.getMetadata().setUid("uid-1");
        return job;
    }

    @Test
    void theRunnerIsUpstreamsPodWithTheSchedulerAddressAndRunsOnce() throws IOException {
        Pod runner = JobResources.runner(simpleJob());

        assertThat(runner.getMetadata().getName()).isEqualTo("simple-job-runner");
        assertThat(runner.getMetadata().getLabels())
                .containsEntry("dask.org/component", "job-runner")
                .containsEntry("dask.org/cluster-name", "simple-job");
        assertThat(runner.getMetadata().getAnnotations())
                .containsEntry("test-annotation", "annotation-value")
                .doesNotContainKeys("kopf.zalando.org/foobar", "kubectl.kubernetes.io");
        assertThat(runner.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(runner.getSpec().getContainers().get(0).getEnv())
                .containsExactly(
                        new EnvVar(
                                "DASK_SCHEDULER_ADDRESS",
                                "tcp://simple-job-scheduler.default.svc.cluster.local:8786",
                                null),
                        new EnvVar("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "300s", null));
        assertThat(runner.getSpec().getContainers().get(0).getArgs()).startsWith("python", "-c");
        assertThat(runner.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("DaskJob");
    }

    @Test
    void theClusterIsNamedAfterTheJobAndOwnedByIt() throws IOException {
        DaskCluster cluster = JobResources.cluster(simpleJob());

        assertThat(cluster.getMetadata().getName()).isEqualTo("simple-job");
        assertThat(cluster.getSpec().getWorker().getReplicas()).isEqualTo(2);
        assertThat(cluster.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-1");
    }

    @Test
    void aRestartPolicyTheUserSetIsKept() throws IOException {
        DaskJob job = simpleJob();
        job.getSpec().getJob().getSpec().setRestartPolicy("OnFailure");

        assertThat(JobResources.runner(job).getSpec().getRestartPolicy()).isEqualTo("OnFailure");
    }
}
