package io.daskkubernetes.operator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code dask_operator_scheduler_errors_total}: schedulers the operator could not reach ({@code
 * kind="connect"}) and clients that failed during a call and were dropped ({@code kind="call"}). A
 * rising count with clusters Running means the operator cannot see their schedulers (network
 * policy, a scheduler under memory pressure), so scale-downs wait.
 */
class SchedulerErrorCounter {

    /** Counts nothing: the operator serves no metrics. */
    static final SchedulerErrorCounter NONE = new SchedulerErrorCounter();

    private final Counter connect;
    private final Counter call;

    private SchedulerErrorCounter() {
        this.connect = null;
        this.call = null;
    }

    SchedulerErrorCounter(MeterRegistry registry) {
        this.connect = counter(registry, "connect");
        this.call = counter(registry, "call");
    }

    private static Counter counter(MeterRegistry registry, String kind) {
        return Counter.builder("dask.operator.scheduler.errors")
                .description("Dask schedulers that did not answer the operator, by kind")
                .tag("kind", kind)
                .register(registry);
    }

    void connectFailed() {
        if (connect != null) {
            connect.increment();
        }
    }

    void callFailed() {
        if (call != null) {
            call.increment();
        }
    }
}
