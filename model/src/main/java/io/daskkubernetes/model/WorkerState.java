package io.daskkubernetes.model;

/**
 * One worker of a cluster as both sides see it: its pod, and its Dask worker when registered.
 *
 * @param podName the pod's name, which is also the Dask worker's name
 * @param phase the pod's phase (Pending, Running, Succeeded, Failed, Unknown)
 * @param daskAddress the Dask worker's address, or null while it is not registered with the
 *     scheduler
 */
public record WorkerState(String podName, String phase, String daskAddress) {

    public boolean registered() {
        return daskAddress != null;
    }

    /**
     * A pod that has ended no longer counts as a worker; it is deleted by the next scaling action.
     */
    public boolean ended() {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    @Override
    public String toString() {
        return podName
                + " ("
                + phase
                + (registered() ? ", " + daskAddress : ", not registered")
                + ")";
    }
}
