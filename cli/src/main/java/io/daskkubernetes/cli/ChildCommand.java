package io.daskkubernetes.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A user's command run with the cluster's address in its environment, its output passed straight
 * through.
 */
final class ChildCommand {

    private final List<String> command;

    ChildCommand(List<String> command) {
        this.command = List.copyOf(command);
    }

    int run(String schedulerAddress, String dashboardLink) throws InterruptedException {
        return run(schedulerAddress, dashboardLink, Map.of());
    }

    /** With {@code environment} added too (a TLS cluster's client credentials). */
    int run(String schedulerAddress, String dashboardLink, Map<String, String> environment)
            throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(environment);
        builder.environment().put("DASK_SCHEDULER_ADDRESS", schedulerAddress);
        builder.environment().put("DASK_DASHBOARD_LINK", dashboardLink);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot run '"
                            + command.get(0)
                            + "': "
                            + e.getMessage()
                            + "; check the command after --");
        }
        try {
            return process.waitFor();
        } finally {
            // Interrupted or failing: the child must not outlive the cluster it was given.
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }
}
