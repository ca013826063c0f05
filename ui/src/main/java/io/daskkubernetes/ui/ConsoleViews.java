package io.daskkubernetes.ui;

import java.util.List;

/** The JSON the pages read: records that Jackson writes as they are. */
final class ConsoleViews {

    private ConsoleViews() {}

    /**
     * One line of the clusters page.
     *
     * @param registered workers the scheduler knows, null when it did not answer
     * @param pods worker pods that have not ended
     * @param desired the desired worker count, null when none was recorded
     * @param adaptMinimum null unless the cluster adapts
     * @param schedulerAddress the scheduler's address as this process asks it
     * @param schedulerReachedBy how: "cluster IP", "port-forward" (through the API server, when the
     *     cluster IP does not route here), "LoadBalancer ingress" or "client's process"; null
     *     before the first sample
     */
    record ClusterRow(
            String kind,
            String namespace,
            String name,
            String phase,
            Integer registered,
            int pods,
            Integer desired,
            Integer adaptMinimum,
            Integer adaptMaximum,
            Long ageSeconds,
            String schedulerAddress,
            String schedulerReachedBy,
            List<String> problems) {}

    /**
     * A Dask worker joined with its pod; either side may be missing.
     *
     * @param note "replaced" for a failed pod whose cluster is back at its desired count, "no pod"
     *     for a Dask worker without one
     * @param processing tasks on the worker that are not finished
     */
    record WorkerRow(
            String pod,
            String phase,
            int restarts,
            String note,
            String daskStatus,
            String address,
            long memoryBytes,
            long memoryLimit,
            int processing) {}

    record EventRow(
            String time, String type, String reason, String object, String message, int count) {}

    record DecisionRow(String time, String text) {}

    /** Columns of the chart, uPlot's layout: times in epoch seconds, then one array a line. */
    record History(
            List<Double> t,
            List<Integer> desired,
            List<Integer> pods,
            List<Integer> registered,
            List<Integer> backlog) {}

    /**
     * @param canScale whether scale controls are shown: writes allowed and not adapting
     * @param canAdapt whether adapt controls are shown: writes allowed and a DaskCluster (a classic
     *     cluster adapts in the process that started it)
     * @param scaleNote why a control is absent, for the page
     */
    record ClusterDetail(
            ClusterRow cluster,
            List<WorkerRow> workers,
            List<EventRow> events,
            List<DecisionRow> decisions,
            History history,
            boolean canScale,
            boolean canAdapt,
            String scaleNote) {}

    record Fleet(boolean allowScaling, long samplingMillis, List<ClusterRow> clusters) {}
}
