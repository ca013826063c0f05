package io.daskkubernetes.operator.deploy;

import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.api.DaskJob;
import io.daskkubernetes.operator.api.DaskJobSpec;
import io.daskkubernetes.operator.api.JobClusterSpec;
import io.daskkubernetes.operator.api.JobRunnerSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A DaskCluster whose pods only sleep: for tests of who acts and what is counted, not of Dask. */
final class CheapCluster {

    /** Also read by the cli module's tests (LoggingTest), by this path relative to their module. */
    private static final Path FIXTURE =
            Path.of("..", "operator", "src", "test", "resources", "fixtures")
                    .resolve("sleeping-daskcluster.yaml");

    private CheapCluster() {}

    static DaskCluster of(String name, int workers) {
        DaskCluster cluster = Serialization.unmarshal(read(FIXTURE), DaskCluster.class);
        cluster.getMetadata().setName(name);
        cluster.getSpec().getWorker().setReplicas(workers);
        cluster.getSpec()
                .getScheduler()
                .getService()
                .getSelector()
                .put("dask.org/cluster-name", name);
        return cluster;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A DaskJob whose cluster only sleeps and whose runner prints a line and exits 3, deleted
     * {@code ttlSeconds} after it fails.
     */
    static DaskJob failingJob(String name, int ttlSeconds) {
        DaskCluster cluster = of(name, 0);
        DaskJob job = new DaskJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        DaskJobSpec spec = new DaskJobSpec();
        spec.setTtlSecondsAfterFinished(ttlSeconds);
        JobRunnerSpec runner = new JobRunnerSpec();
        runner.setSpec(
                new PodSpecBuilder()
                        .addNewContainer()
                        .withName("job")
                        .withImage("none")
                        .withCommand("sh", "-c", "echo failing; exit 3")
                        .endContainer()
                        .build());
        spec.setJob(runner);
        JobClusterSpec jobCluster = new JobClusterSpec();
        jobCluster.setSpec(cluster.getSpec());
        spec.setCluster(jobCluster);
        job.setSpec(spec);
        return job;
    }
}
