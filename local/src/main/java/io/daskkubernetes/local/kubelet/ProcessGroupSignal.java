package io.daskkubernetes.local.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a signal to every process of a process group and says whether it got there. It uses bash's
 * builtin {@code kill}, which calls kill(2) on {@code -PGID} directly: Debian's {@code
 * /usr/bin/kill} (procps-ng 4.0.2) prints its usage and exits 1 without signalling anything for
 * PGIDs 2..93, the first PIDs of every PID namespace (containers, CI). A failure is never taken for
 * success: when kill(2) fails and the group still has members, the send is retried and then
 * reported as failed.
 */
final class ProcessGroupSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessGroupSignal.class);
    private static final String BASH = "/bin/bash";

    /** {@code $1} is the signal name, {@code $2} the group; quoted so that nothing is re-parsed. */
    static final String SCRIPT = "kill -s \"$1\" -- \"-$2\"";

    private static final Set<String> SIGNALS = Set.of("TERM", "KILL", "INT", "HUP");
    private static final int ATTEMPTS = 3;
    private static final long RETRY_PAUSE_MILLIS = 100;

    /** What became of a send. */
    enum Outcome {
        /** kill(2) succeeded: every member of the group was signalled. */
        DELIVERED,
        /** The group has no member left (kill(2) answered ESRCH): nothing to signal. */
        GROUP_EMPTY,
        /** kill(2) failed and the group still has members: it was not signalled. */
        FAILED
    }

    private ProcessGroupSignal() {}

    /** The command that signals {@code pgid}; its exit status is kill(2)'s result. */
    static List<String> command(long pgid, String signal) {
        if (!SIGNALS.contains(signal)) {
            throw new IllegalArgumentException(
                    "signal must be one of " + SIGNALS + " (without SIG), not " + signal);
        }
        if (pgid < 2) {
            // -1 would signal every process we may signal, -0 our own group.
            throw new IllegalArgumentException("not a container's process group: " + pgid);
        }
        return List.of(BASH, "-c", SCRIPT, "kill", signal, Long.toString(pgid));
    }

    /** Sends {@code signal} to the group, retrying a failed send; logs every failure. */
    static Outcome send(long pgid, String signal) {
        String error = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            error = trySend(pgid, signal);
            if (error == null) {
                return Outcome.DELIVERED;
            }
            if (ProcessGroups.isEmpty(pgid)) {
                return Outcome.GROUP_EMPTY;
            }
            LOG.warn(
                    "SIG{} to process group {} failed (attempt {} of {}): {}",
                    signal,
                    pgid,
                    attempt,
                    ATTEMPTS,
                    error);
            if (attempt < ATTEMPTS) {
                pause();
            }
        }
        LOG.error("SIG{} could not be sent to process group {}: {}", signal, pgid, error);
        return Outcome.FAILED;
    }

    /** Null when kill(2) succeeded, else what went wrong. */
    private static String trySend(long pgid, String signal) {
        try {
            Process kill =
                    new ProcessBuilder(command(pgid, signal)).redirectErrorStream(true).start();
            kill.getOutputStream().close();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return "bash's kill did not finish in 5 s";
            }
            String output =
                    new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return kill.exitValue() == 0 ? null : "exit " + kill.exitValue() + ": " + output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + BASH + " to signal processes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void pause() {
        try {
            // A retry right away would most likely fail the same way (a busy process table).
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
