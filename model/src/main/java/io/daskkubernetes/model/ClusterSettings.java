package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The resolved, validated settings of one classic cluster: a value with no I/O behind it. Where
 * each setting came from (arguments, flags, {@code DASK_*} variables, files, defaults) is the
 * business of the resolver in the core module; this record only holds the outcome, so that the
 * model, the command line and tests can all build one from plain values.
 *
 * @param name the cluster's name: the base of every object's name and the value of {@code
 *     dask.org/cluster-name}
 * @param user the login of whoever builds the cluster, escaped for a label value
 * @param namespace the namespace asked for, or empty for the client's current one
 * @param workerTemplate the worker pod template after {@link SpecLint}'s repairs
 * @param schedulerTemplate the scheduler's own pod template, if any
 * @param schedulerServiceTemplate {@code kubernetes.scheduler-service-template}: the Service the
 *     scheduler's is made from (its type, annotations, extra ports)
 * @param pdbTemplate {@code kubernetes.scheduler-pdb-template}
 * @param countStart workers to start with
 * @param countMax the most workers the cluster may have
 * @param env extra environment for the Dask containers
 * @param schedulerServiceType the scheduler Service's type
 * @param idleTimeout the scheduler's {@code --idle-timeout}
 * @param schedulerServiceWaitTimeout how long to wait for the scheduler; zero means for ever
 * @param dashboardLinkTemplate {@code distributed.dashboard.link}
 * @param podDisruptionBudget whether the scheduler gets a PodDisruptionBudget
 * @param findings what {@link SpecLint} found and repaired in the worker template
 */
public record ClusterSettings(
        String name,
        String user,
        Optional<String> namespace,
        Pod workerTemplate,
        Optional<Pod> schedulerTemplate,
        Service schedulerServiceTemplate,
        PodDisruptionBudget pdbTemplate,
        int countStart,
        OptionalInt countMax,
        Map<String, String> env,
        DeployMode deployMode,
        String schedulerServiceType,
        Optional<Duration> idleTimeout,
        Duration schedulerServiceWaitTimeout,
        AffinityMode affinityMode,
        String dashboardLinkTemplate,
        boolean podDisruptionBudget,
        List<LintFinding> findings) {

    public static final Set<String> SERVICE_TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer");

    public ClusterSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(workerTemplate, "workerTemplate");
        Objects.requireNonNull(deployMode, "deployMode");
        Objects.requireNonNull(affinityMode, "affinityMode");
        Objects.requireNonNull(schedulerServiceWaitTimeout, "schedulerServiceWaitTimeout");
        if (countStart < 0) {
            throw new SpecException(
                    "cluster settings", "countStart", countStart + " is negative", "use 0 or more");
        }
        if (!SERVICE_TYPES.contains(schedulerServiceType)) {
            throw new SpecException(
                    "cluster settings",
                    "kubernetes.scheduler-service-type",
                    "\"" + schedulerServiceType + "\" is not a Service type",
                    "use ClusterIP, NodePort or LoadBalancer");
        }
        // Copies made once here, so that the accessors below can hand out copies without
        // checking the templates again.
        workerTemplate = new PodBuilder(workerTemplate).build();
        schedulerTemplate = schedulerTemplate.map(pod -> new PodBuilder(pod).build());
        schedulerServiceTemplate =
                schedulerServiceTemplate == null
                        ? new Service()
                        : new ServiceBuilder(schedulerServiceTemplate).build();
        pdbTemplate =
                pdbTemplate == null
                        ? new PodDisruptionBudget()
                        : new PodDisruptionBudgetBuilder(pdbTemplate).build();
        env = Map.copyOf(env);
        findings = List.copyOf(findings);
    }

    /** Settings with classic's defaults for everything but the name and the worker template. */
    public static ClusterSettings of(String name, Pod workerTemplate) {
        return new ClusterSettings(
                name,
                "dask",
                Optional.empty(),
                workerTemplate,
                Optional.empty(),
                null,
                null,
                0,
                OptionalInt.empty(),
                Map.of(),
                DeployMode.REMOTE,
                "ClusterIP",
                Optional.empty(),
                Duration.ofSeconds(30),
                AffinityMode.PREFERRED,
                DashboardLink.DEFAULT_TEMPLATE,
                true,
                List.of());
    }

    /** A fresh deep copy of the worker template, which the caller may change. */
    @Override
    public Pod workerTemplate() {
        return new PodBuilder(workerTemplate).build();
    }

    @Override
    public Optional<Pod> schedulerTemplate() {
        return schedulerTemplate.map(pod -> new PodBuilder(pod).build());
    }

    @Override
    public Service schedulerServiceTemplate() {
        return new ServiceBuilder(schedulerServiceTemplate).build();
    }

    @Override
    public PodDisruptionBudget pdbTemplate() {
        return new PodDisruptionBudgetBuilder(pdbTemplate).build();
    }
}
