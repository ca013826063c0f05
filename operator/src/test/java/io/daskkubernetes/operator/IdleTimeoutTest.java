package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdleTimeoutTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final Duration FIVE = Duration.ofSeconds(5);

    private final IdleTimeout idle = new IdleTimeout();

    @Test
    void expiresOnceIdleForTheWholeTimeout() {
        assertThat(idle.observe("c", FIVE, true, T0).expired()).isFalse();
        IdleTimeout.Verdict almost = idle.observe("c", FIVE, true, T0.plusSeconds(4));
        assertThat(almost.expired()).isFalse();
        assertThat(almost.recheck()).isEqualTo(Duration.ofSeconds(1));

        IdleTimeout.Verdict done = idle.observe("c", FIVE, true, T0.plusSeconds(5));
        assertThat(done.expired()).isTrue();
        assertThat(done.idleFor()).isEqualTo(FIVE);
    }

    @Test
    void anyBusyAnswerStartsTheCountAgain() {
        idle.observe("c", FIVE, true, T0);
        idle.observe("c", FIVE, false, T0.plusSeconds(4));

        assertThat(idle.observe("c", FIVE, true, T0.plusSeconds(6)).expired()).isFalse();
        assertThat(idle.observe("c", FIVE, true, T0.plusSeconds(10)).expired()).isFalse();
        assertThat(idle.observe("c", FIVE, true, T0.plusSeconds(11)).expired()).isTrue();
    }

    @Test
    void clustersAreCountedApart() {
        idle.observe("a", FIVE, true, T0);
        assertThat(idle.observe("b", FIVE, true, T0.plusSeconds(5)).expired()).isFalse();
        assertThat(idle.observe("a", FIVE, true, T0.plusSeconds(5)).expired()).isTrue();
    }

    @Test
    void pollsAQuarterOfTheTimeoutBetweenOneAndTenSeconds() {
        assertThat(IdleTimeout.pollInterval(Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(IdleTimeout.pollInterval(Duration.ofSeconds(8)))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(IdleTimeout.pollInterval(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theSchedulersOwnFireAndForgetClientIsNotAUser() {
        assertThat(new SchedulerActivity.Counts(1, 0).idle()).isTrue();
        assertThat(new SchedulerActivity.Counts(2, 0).idle()).isFalse();
        assertThat(new SchedulerActivity.Counts(1, 3).idle()).isFalse();
    }
}
