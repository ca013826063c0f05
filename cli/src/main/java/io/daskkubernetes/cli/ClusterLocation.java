package io.daskkubernetes.cli;

import java.util.Map;

/**
 * Where a started cluster is, as {@code cluster} prints it on standard output for either kind of
 * cluster: three lines for people, or one record in the chosen data format.
 */
record ClusterLocation(
        String name,
        String namespace,
        String scheduler,
        String schedulerInCluster,
        String dashboard) {

    void print(OutputFormat format) {
        if (format == OutputFormat.table) {
            System.out.println("cluster:   " + name + " (namespace " + namespace + ")");
            System.out.println("scheduler: " + scheduler);
            System.out.println("dashboard: " + dashboard);
        } else {
            Output.printRecord(
                    format,
                    Map.of(
                            "name", name,
                            "namespace", namespace,
                            "scheduler", scheduler,
                            "schedulerInCluster", schedulerInCluster,
                            "dashboard", dashboard));
        }
    }
}
