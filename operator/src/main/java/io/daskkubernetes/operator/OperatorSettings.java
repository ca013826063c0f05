package io.daskkubernetes.operator;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;

/**
 * How to run the operator.
 *
 * @param namespaces where to watch; empty for all namespaces
 * @param installCrds install (or update) the CRDs first; otherwise they must be there
 * @param leaderElection take part in leader election, or act alone
 * @param metrics where the reconcile meters and the cluster and worker gauges go; empty for none
 * @param onLostLeadership what to do when leadership is lost while running (a process should exit
 *     so that it is restarted as a candidate)
 * @param workerAllocation how worker groups create missing pods: at once, or in batches
 */
public record OperatorSettings(
        Set<String> namespaces,
        boolean installCrds,
        Optional<LeaderElection> leaderElection,
        Optional<MeterRegistry> metrics,
        Runnable onLostLeadership,
        WorkerAllocation workerAllocation) {

    public OperatorSettings {
        namespaces = Set.copyOf(namespaces);
    }

    public static OperatorSettings watching(Set<String> namespaces) {
        return new OperatorSettings(
                namespaces,
                false,
                Optional.empty(),
                Optional.empty(),
                () -> {},
                WorkerAllocation.unbatched());
    }

    public OperatorSettings installingCrds(boolean install) {
        return new OperatorSettings(
                namespaces, install, leaderElection, metrics, onLostLeadership, workerAllocation);
    }

    public OperatorSettings electingLeader(LeaderElection election, Runnable onLost) {
        return new OperatorSettings(
                namespaces, installCrds, Optional.of(election), metrics, onLost, workerAllocation);
    }

    public OperatorSettings meteredBy(MeterRegistry registry) {
        return new OperatorSettings(
                namespaces,
                installCrds,
                leaderElection,
                Optional.of(registry),
                onLostLeadership,
                workerAllocation);
    }

    public OperatorSettings allocatingWorkers(WorkerAllocation allocation) {
        return new OperatorSettings(
                namespaces, installCrds, leaderElection, metrics, onLostLeadership, allocation);
    }
}
