package io.daskkubernetes.local.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from the kubelet's own expansion tests (third_party/forked/golang/expansion). */
class VariableExpansionTest {

    private static final Map<String, String> VARIABLES =
            Map.of("VAR_A", "A", "VAR_B", "B", "VAR_EMPTY", "");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "$(VAR_A)|A",
                "___$(VAR_B)___|___B___",
                "$(VAR_A)-$(VAR_B)|A-B",
                "$(VAR_EMPTY)x|x",
                "$(VAR_NOPE)|$(VAR_NOPE)",
                "$$(VAR_A)|$(VAR_A)",
                "$$$(VAR_A)|$A",
                "$$$$(VAR_A)|$$(VAR_A)",
                "$(VAR_A|$(VAR_A",
                "$VAR_A|$VAR_A",
                "$|$",
                "x$|x$",
                "$$|$",
                "$()|$()",
                "(VAR_A)|(VAR_A)",
            })
    void expandsLikeTheKubelet(String input, String expected) {
        assertThat(VariableExpansion.expand(input, VARIABLES::get)).isEqualTo(expected);
    }
}
