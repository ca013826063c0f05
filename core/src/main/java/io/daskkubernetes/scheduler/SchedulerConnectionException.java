package io.daskkubernetes.scheduler;

/**
 * The conversation with the scheduler broke: it could not be reached, it closed the connection, it
 * did not answer in time, or it sent bytes that are not a Dask message. Unlike a plain {@link
 * SchedulerException} (the scheduler answered, but with an error), the caller may simply try again
 * later: the scheduler may be restarting or briefly unreachable.
 */
public class SchedulerConnectionException extends SchedulerException {

    public SchedulerConnectionException(String message) {
        super(message);
    }

    public SchedulerConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
