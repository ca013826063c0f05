package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's best practices for a worker template, checked and, where the intent is clear,
 * repaired: obsolete dask-worker flags rewritten (the seed's {@code --no-bokeh} would be taken for
 * the scheduler address by current dask-worker), {@code --nthreads} and {@code --memory-limit}
 * filled in from the container's resources or compared with them, {@code --death-timeout} added,
 * {@code --name} left to the cluster, restartPolicy checked.
 */
public final class SpecLint {

    private static final Logger LOG = LoggerFactory.getLogger(SpecLint.class);

    static final String SCHEDULER_ADDRESS_REFERENCE = "$(DASK_SCHEDULER_ADDRESS)";
    static final String DEFAULT_DEATH_TIMEOUT = "60";

    /** Flags current dask-worker no longer knows, and what they became. */
    private static final Map<String, String> RENAMED_FLAGS =
            Map.of(
                    "--no-bokeh", "--no-dashboard",
                    "--bokeh", "--dashboard",
                    "--bokeh-prefix", "--dashboard-prefix",
                    "--nprocs", "--nworkers");

    private SpecLint() {}

    /** Checks a template; the template itself is not changed. */
    public static LintResult check(Pod template, String sourceName) {
        Pod pod = PodTemplates.fromPod(template, sourceName);
        List<LintFinding> findings = new ArrayList<>();
        checkRestartPolicy(pod, findings);
        int index = workerContainerIndex(pod);
        Container container = pod.getSpec().getContainers().get(index);
        String path = "spec.containers[" + index + "]";
        Optional<WorkerCommandLine> found = WorkerCommandLine.of(container);
        if (found.isEmpty()) {
            findings.add(
                    LintFinding.warning(
                            path + ".args",
                            "no dask-worker in command or args, so the cluster cannot give the worker its --name; "
                                    + "write args such as [dask-worker, --nthreads, '1', --death-timeout, '60']"));
        } else {
            WorkerCommandLine line = found.get();
            String argsPath = path + "." + line.field();
            rewriteObsoleteFlags(line, argsPath, findings);
            checkSchedulerAddress(line, argsPath, findings);
            dropName(line, argsPath, findings);
            checkDeathTimeout(line, argsPath, findings);
            int workers = workersPerPod(line, argsPath, findings);
            checkThreads(line, container, workers, path, findings);
            checkMemory(line, container, workers, path, findings);
            line.writeTo(container);
        }
        findings.forEach(f -> LOG.debug("{}: {}", sourceName, f));
        return new LintResult(pod, findings);
    }

    /**
     * The container that runs dask-worker; the first one when none visibly does (classic used the
     * first).
     */
    static int workerContainerIndex(Pod pod) {
        List<Container> containers = pod.getSpec().getContainers();
        for (int i = 0; i < containers.size(); i++) {
            if (WorkerCommandLine.of(containers.get(i)).isPresent()) {
                return i;
            }
        }
        return 0;
    }

    private static void checkRestartPolicy(Pod pod, List<LintFinding> findings) {
        String policy = pod.getSpec().getRestartPolicy();
        if (policy == null) {
            pod.getSpec().setRestartPolicy("Never");
        } else if (!policy.equals("Never")) {
            findings.add(
                    LintFinding.warning(
                            "spec.restartPolicy",
                            "is "
                                    + policy
                                    + ": a restarted worker comes back under a new address and the cluster loses track "
                                    + "of it; set restartPolicy: Never"));
        }
    }

    private static void rewriteObsoleteFlags(
            WorkerCommandLine line, String path, List<LintFinding> findings) {
        RENAMED_FLAGS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        renamed -> {
                            if (line.has(renamed.getKey())) {
                                line.rename(renamed.getKey(), renamed.getValue());
                                findings.add(
                                        LintFinding.warning(
                                                path,
                                                renamed.getKey()
                                                        + " is no longer a dask-worker option; rewritten to "
                                                        + renamed.getValue()
                                                        + "; write "
                                                        + renamed.getValue()
                                                        + " in the template"));
                            }
                        });
        Optional<String> bokehPort = line.value("--bokeh-port");
        if (bokehPort.isPresent()) {
            line.remove("--bokeh-port");
            line.set("--dashboard-address", ":" + bokehPort.get());
            findings.add(
                    LintFinding.warning(
                            path,
                            "--bokeh-port is no longer a dask-worker option; rewritten to "
                                    + "--dashboard-address :"
                                    + bokehPort.get()
                                    + "; write that in the template"));
        }
        for (String removed : List.of("--reconnect", "--no-reconnect")) {
            if (line.has(removed)) {
                line.remove(removed);
                findings.add(
                        LintFinding.warning(
                                path,
                                removed
                                        + " was removed from dask-worker; dropped; remove it from the template"));
            }
        }
    }

    private static void checkSchedulerAddress(
            WorkerCommandLine line, String path, List<LintFinding> findings) {
        for (int index : line.positionalIndexes()) {
            String word = line.word(index);
            if (!word.equals(SCHEDULER_ADDRESS_REFERENCE)) {
                line.replaceWord(index, SCHEDULER_ADDRESS_REFERENCE);
                findings.add(
                        LintFinding.warning(
                                path,
                                "\""
                                        + word
                                        + "\" would be read as the scheduler address; replaced by "
                                        + SCHEDULER_ADDRESS_REFERENCE
                                        + ", which the cluster sets; leave the address out of the template"));
            }
        }
    }

    private static void dropName(WorkerCommandLine line, String path, List<LintFinding> findings) {
        if (line.has("--name")) {
            line.remove("--name");
            findings.add(
                    LintFinding.warning(
                            path,
                            "--name is given to each worker by the cluster; the template's is dropped; remove it"));
        }
    }

    private static void checkDeathTimeout(
            WorkerCommandLine line, String path, List<LintFinding> findings) {
        if (!line.has("--death-timeout")) {
            line.set("--death-timeout", DEFAULT_DEATH_TIMEOUT);
            findings.add(
                    LintFinding.warning(
                            path,
                            "--death-timeout is missing, so a worker whose scheduler is gone would "
                                    + "run for ever; added --death-timeout "
                                    + DEFAULT_DEATH_TIMEOUT
                                    + "; write it in the template"));
        }
    }

    private static int workersPerPod(
            WorkerCommandLine line, String path, List<LintFinding> findings) {
        Optional<String> value = line.value("--nworkers");
        if (value.isEmpty() || value.get().equals("auto")) {
            return 1;
        }
        try {
            int workers = Integer.parseInt(value.get());
            if (workers >= 1) {
                return workers;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        findings.add(
                LintFinding.error(
                        path,
                        "--nworkers \""
                                + value.get()
                                + "\" is not a positive whole number; use 1 or more"));
        return 1;
    }

    private static void checkThreads(
            WorkerCommandLine line,
            Container container,
            int workers,
            String path,
            List<LintFinding> findings) {
        String argsPath = path + "." + line.field();
        Optional<ResourceValue> cpu = resource(container, "cpu", path);
        Optional<String> threads = line.value("--nthreads");
        if (threads.isEmpty()) {
            if (cpu.isPresent()) {
                long cores = cpu.get().amount().setScale(0, RoundingMode.CEILING).longValue();
                long perWorker = Math.max(1, cores / workers);
                line.set("--nthreads", Long.toString(perWorker));
                findings.add(
                        LintFinding.warning(
                                argsPath,
                                "--nthreads is missing; set to "
                                        + perWorker
                                        + " from "
                                        + cpu.get().path()
                                        + " "
                                        + cpu.get().text()
                                        + "; write --nthreads "
                                        + perWorker
                                        + " in the template"));
            }
            return;
        }
        int count;
        try {
            count = Integer.parseInt(threads.get());
        } catch (NumberFormatException e) {
            count = 0;
        }
        if (count < 1) {
            findings.add(
                    LintFinding.error(
                            argsPath,
                            "--nthreads \""
                                    + threads.get()
                                    + "\" is not a positive whole number; "
                                    + "use 1 or more, such as the container's cpu limit"));
            return;
        }
        if (cpu.isPresent() && cpu.get().isLimit()) {
            BigDecimal wanted = BigDecimal.valueOf((long) count * workers);
            if (wanted.compareTo(cpu.get().amount().setScale(0, RoundingMode.CEILING)) > 0) {
                findings.add(
                        LintFinding.warning(
                                argsPath,
                                "--nthreads "
                                        + count
                                        + (workers > 1 ? " x " + workers + " workers" : "")
                                        + " is more than "
                                        + cpu.get().path()
                                        + " "
                                        + cpu.get().text()
                                        + ", so the threads would be throttled; lower --nthreads or raise the cpu limit"));
            }
        }
    }

    private static void checkMemory(
            WorkerCommandLine line,
            Container container,
            int workers,
            String path,
            List<LintFinding> findings) {
        String argsPath = path + "." + line.field();
        Optional<ResourceValue> memory =
                resource(container, "memory", path).filter(ResourceValue::isLimit);
        Optional<String> limit = line.value("--memory-limit");
        if (limit.isEmpty()) {
            if (memory.isPresent()) {
                long perWorker = memory.get().amount().longValue() / workers;
                line.set("--memory-limit", Long.toString(perWorker));
                findings.add(
                        LintFinding.warning(
                                argsPath,
                                "--memory-limit is missing; set to "
                                        + perWorker
                                        + " bytes from "
                                        + memory.get().path()
                                        + " "
                                        + memory.get().text()
                                        + "; write --memory-limit in the template"));
            }
            return;
        }
        OptionalLong bytes;
        try {
            bytes = DaskByteSize.memoryLimit(limit.get());
        } catch (IllegalArgumentException e) {
            findings.add(
                    LintFinding.error(
                            argsPath,
                            "--memory-limit "
                                    + e.getMessage()
                                    + "; use a size Dask understands, such as 6GB or 6GiB, or auto"));
            return;
        }
        if (memory.isPresent() && bytes.isPresent()) {
            BigDecimal wanted =
                    BigDecimal.valueOf(bytes.getAsLong()).multiply(BigDecimal.valueOf(workers));
            if (wanted.compareTo(memory.get().amount()) > 0) {
                long fits = memory.get().amount().longValue() / workers;
                findings.add(
                        LintFinding.warning(
                                argsPath,
                                "--memory-limit "
                                        + limit.get()
                                        + (workers > 1 ? " x " + workers + " workers" : "")
                                        + " is more than "
                                        + memory.get().path()
                                        + " "
                                        + memory.get().text()
                                        + ", so Kubernetes would kill the worker before Dask spills to disk; use --memory-limit "
                                        + fits
                                        + " or less, or raise the container's memory limit"));
            }
        }
    }

    /** A resource of the container: its limit, or else its request. */
    private static Optional<ResourceValue> resource(Container container, String name, String path) {
        if (container.getResources() == null) {
            return Optional.empty();
        }
        Map<String, Quantity> limits = container.getResources().getLimits();
        if (limits != null && limits.get(name) != null) {
            return Optional.of(
                    new ResourceValue(path + ".resources.limits." + name, limits.get(name), true));
        }
        Map<String, Quantity> requests = container.getResources().getRequests();
        if (requests != null && requests.get(name) != null) {
            return Optional.of(
                    new ResourceValue(
                            path + ".resources.requests." + name, requests.get(name), false));
        }
        return Optional.empty();
    }

    private record ResourceValue(String path, Quantity quantity, boolean isLimit) {
        BigDecimal amount() {
            return Quantity.getAmountInBytes(quantity);
        }

        String text() {
            return quantity.toString();
        }
    }
}
