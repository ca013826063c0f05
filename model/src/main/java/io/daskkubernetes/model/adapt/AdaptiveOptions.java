package io.daskkubernetes.model.adapt;

import java.time.Duration;

/**
 * The bounds and rhythm of adaptive scaling, with distributed's {@code Adaptive} defaults: a
 * decision every {@code interval}, a scale-down only after {@code waitCount} rounds agree, and
 * {@code targetDuration} as the time the scheduler should aim to finish its backlog in.
 */
public record AdaptiveOptions(
        int minimum, int maximum, Duration interval, int waitCount, Duration targetDuration) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_WAIT_COUNT = 3;
    public static final Duration DEFAULT_TARGET_DURATION = Duration.ofSeconds(5);

    public AdaptiveOptions {
        if (minimum < 0) {
            throw new IllegalArgumentException(
                    "adapt: minimum is " + minimum + "; use 0 or more workers");
        }
        if (maximum < minimum) {
            throw new IllegalArgumentException(
                    "adapt: minimum "
                            + minimum
                            + " is above maximum "
                            + maximum
                            + "; use minimum <= maximum");
        }
        if (interval == null || interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException(
                    "adapt: interval is " + interval + "; use a positive duration such as 1s");
        }
        if (waitCount < 1) {
            throw new IllegalArgumentException(
                    "adapt: waitCount is " + waitCount + "; use 1 or more rounds");
        }
        if (targetDuration == null || targetDuration.isNegative() || targetDuration.isZero()) {
            throw new IllegalArgumentException(
                    "adapt: targetDuration is "
                            + targetDuration
                            + "; use a positive duration such as 5s");
        }
    }

    /** {@code adapt(minimum, maximum)} with distributed's defaults for everything else. */
    public static AdaptiveOptions of(int minimum, int maximum) {
        return new AdaptiveOptions(
                minimum, maximum, DEFAULT_INTERVAL, DEFAULT_WAIT_COUNT, DEFAULT_TARGET_DURATION);
    }

    public AdaptiveOptions withInterval(Duration newInterval) {
        return new AdaptiveOptions(minimum, maximum, newInterval, waitCount, targetDuration);
    }

    public AdaptiveOptions withWaitCount(int newWaitCount) {
        return new AdaptiveOptions(minimum, maximum, interval, newWaitCount, targetDuration);
    }

    public AdaptiveOptions withTargetDuration(Duration newTargetDuration) {
        return new AdaptiveOptions(minimum, maximum, interval, waitCount, newTargetDuration);
    }

    int clamp(int target) {
        return Math.max(minimum, Math.min(maximum, target));
    }
}
