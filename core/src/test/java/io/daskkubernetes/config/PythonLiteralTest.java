package io.daskkubernetes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PythonLiteralTest {

    static Stream<Arguments> literals() {
        return Stream.of(
                Arguments.of("10", 10),
                Arguments.of("-3", -3),
                Arguments.of("1_000", 1000),
                Arguments.of("12345678901", 12345678901L),
                Arguments.of("1.5", 1.5),
                Arguments.of("1e3", 1000.0),
                Arguments.of("True", true),
                Arguments.of("False", false),
                Arguments.of("'quoted'", "quoted"),
                Arguments.of("\"double\"", "double"),
                Arguments.of("ClusterIP", "ClusterIP"),
                Arguments.of("dask-{user}-{uuid}", "dask-{user}-{uuid}"),
                // YAML would read these as booleans or null; Python keeps them as strings
                Arguments.of("yes", "yes"),
                Arguments.of("null", "null"),
                Arguments.of("true", "true"),
                Arguments.of("[1, 'a', None]", Arrays.asList(1, "a", null)),
                Arguments.of("(1, 2)", List.of(1, 2)),
                Arguments.of("{'a': True, 'b': 'None'}", Map.of("a", true, "b", "None")),
                Arguments.of(
                        "[\"distributed.http.health\",\"distributed.http.scheduler.api\"]",
                        List.of("distributed.http.health", "distributed.http.scheduler.api")),
                // Python cannot read it, so Dask keeps the string
                Arguments.of("[unclosed", "[unclosed"),
                // a name template is not a Python set: unquoted words are not literals
                Arguments.of("{uuid}", "{uuid}"),
                Arguments.of("[a, b]", "[a, b]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("literals")
    void readsValuesAsDaskDoes(String text, Object expected) {
        assertThat(PythonLiteral.parse(text)).isEqualTo(expected);
    }

    @Test
    void noneIsNull() {
        assertThat(PythonLiteral.parse("None")).isNull();
    }
}
