package io.daskkubernetes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.model.SpecException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code kubernetes.tls}, as Dask reads a boolean from its environment variables. */
class TlsSettingTest {

    private static DaskConfig withEnvironment(Map<String, String> env) {
        return DaskConfig.load(ConfigSources.of(List.of(), env));
    }

    @Test
    void offUnlessSet() {
        assertThat(TlsSetting.enabled(withEnvironment(Map.of()))).isFalse();
    }

    @Test
    void environmentVariablesAreReadAsPythonLiterals() {
        assertThat(TlsSetting.enabled(withEnvironment(Map.of("DASK_KUBERNETES__TLS", "True"))))
                .isTrue();
        assertThat(TlsSetting.enabled(withEnvironment(Map.of("DASK_KUBERNETES__TLS", "false"))))
                .isFalse();
        assertThat(TlsSetting.enabled(DaskConfig.defaultsOnly().with("kubernetes.tls", true)))
                .isTrue();
    }

    @Test
    void anythingElseIsAClearError() {
        assertThatThrownBy(
                        () ->
                                TlsSetting.enabled(
                                        withEnvironment(Map.of("DASK_KUBERNETES__TLS", "maybe"))))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("kubernetes.tls")
                .hasMessageContaining("use true or false");
    }

    @Test
    void theKeyIsHonouredNotWarnedAbout() {
        assertThat(UnusedConfigKeys.find(withEnvironment(Map.of("DASK_KUBERNETES__TLS", "True"))))
                .isEmpty();
    }
}
