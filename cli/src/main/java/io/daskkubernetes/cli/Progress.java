package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.model.WorkerState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a person sees while a command waits: a progress bar on a terminal, one line per change
 * otherwise (logs, CI), always on standard error so that standard output stays data.
 */
final class Progress {

    private static final Duration POLL = Duration.ofMillis(250);

    private final PrintStream err;
    private final boolean terminal;

    Progress(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static Progress onStandardError() {
        return new Progress(System.err, System.console() != null);
    }

    void step(String message) {
        err.println(terminal ? "\u001b[1m==>\u001b[0m " + message : "==> " + message);
    }

    /**
     * Waits until {@code wanted} workers are registered with the scheduler; fails after {@code
     * timeoutSeconds}.
     */
    void awaitWorkers(KubeCluster cluster, int wanted, int timeoutSeconds) {
        if (wanted == 0) {
            return;
        }
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
        try (ProgressBar bar = terminal ? bar(wanted) : null) {
            long shown = -1;
            while (true) {
                List<WorkerState> workers = cluster.workers();
                long registered = workers.stream().filter(WorkerState::registered).count();
                if (registered != shown) {
                    shown = registered;
                    if (bar != null) {
                        bar.stepTo(Math.min(registered, wanted));
                        bar.setExtraMessage(workers.size() + " pods");
                    } else {
                        err.println(
                                "    workers registered: "
                                        + registered
                                        + "/"
                                        + wanted
                                        + " ("
                                        + workers.size()
                                        + " pods)");
                    }
                }
                if (registered >= wanted) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "only "
                                    + registered
                                    + " of "
                                    + wanted
                                    + " workers registered after "
                                    + timeoutSeconds
                                    + " s; see 'dask-kubernetes logs "
                                    + cluster.name()
                                    + "' or raise --timeout");
                }
                pause();
            }
        }
    }

    private ProgressBar bar(int wanted) {
        return new ProgressBarBuilder()
                .setTaskName("Workers")
                .setInitialMax(wanted)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(200)
                .continuousUpdate()
                .build();
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis()); // polling the cluster's state, not synchronising with it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for workers", e);
        }
    }
}
