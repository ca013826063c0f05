package io.daskkubernetes.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

class SpecLintTest {

    private static Pod pod(String yaml) {
        return PodTemplates.fromYamlString(yaml, "test.yml");
    }

    private static Container worker(LintResult result) {
        return result.repaired().getSpec().getContainers().get(0);
    }

    @Test
    void seedSpecBecomesAWorkingWorkerWithOneWarning() {
        Pod seed = PodTemplatesTest.seedTemplate();

        LintResult result = SpecLint.check(seed, "worker-spec.yml");

        assertThat(worker(result).getArgs())
                .containsExactly(
                        "dask-worker",
                        "--nthreads",
                        "2",
                        "--no-dashboard",
                        "--memory-limit",
                        "6GB",
                        "--death-timeout",
                        "60");
        assertThat(result.findings())
                .singleElement()
                .satisfies(
                        finding -> {
                            assertThat(finding.severity()).isEqualTo(LintFinding.Severity.WARNING);
                            assertThat(finding.fieldPath()).isEqualTo("spec.containers[0].args");
                            assertThat(finding.message())
                                    .contains("--no-bokeh")
                                    .contains("--no-dashboard");
                        });
        // --memory-limit 6GB (6e9 bytes for Dask) and limits.memory 6G (6e9 bytes) agree: no
        // warning about them
        assertThat(DaskByteSize.memoryLimit("6GB")).hasValue(6_000_000_000L);
        assertThat(result.findings()).noneMatch(f -> f.message().contains("--memory-limit"));
        // the input is untouched
        assertThat(seed.getSpec().getContainers().get(0).getArgs()).contains("--no-bokeh");
    }

    @Test
    void flagsAreFilledInFromResourcesWhenAbsent() {
        LintResult result =
                SpecLint.check(
                        pod(
                                """
                spec:
                  containers:
                  - name: w
                    image: i
                    args: [dask-worker]
                    resources:
                      limits: {cpu: "1.5", memory: 2Gi}
                """),
                        "t");

        assertThat(worker(result).getArgs())
                .containsExactly(
                        "dask-worker",
                        "--death-timeout",
                        "60",
                        "--nthreads",
                        "2",
                        "--memory-limit",
                        "2147483648");
        assertThat(result.repaired().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(result.warnings())
                .extracting(LintFinding::message)
                .anySatisfy(m -> assertThat(m).contains("--death-timeout is missing"))
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains(
                                                "--nthreads is missing; set to 2 from spec.containers[0].resources.limits.cpu 1.5"))
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains(
                                                "--memory-limit is missing; set to 2147483648 bytes"));
        assertThat(result.hasErrors()).isFalse();
    }

    @Test
    void disagreeingResourcesAreWarnedNotChanged() {
        LintResult result =
                SpecLint.check(
                        pod(
                                """
                spec:
                  restartPolicy: Always
                  containers:
                  - name: w
                    image: i
                    args: [dask-worker, --nthreads, "4", --memory-limit, 8GB, --death-timeout, "60"]
                    resources:
                      limits: {cpu: "2", memory: 6G}
                """),
                        "t");

        assertThat(worker(result).getArgs())
                .containsExactly(
                        "dask-worker",
                        "--nthreads",
                        "4",
                        "--memory-limit",
                        "8GB",
                        "--death-timeout",
                        "60");
        assertThat(result.repaired().getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThat(result.warnings())
                .extracting(LintFinding::message)
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains(
                                                "--nthreads 4 is more than spec.containers[0].resources.limits.cpu 2"))
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains("--memory-limit 8GB is more than")
                                        .contains("use --memory-limit 6000000000 or less"))
                .anySatisfy(m -> assertThat(m).contains("set restartPolicy: Never"));
    }

    @Test
    void obsoleteFlagsNamesAndFixedAddressesAreRewritten() {
        LintResult result =
                SpecLint.check(
                        pod(
                                """
                spec:
                  containers:
                  - name: sidecar
                    image: busybox
                  - name: w
                    image: i
                    command: [dask-worker]
                    args: [tcp://old-scheduler:8786, --bokeh-port, "8790", --nprocs, "2", --name, fixed, --no-reconnect, --death-timeout=30]
                """),
                        "t");

        Container worker = result.repaired().getSpec().getContainers().get(1);
        assertThat(worker.getCommand()).containsExactly("dask-worker");
        assertThat(worker.getArgs())
                .containsExactly(
                        "$(DASK_SCHEDULER_ADDRESS)",
                        "--nworkers",
                        "2",
                        "--death-timeout=30",
                        "--dashboard-address",
                        ":8790");
        assertThat(result.warnings())
                .extracting(LintFinding::fieldPath)
                .containsOnly("spec.containers[1].command");
        assertThat(result.warnings()).hasSize(5);
    }

    @Test
    void unreadableFlagValuesAreErrors() {
        LintResult result =
                SpecLint.check(
                        pod(
                                """
                spec:
                  containers:
                  - name: w
                    image: i
                    args: [dask-worker, --nthreads, two, --memory-limit, 6X, --death-timeout, "60"]
                """),
                        "t");

        assertThat(result.errors())
                .extracting(LintFinding::message)
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains(
                                                "--nthreads \"two\" is not a positive whole number"))
                .anySatisfy(
                        m ->
                                assertThat(m)
                                        .contains(
                                                "--memory-limit \"6X\" has an unknown unit \"X\"; use a size Dask understands"));
    }

    @Test
    void templateWithoutDaskWorkerIsWarned() {
        LintResult result =
                SpecLint.check(
                        pod(
                                """
                spec:
                  containers:
                  - name: w
                    image: i
                """),
                        "t");
        assertThat(result.warnings())
                .singleElement()
                .satisfies(
                        f -> assertThat(f.message()).contains("no dask-worker in command or args"));
    }
}
