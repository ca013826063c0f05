package io.daskkubernetes.cli;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes what a long-running command opened, last opened first, once: on Ctrl-C (SIGINT), SIGTERM
 * or a normal end. A cluster must go before the runtime it runs on.
 */
final class ShutdownSequence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dask-kubernetes");

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    /**
     * Set once a signal (Ctrl-C, SIGTERM) started the JVM's shutdown: the command's own thread may
     * still be running, and fail because what it was using is being closed under it.
     */
    private static volatile boolean stoppedBySignal;

    private final Thread hook = new Thread(this::closeOnSignal, "dask-kubernetes-shutdown");
    private boolean done;
    private volatile boolean closing;

    ShutdownSequence() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    synchronized <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Blocks until a signal (or {@link #close}) has closed everything. */
    void awaitSignal() throws InterruptedException {
        closed.await();
    }

    /** Waits at most {@code timeout} for a signal; true once everything is closed. */
    boolean awaitSignal(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * True once a signal is stopping this process: a failure of the command's thread is then the
     * consequence of the closing, not an error to report.
     */
    static boolean stoppedBySignal() {
        return stoppedBySignal;
    }

    /**
     * Whether closing has begun (a signal came): what a watcher sees from then on is the closing,
     * not a failure.
     */
    boolean closing() {
        return closing;
    }

    private void closeOnSignal() {
        stoppedBySignal = true;
        if (Logging.format() == Logging.Format.json) {
            LOG.info("interrupted; closing what it started");
        } else {
            System.err.println("dask-kubernetes: interrupted; closing what it started");
        }
        closeAll();
    }

    private void closeAll() {
        closing = true;
        closeAllOnce();
    }

    private synchronized void closeAllOnce() {
        if (done) {
            return;
        }
        done = true;
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println(
                        "dask-kubernetes: while shutting down: " + ErrorReporter.describe(e));
            }
        }
        closed.countDown();
    }

    @Override
    public void close() {
        closeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or ran: it closed everything.
        }
    }
}
