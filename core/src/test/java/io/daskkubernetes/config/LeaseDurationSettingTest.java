package io.daskkubernetes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.model.SpecException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** kubernetes.lease-duration: default, Dask durations, bad values named with their key. */
class LeaseDurationSettingTest {

    @Test
    void defaultsToOneMinuteAndTakesDaskDurations() {
        assertThat(LeaseDurationSetting.resolve(DaskConfig.defaultsOnly(), null))
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(
                        LeaseDurationSetting.resolve(
                                DaskConfig.defaultsOnly()
                                        .with("kubernetes.lease-duration", "2 minutes"),
                                null))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(
                        LeaseDurationSetting.resolve(
                                DaskConfig.defaultsOnly().with("kubernetes.lease-duration", 15),
                                null))
                .isEqualTo(Duration.ofSeconds(15));
        assertThat(
                        LeaseDurationSetting.resolve(
                                DaskConfig.defaultsOnly().with("kubernetes.lease-duration", 15),
                                Duration.ofSeconds(7)))
                .as("the caller's value wins")
                .isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void badValuesAreNamedWithTheKeyAndAFix() {
        assertThatThrownBy(
                        () ->
                                LeaseDurationSetting.resolve(
                                        DaskConfig.defaultsOnly()
                                                .with("kubernetes.lease-duration", "soon"),
                                        null))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("kubernetes.lease-duration")
                .hasMessageContaining("\"soon\"")
                .hasMessageContaining("at least 1 s");
        assertThatThrownBy(
                        () ->
                                LeaseDurationSetting.resolve(
                                        DaskConfig.defaultsOnly()
                                                .with("kubernetes.lease-duration", "500ms"),
                                        null))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("kubernetes.lease-duration")
                .hasMessageContaining("shorter than one second");
    }
}
