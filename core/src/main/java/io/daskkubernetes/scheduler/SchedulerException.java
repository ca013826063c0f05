package io.daskkubernetes.scheduler;

/**
 * A Dask scheduler could not be asked, or answered something we cannot use. The message always says
 * what was asked and what was expected.
 */
public class SchedulerException extends RuntimeException {

    public SchedulerException(String message) {
        super(message);
    }

    public SchedulerException(String message, Throwable cause) {
        super(message, cause);
    }
}
