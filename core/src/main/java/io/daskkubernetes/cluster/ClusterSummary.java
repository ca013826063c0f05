package io.daskkubernetes.cluster;

import java.time.Instant;

/**
 * One cluster found in Kubernetes by its labels.
 *
 * @param schedulerPhase the scheduler pod's phase, or "local" when the scheduler runs outside the
 *     cluster
 * @param workers worker pods that have not ended
 * @param runningWorkers of those, the ones whose phase is Running
 */
public record ClusterSummary(
        String name,
        String namespace,
        String user,
        String schedulerPhase,
        int workers,
        int runningWorkers,
        String schedulerAddress,
        Instant created) {}
