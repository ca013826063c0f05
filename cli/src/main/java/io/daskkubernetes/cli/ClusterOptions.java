package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.config.PodTemplateFiles;
import io.daskkubernetes.model.DeployMode;
import io.daskkubernetes.model.MakePodSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that describe a cluster to start, shared by {@code cluster}, {@code run} and {@code
 * demo}.
 */
final class ClusterOptions {

    /** The command these options are mixed into, for its usage errors. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Template template = new Template();

    static final class Template {
        @Option(
                names = "--spec",
                paramLabel = "FILE",
                description = "Worker pod spec (YAML), as for KubeCluster.from_yaml.")
        Path spec;

        @Option(
                names = "--image",
                paramLabel = "IMAGE",
                description = "Make the worker pod from this image (make_pod_spec).")
        String image;
    }

    @Option(
            names = "--nthreads",
            paramLabel = "N",
            description = "With --image: threads per worker (default: 1).")
    int threads = 1;

    @Option(
            names = "--memory-limit",
            paramLabel = "QTY",
            description = "With --image: memory limit, e.g. 4G.")
    String memoryLimit;

    @Option(
            names = "--memory-request",
            paramLabel = "QTY",
            description = "With --image: memory request.")
    String memoryRequest;

    @Option(names = "--cpu-limit", paramLabel = "QTY", description = "With --image: CPU limit.")
    String cpuLimit;

    @Option(names = "--cpu-request", paramLabel = "QTY", description = "With --image: CPU request.")
    String cpuRequest;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Size size = new Size();

    static final class Size {
        @Option(
                names = "--workers",
                paramLabel = "N",
                description = "Number of workers (default: kubernetes.count.start).")
        Integer workers;

        @Option(
                names = "--adapt",
                paramLabel = "MIN:MAX",
                converter = AdaptRange.Converter.class,
                description = "Scale adaptively between MIN and MAX workers.")
        AdaptRange adapt;
    }

    @Option(
            names = "--name",
            paramLabel = "TEMPLATE",
            description = "Cluster name template (default: kubernetes.name).")
    String name;

    @Option(
            names = "--deploy-mode",
            paramLabel = "MODE",
            description = "remote (scheduler in a pod) or local (scheduler here).")
    String deployMode;

    @Option(
            names = "--service-type",
            paramLabel = "TYPE",
            description = "Scheduler Service type (default: ClusterIP).")
    String serviceType;

    @Option(
            names = "--env",
            paramLabel = "KEY=VALUE",
            description = "Environment variable for every container (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(
            names = "--tls",
            negatable = true,
            description =
                    "Encrypt and authenticate every Dask connection with certificates made for"
                            + " this cluster; plain TCP is then refused (default: kubernetes.tls).")
    Boolean tls;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "How long to wait for the workers (default: 300).")
    int workerTimeoutSeconds = 300;

    /**
     * Starts the cluster the options describe, without workers yet; {@link #workersWanted} tells
     * how many.
     */
    KubeCluster start(KubernetesTarget target) {
        KubeCluster.Builder builder =
                KubeCluster.builder()
                        .closeAtExit(
                                false) // ShutdownSequence closes it, before the runtime it may run
                        // on
                        .kubernetesClient(target.client())
                        .namespace(target.namespace());
        if (template.spec != null) {
            builder.workerTemplate(PodTemplateFiles.read(template.spec));
        } else if (template.image != null) {
            MakePodSpec.Builder pod =
                    MakePodSpec.builder().image(template.image).threadsPerWorker(threads);
            if (memoryLimit != null) {
                pod.memoryLimit(memoryLimit);
            }
            if (memoryRequest != null) {
                pod.memoryRequest(memoryRequest);
            }
            if (cpuLimit != null) {
                pod.cpuLimit(cpuLimit);
            }
            if (cpuRequest != null) {
                pod.cpuRequest(cpuRequest);
            }
            builder.workerTemplate(pod.build());
        }
        if (name != null) {
            builder.name(name);
        }
        if (deployMode != null) {
            builder.deployMode(DeployMode.parse(deployMode));
        }
        if (serviceType != null) {
            builder.serviceType(serviceType);
        }
        if (!env.isEmpty()) {
            builder.env(env);
        }
        if (tls != null) {
            builder.tls(tls);
        }
        // Workers are added after the start, so that their progress can be shown.
        builder.scaleOnStart(false);
        return builder.start();
    }

    /** Usage errors found before anything starts, as picocli reports its own. */
    private void validate() {
        if (size.workers != null && size.workers < 0) {
            throw new ParameterException(
                    command.commandLine(),
                    "--workers is " + size.workers + "; use 0 or more workers");
        }
        if (workerTimeoutSeconds <= 0) {
            throw new ParameterException(
                    command.commandLine(),
                    "--timeout is " + workerTimeoutSeconds + "; use a positive number of seconds");
        }
    }

    /**
     * Opens the target and starts the cluster on it, both closed by {@code shutdown} in the right
     * order.
     */
    KubeCluster startOn(DaskKubernetesCommand root, ShutdownSequence shutdown, Progress progress) {
        validate();
        KubernetesTarget target = shutdown.add(root.target());
        progress.step("Starting the scheduler" + (target.isLocal() ? " on the local runtime" : ""));
        return shutdown.add(start(target));
    }

    /** Applies --workers or --adapt and waits, showing progress, for the workers to register. */
    void scaleAndWait(KubeCluster cluster, int defaultWorkers, Progress progress) {
        scaleAndWait(cluster, defaultWorkers, progress, Map.of());
    }

    /**
     * As {@link #scaleAndWait(KubeCluster, int, Progress)}, comparing the versions of {@code
     * clients} (local processes that will use the cluster) with the cluster's too.
     */
    void scaleAndWait(
            KubeCluster cluster,
            int defaultWorkers,
            Progress progress,
            Map<String, Map<String, String>> clients) {
        if (size.adapt != null) {
            cluster.adapt(size.adapt.minimum(), size.adapt.maximum());
            progress.awaitWorkers(cluster, size.adapt.minimum(), workerTimeoutSeconds);
            warnOfVersionMismatches(cluster, progress, clients);
            return;
        }
        int workers = size.workers != null ? size.workers : defaultWorkers;
        // kubernetes.count.max may clamp the request: wait for what was actually asked of it.
        int target = cluster.scale(workers);
        progress.awaitWorkers(cluster, target, workerTimeoutSeconds);
        warnOfVersionMismatches(cluster, progress, clients);
    }

    /** The seed's first best practice: the same versions everywhere, checked before any work. */
    private static void warnOfVersionMismatches(
            KubeCluster cluster, Progress progress, Map<String, Map<String, String>> clients) {
        List<String> mismatches = cluster.versionMismatches(clients);
        if (!mismatches.isEmpty()) {
            progress.step(
                    "Warning: the scheduler, workers"
                            + (clients.isEmpty() ? "" : " and client")
                            + " run different versions of:\n    "
                            + String.join("\n    ", mismatches)
                            + "\n    Build one image for scheduler, workers and client.");
        }
    }
}
