package io.daskkubernetes.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Makes the scheduler's {@code --idle-timeout} count only once its client's lease has lapsed. Dask
 * (2022.12) calls a scheduler idle when no task is queued or running, whether or not a client is
 * connected; on its own, {@code --idle-timeout} would close the cluster of a live but quiet client.
 * A scheduler preload (Python, run by {@code dask-scheduler} at start) adds the {@value #RENEW_OP}
 * operation, which the client calls as it renews its lease, and wraps Dask's idle check so that it
 * runs only when no renewal came within the lease's duration. When the scheduler then closes, it
 * closes its workers; their pods end (restartPolicy Never).
 */
public final class SchedulerLease {

    /** The operation the client sends over Dask's protocol: {@code {"duration": seconds}}. */
    public static final String RENEW_OP = "dask_kubernetes_lease";

    /** The preload's answer; any other answer means the scheduler runs without it. */
    public static final String RENEWED = "renewed";

    public static final String PRELOAD_ENV = "DASK_DISTRIBUTED__SCHEDULER__PRELOAD";
    public static final String DURATION_ENV = "DASK_KUBERNETES_LEASE_DURATION";

    /**
     * Text of a Python module: Dask's preload takes text with spaces as a script. ASCII only, so
     * that its JSON string form is also a Python string literal.
     */
    static final String PRELOAD =
            """
            # dask-kubernetes for the JVM: the idle timeout counts only once the client's lease lapsed
            import logging
            import os
            import time

            from tornado.ioloop import PeriodicCallback

            logger = logging.getLogger("distributed.scheduler.lease")


            def dask_setup(scheduler):
                duration = float(os.environ.get("%s", "60"))
                # Until the client first reaches the scheduler (after its pod is ready), at least
                # a minute: a slow start must not look like a dead client.
                lease = {"renewed": time.monotonic(), "duration": max(duration, 60.0), "expired": False}

                def renew(duration=None, holder=None):
                    if duration is not None:
                        lease["duration"] = float(duration)
                    lease["renewed"] = time.monotonic()
                    if lease["expired"]:
                        logger.info("Lease renewed again by %%s", holder)
                        lease["expired"] = False
                    return "%s"

                scheduler.handlers["%s"] = renew
                if not scheduler.idle_timeout:
                    return

                def check_idle():
                    if time.monotonic() - lease["renewed"] < lease["duration"]:
                        scheduler.idle_since = None
                        return
                    if not lease["expired"]:
                        lease["expired"] = True
                        logger.info(
                            "Lease expired: no renewal for %%s s; closing once idle for %%s s",
                            lease["duration"],
                            scheduler.idle_timeout,
                        )
                    scheduler.check_idle()

                period = min(scheduler.idle_timeout, lease["duration"]) * 1000 / 4
                scheduler.periodic_callbacks["idle-timeout"] = PeriodicCallback(check_idle, period)
            """
                    .formatted(DURATION_ENV, RENEWED, RENEW_OP);

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchedulerLease() {}

    /**
     * The scheduler pod with the preload and the lease's duration in every container's environment.
     * A container whose environment already names a preload keeps it: the user's preload wins, and
     * the scheduler then stops on Dask's plain idle timeout.
     */
    public static Pod decorate(Pod schedulerPod, Duration leaseDuration) {
        Pod pod = new PodBuilder(schedulerPod).build();
        for (Container container : pod.getSpec().getContainers()) {
            if (PodDecoration.hasEnv(container, PRELOAD_ENV)) {
                continue;
            }
            PodDecoration.setEnv(container, PRELOAD_ENV, preloadEnvValue());
            PodDecoration.setEnv(container, DURATION_ENV, Long.toString(leaseDuration.toSeconds()));
        }
        return pod;
    }

    /** A Python list literal of one string, as Dask parses {@code DASK_*} variables. */
    static String preloadEnvValue() {
        try {
            return JSON.writeValueAsString(List.of(PRELOAD));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of one string is always JSON", e);
        }
    }
}
