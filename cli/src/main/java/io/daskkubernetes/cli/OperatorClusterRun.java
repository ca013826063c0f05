package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.operator.DaskOperator;
import io.daskkubernetes.operator.api.DaskCluster;
import io.daskkubernetes.operator.client.OperatorKubeCluster;
import io.daskkubernetes.operator.client.WorkerTemplate;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import picocli.CommandLine.ParameterException;

/**
 * {@code cluster --operator}: a DaskCluster made through {@link OperatorKubeCluster} and kept until
 * Ctrl-C or SIGTERM, which delete it; or until someone else deletes it. With {@code --local} the
 * operator runs inside the embedded runtime too.
 */
final class OperatorClusterRun {

    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);

    private final DaskKubernetesCommand root;
    private final ClusterOptions options;

    OperatorClusterRun(DaskKubernetesCommand root, ClusterOptions options) {
        this.root = root;
        this.options = options;
    }

    int call() throws InterruptedException {
        refuseClassicOnlyOptions();
        Progress progress = Progress.onStandardError();
        try (ShutdownSequence shutdown = new ShutdownSequence()) {
            KubernetesTarget target = shutdown.add(root.target());
            if (target.isLocal()) {
                // after the runtime, so closed before it; the cluster after it, closed first
                shutdown.add(DaskOperator.start(target.client(), Set.of(), true));
                progress.step("Dask operator running on the local runtime");
            }
            progress.step("Creating a DaskCluster and waiting for the operator to run it");
            OperatorKubeCluster cluster = shutdown.add(builder(target).start());
            printWhereItIs(cluster);
            if (options.size.adapt != null) {
                cluster.adapt(options.size.adapt.minimum(), options.size.adapt.maximum());
                progress.step(
                        "Adapting between "
                                + options.size.adapt.minimum()
                                + " and "
                                + options.size.adapt.maximum()
                                + " workers (DaskAutoscaler "
                                + cluster.name()
                                + ")");
            }
            int wanted =
                    options.size.adapt != null
                            ? options.size.adapt.minimum()
                            : cluster.resource().getSpec().getWorker().replicasOrDefault();
            progress.step("Waiting for " + wanted + " workers to register");
            cluster.waitForWorkers(wanted, Duration.ofSeconds(options.workerTimeoutSeconds));
            progress.step("Cluster " + cluster.name() + " is ready; press Ctrl-C to close it");
            while (!shutdown.awaitSignal(WATCH_INTERVAL)) {
                if (!shutdown.closing() && !exists(cluster)) {
                    progress.step("DaskCluster " + cluster.name() + " was deleted elsewhere");
                    return 0;
                }
            }
            return 0;
        }
    }

    private static boolean exists(OperatorKubeCluster cluster) {
        try {
            cluster.resource();
            return true;
        } catch (ClusterException gone) {
            return false;
        }
    }

    private OperatorKubeCluster.Builder builder(KubernetesTarget target) {
        OperatorKubeCluster.Builder builder =
                OperatorKubeCluster.builder()
                        // ShutdownSequence closes it, before the runtime it may run on
                        .closeAtExit(false)
                        .kubernetesClient(target.client())
                        .namespace(target.namespace());
        if (options.template.spec != null) {
            builder.customCluster(readDaskCluster());
        }
        if (options.name != null) {
            builder.name(options.name);
        }
        if (options.template.image != null) {
            builder.image(options.template.image);
        }
        resources().ifPresent(builder::resources);
        if (!options.env.isEmpty()) {
            builder.env(options.env);
        }
        if (options.serviceType != null) {
            builder.serviceType(options.serviceType);
        }
        List<String> command = new ArrayList<>(WorkerTemplate.DEFAULT_COMMAND);
        command.addAll(List.of("--nthreads", String.valueOf(options.threads)));
        builder.workerCommand(command);
        if (options.size.workers != null) {
            builder.workers(options.size.workers);
        } else if (options.size.adapt != null) {
            builder.workers(options.size.adapt.minimum());
        }
        return builder;
    }

    /**
     * --memory-limit, --memory-request, --cpu-limit, --cpu-request as the containers' resources.
     */
    private Optional<ResourceRequirements> resources() {
        ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder();
        boolean any = false;
        any |= set(resources::addToLimits, "memory", options.memoryLimit);
        any |= set(resources::addToRequests, "memory", options.memoryRequest);
        any |= set(resources::addToLimits, "cpu", options.cpuLimit);
        any |= set(resources::addToRequests, "cpu", options.cpuRequest);
        return any ? Optional.of(resources.build()) : Optional.empty();
    }

    private static boolean set(
            BiConsumer<String, Quantity> target, String resource, String quantity) {
        if (quantity == null) {
            return false;
        }
        target.accept(resource, new Quantity(quantity));
        return true;
    }

    private DaskCluster readDaskCluster() {
        String yaml;
        try {
            yaml = Files.readString(options.template.spec);
        } catch (IOException e) {
            throw new UncheckedIOException("--spec " + options.template.spec + ": " + e, e);
        }
        Object parsed = Serialization.unmarshal(yaml);
        if (!(parsed instanceof DaskCluster cluster)) {
            throw new ParameterException(
                    options.command.commandLine(),
                    "--spec "
                            + options.template.spec
                            + " is not a DaskCluster; with --operator, --spec takes a whole"
                            + " DaskCluster (kind: DaskCluster), or use --image");
        }
        return cluster;
    }

    private void printWhereItIs(OperatorKubeCluster cluster) {
        new ClusterLocation(
                        cluster.name(),
                        cluster.namespace(),
                        cluster.schedulerAddress(),
                        cluster.schedulerAddressInCluster(),
                        cluster.dashboardLink())
                .print(root.output);
        System.out.flush();
    }

    /** Options that only a classic cluster has, refused as usage errors before anything starts. */
    private void refuseClassicOnlyOptions() {
        List<String> refused = new ArrayList<>();
        if (options.deployMode != null) {
            refused.add("--deploy-mode (the operator runs the scheduler in a pod)");
        }
        if (options.tls != null) {
            refused.add("--tls (the operator's clusters speak plain TCP)");
        }
        if (!refused.isEmpty()) {
            throw new ParameterException(
                    options.command.commandLine(),
                    "with --operator these options do not apply: " + String.join(", ", refused));
        }
        if (options.size.workers != null && options.size.workers < 0) {
            throw new ParameterException(
                    options.command.commandLine(),
                    "--workers is " + options.size.workers + "; use 0 or more workers");
        }
    }
}
