package io.daskkubernetes.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * How this process reaches the scheduler of a cluster that someone else made (the Dask operator's
 * DaskCluster): the same choice as for a classic cluster, in-cluster DNS when running in a pod, the
 * Service's cluster IP when it is routable from here, else a port-forward.
 */
public final class SchedulerAccess {

    private SchedulerAccess() {}

    /**
     * Waits for the scheduler pod to start, then finds the way to its Service.
     *
     * @param wait how long the scheduler may take to start and to answer
     * @return the endpoint; close it to close a port-forward
     */
    public static SchedulerEndpoint reach(
            KubernetesClient client,
            String namespace,
            String schedulerPod,
            String serviceName,
            Duration wait) {
        SchedulerReadiness readiness = new SchedulerReadiness(client, namespace, schedulerPod);
        readiness.awaitStarted(wait);
        return new SchedulerEndpoints(client).reach(namespace, serviceName, wait, readiness);
    }

    /** Whether {@code host:port} accepts a connection from here within a second. */
    public static boolean reachable(String host, int port) {
        return SchedulerEndpoints.reachable(host, port);
    }
}
