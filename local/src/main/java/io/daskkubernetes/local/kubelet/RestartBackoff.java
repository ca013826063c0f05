package io.daskkubernetes.local.kubelet;

import java.time.Duration;

/**
 * The kubelet's crash-loop back-off: the first restart is immediate, then 10 s, doubling up to 5
 * minutes.
 */
final class RestartBackoff {

    private static final Duration INITIAL = Duration.ofSeconds(10);
    private static final Duration MAXIMUM = Duration.ofMinutes(5);

    private RestartBackoff() {}

    /** The wait before restart number {@code restartCount + 1}. */
    static Duration before(int restartCount) {
        if (restartCount <= 0) {
            return Duration.ZERO;
        }
        Duration delay = INITIAL;
        for (int i = 1; i < restartCount && delay.compareTo(MAXIMUM) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAXIMUM) > 0 ? MAXIMUM : delay;
    }
}
