package io.daskkubernetes.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * The number of workers a cluster should have, kept in its owner ConfigMap so that every scaler
 * (the library, {@code dask-kubernetes scale} from any shell, the adaptive loop, the {@code
 * cluster} command replacing lost workers) works toward one stored value: the last request wins.
 *
 * <p>Requests are ordered by when they were made, not by when they reach the API server, as long as
 * they are at most {@link #ORDERING_WINDOW} apart: a command's JVM start-up takes a variable second
 * or so, and a later command must not lose to an earlier one that started slowly. Beyond that
 * window (or with a clock that is far off) the order of the writes decides, so that a skewed clock
 * can never make a request ignored for long.
 *
 * @param workers the number of workers wanted, after {@code kubernetes.count.max}
 * @param requestedAt when the request was made (a command's start, a library call)
 */
public record DesiredWorkers(int workers, Instant requestedAt) {

    static final String WORKERS = "workers-desired";
    static final String REQUESTED_AT = "workers-desired-at";

    /** How far apart two requests may be and still be ordered by their own times. */
    public static final Duration ORDERING_WINDOW = Duration.ofSeconds(10);

    public DesiredWorkers {
        if (workers < 0) {
            throw new IllegalArgumentException(
                    "desired workers: " + workers + "; use 0 or more workers");
        }
        if (requestedAt == null) {
            throw new IllegalArgumentException("desired workers: requestedAt is missing");
        }
    }

    /** The owner's data entries that record this request. */
    public Map<String, String> ownerData() {
        return Map.of(WORKERS, Integer.toString(workers), REQUESTED_AT, requestedAt.toString());
    }

    /**
     * Whether this request, already stored, must stand against {@code newer}, which arrives after
     * it: true only when this one was made later, within the ordering window.
     */
    public boolean supersedes(DesiredWorkers newer) {
        Duration ahead = Duration.between(newer.requestedAt, requestedAt);
        return !ahead.isNegative() && !ahead.isZero() && ahead.compareTo(ORDERING_WINDOW) <= 0;
    }

    /** The request the owner records, or empty when no scaler has recorded one yet. */
    public static Optional<DesiredWorkers> of(ConfigMap owner) {
        Map<String, String> data = owner.getData() == null ? Map.of() : owner.getData();
        String workers = data.get(WORKERS);
        if (workers == null) {
            return Optional.empty();
        }
        String source = "ConfigMap " + owner.getMetadata().getName();
        String at = data.get(REQUESTED_AT);
        try {
            return Optional.of(
                    new DesiredWorkers(
                            Integer.parseInt(workers),
                            at == null ? Instant.EPOCH : Instant.parse(at)));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new SpecException(
                    source,
                    "data." + WORKERS,
                    "\"" + workers + "\" at \"" + at + "\" is not a number of workers and a time",
                    "scale the cluster again (dask-kubernetes scale NAME N) to rewrite it",
                    e);
        } catch (IllegalArgumentException e) {
            throw new SpecException(
                    source,
                    "data." + WORKERS,
                    e.getMessage(),
                    "scale the cluster again (dask-kubernetes scale NAME N) to rewrite it",
                    e);
        }
    }
}
