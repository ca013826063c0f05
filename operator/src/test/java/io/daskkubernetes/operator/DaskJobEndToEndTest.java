package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DaskJobs on the local runtime with the operator, real kubectl and real Dask: upstream's
 * simplejob.yaml unchanged (its runner's plain {@code python} included), a runner that exits 3, a
 * running job deleted, and a finished job's TTL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaskJobEndToEndTest {

    private static final Duration PATIENCE = Duration.ofSeconds(50);

    /** Upstream's format, {@code %Y-%m-%dT%H:%M:%SZ}. */
    private static final String UTC_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    private OperatorOnLocalRuntime runtime;
    private Kubectl kubectl;

    @BeforeAll
    void start() {
        runtime = OperatorOnLocalRuntime.start();
        kubectl = runtime.kubectl();
    }

    @AfterAll
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** What a job that did not end shows: its objects, its runner's log and view of the names. */
    private String diagnose(String job) {
        StringBuilder report = new StringBuilder();
        for (List<String> args :
                List.of(
                        List.of("get", "daskjobs,pods,services,endpoints", "-o", "wide"),
                        List.of("logs", job + "-runner", "--tail", "40"),
                        List.of("logs", job + "-scheduler", "--tail", "20"),
                        List.of("exec", job + "-runner", "--", "cat", "/etc/hosts"))) {
            report.append("$ kubectl ").append(String.join(" ", args)).append('\n');
            try {
                report.append(kubectl.run(args.toArray(String[]::new))).append('\n');
            } catch (AssertionError | RuntimeException failed) {
                report.append(failed.getMessage()).append('\n');
            }
        }
        return report.toString();
    }

    @Test
    @Timeout(90)
    void upstreamsSimpleJobSucceedsWithItsTimesAndItsClusterIsDeleted() {
        kubectl.run(
                "apply",
                "-f",
                OperatorOnLocalRuntime.MANIFESTS.resolve("simplejob.yaml").toString());

        try {
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> jobField("simple-job", "jobStatus"), "Successful"::equals);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnose("simple-job"), e);
        }
        assertThat(jobField("simple-job", "clusterName")).isEqualTo("simple-job");
        assertThat(jobField("simple-job", "jobRunnerPodName")).isEqualTo("simple-job-runner");
        String start = jobField("simple-job", "startTime");
        String end = jobField("simple-job", "endTime");
        assertThat(start).matches(UTC_TIME);
        assertThat(end).matches(UTC_TIME);
        assertThat(end).isGreaterThanOrEqualTo(start);
        assertThat(jobField("simple-job", "exitCode")).isEqualTo("0");
        // the runner connected with upstream's own script: Client(name='job') through the Service
        assertThat(
                        kubectl.run(
                                "get",
                                "pod",
                                "simple-job-runner",
                                "-o",
                                "jsonpath={.metadata.labels.dask\\.org/component}"))
                .isEqualTo("job-runner");
        assertThat(
                        kubectl.run(
                                "get",
                                "pod",
                                "simple-job-runner",
                                "-o",
                                "jsonpath={.spec.containers[0].env[?(@.name==\"DASK_SCHEDULER_ADDRESS\")].value}"))
                .isEqualTo("tcp://simple-job-scheduler.default.svc.cluster.local:8786");
        // kubectl's STATUS column of a pod that succeeded
        assertThat(kubectl.run("get", "pod", "simple-job-runner", "--no-headers"))
                .contains("Completed");
        await().atMost(PATIENCE)
                .until(
                        () ->
                                !runtime.exists("daskcluster", "simple-job")
                                        && clusterPods("simple-job").isEmpty());
        assertThat(runtime.events("simple-job"))
                .contains("ClusterCreated: ", "JobRunning: ", "JobSucceeded: ", "ClusterDeleted: ");
        deleteJob("simple-job");
    }

    @Test
    @Timeout(60)
    void aRunnerThatExitsThreeFailsTheJobWithItsExitCodeAndLastLogLines(@TempDir Path dir) {
        runtime.apply(
                dir,
                "failing.yaml",
                job(
                        "failing-job",
                        "import sys; print('about to fail', flush=True); sys.exit(3)",
                        null));

        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> jobField("failing-job", "jobStatus"), "Failed"::equals);
        assertThat(jobField("failing-job", "exitCode")).isEqualTo("3");
        assertThat(jobField("failing-job", "message"))
                .contains("runner container job exited with code 3", "about to fail");
        assertThat(jobField("failing-job", "endTime")).matches(UTC_TIME);
        assertThat(runtime.events("failing-job"))
                .contains("JobFailed: runner container job exited with code 3")
                .contains("about to fail");
        await().atMost(PATIENCE)
                .until(
                        () ->
                                !runtime.exists("daskcluster", "failing-job")
                                        && clusterPods("failing-job").isEmpty());
        deleteJob("failing-job");
    }

    @Test
    @Timeout(60)
    void deletingARunningJobRemovesItsClusterAndRunner(@TempDir Path dir) {
        runtime.apply(dir, "long.yaml", job("long-job", "import time; time.sleep(600)", null));
        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> jobField("long-job", "jobStatus"), "Running"::equals);
        assertThat(jobField("long-job", "startTime")).matches(UTC_TIME);
        assertThat(runtime.exists("daskcluster", "long-job")).isTrue();

        kubectl.run("delete", "daskjob", "long-job", "--wait=false");

        await().atMost(PATIENCE)
                .until(
                        () ->
                                !runtime.exists("daskcluster", "long-job")
                                        && !runtime.exists("pod", "long-job-runner")
                                        && clusterPods("long-job").isEmpty()
                                        && kubectl.run(
                                                        "get",
                                                        "services,daskworkergroups",
                                                        "-l",
                                                        "dask.org/cluster-name=long-job",
                                                        "-o",
                                                        "name")
                                                .isEmpty());
    }

    @Test
    @Timeout(60)
    void aFinishedJobWithATtlIsDeletedWithItsRunner(@TempDir Path dir) {
        runtime.apply(dir, "ttl.yaml", job("ttl-job", "print('done')", 3));

        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> jobField("ttl-job", "jobStatus"), "Successful"::equals);
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                !runtime.exists("daskjob", "ttl-job")
                                        && !runtime.exists("pod", "ttl-job-runner"));
        assertThat(runtime.events("ttl-job")).contains("TTLExpired: ");
    }

    /**
     * Upstream's simplejob.yaml renamed to {@code name}, its runner running {@code script}, with no
     * workers (the scheduler is enough for these tests) and an optional TTL.
     */
    private static String job(String name, String script, Integer ttl) {
        String upstream = OperatorOnLocalRuntime.upstream("simplejob.yaml");
        String yaml =
                upstream.replace("simple-job", name)
                        .replace(
                                "\"from dask.distributed import Client; client ="
                                        + " Client(name='job')\"",
                                "\"" + script + "\"")
                        .replace("replicas: 2", "replicas: 0");
        if (ttl != null) {
            yaml =
                    yaml.replace(
                            "spec:\n  job:\n",
                            "spec:\n  ttlSecondsAfterFinished: " + ttl + "\n  job:\n");
        }
        assertThat(yaml).contains(script).contains("replicas: 0");
        return yaml;
    }

    /** Deletes a finished job and waits until it and its runner are gone. */
    private void deleteJob(String job) {
        kubectl.run("delete", "daskjob", job, "--wait=false");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                !runtime.exists("daskjob", job)
                                        && !runtime.exists("pod", job + "-runner"));
    }

    private String jobField(String job, String field) {
        return kubectl.run("get", "daskjob", job, "-o", "jsonpath={.status." + field + "}");
    }

    /** The pods of the job's cluster (scheduler and workers), not its runner. */
    private String clusterPods(String cluster) {
        return kubectl.run(
                "get",
                "pods",
                "-l",
                "dask.org/cluster-name=" + cluster + ",dask.org/component!=job-runner",
                "-o",
                "name");
    }
}
