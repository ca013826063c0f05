package io.daskkubernetes.cli;

import io.daskkubernetes.cluster.ClusterException;
import io.daskkubernetes.cluster.KubeCluster;
import io.daskkubernetes.model.WorkerState;
import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a person sees while a command waits: a progress bar on a terminal, one line per change
 * otherwise (logs, CI), always on standard error so that standard output stays data. With JSON logs
 * (a log collector reads standard error, not a person) each line is an info log event instead.
 */
final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger("dask-kubernetes");

    private final PrintStream err;
    private final boolean terminal;
    private final boolean asLogEvents;

    Progress(PrintStream err, boolean terminal, boolean asLogEvents) {
        this.err = err;
        this.terminal = terminal && !asLogEvents;
        this.asLogEvents = asLogEvents;
    }

    static Progress onStandardError() {
        return new Progress(
                System.err, System.console() != null, Logging.format() == Logging.Format.json);
    }

    void step(String message) {
        if (asLogEvents) {
            LOG.info(message);
        } else {
            err.println(terminal ? "\u001b[1m==>\u001b[0m " + message : "==> " + message);
        }
    }

    /**
     * Waits until {@code wanted} workers are registered with the scheduler, showing how many are;
     * fails after {@code timeoutSeconds}, or at once when a worker pod fails before registering.
     */
    void awaitWorkers(KubeCluster cluster, int wanted, int timeoutSeconds) {
        if (wanted == 0) {
            return;
        }
        try (ProgressBar bar = terminal ? bar(wanted) : null) {
            long[] shown = {-1};
            try {
                cluster.waitForWorkers(
                        wanted,
                        Duration.ofSeconds(timeoutSeconds),
                        workers -> {
                            long registered =
                                    workers.stream().filter(WorkerState::registered).count();
                            if (registered == shown[0]) {
                                return;
                            }
                            shown[0] = registered;
                            if (bar != null) {
                                bar.stepTo(Math.min(registered, wanted));
                                bar.setExtraMessage(workers.size() + " pods");
                            } else {
                                line(
                                        "    workers registered: "
                                                + registered
                                                + "/"
                                                + wanted
                                                + " ("
                                                + workers.size()
                                                + (workers.size() == 1 ? " pod)" : " pods)"));
                            }
                        });
            } catch (ClusterException e) {
                if (e.getMessage().startsWith("only ")) {
                    throw new ClusterException(
                            e.getMessage()
                                    + "; see 'dask-kubernetes logs "
                                    + cluster.name()
                                    + "' while it runs, or raise --timeout",
                            e);
                }
                throw e;
            }
        }
    }

    private void line(String text) {
        if (asLogEvents) {
            LOG.info(text.strip());
        } else {
            err.println(text);
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
}
