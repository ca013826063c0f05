package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.cli.Launcher.Finished;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad arguments: one clear {@code error:} line on standard error, no stack trace, exit code 2. */
class UsageErrorsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path output;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "scale                                       | NAME",
                "run --adapt 3 -- true                       | --adapt",
                "--no-such-option list                       | --no-such-option",
                "scale some-cluster many                     | many",
                "-o xml list                                 | xml",
                "cluster --local --spec examples/worker-spec.yml --workers -3 | --workers",
                "operator --leader-election --leader-election-namespace x --lease-duration 5 --renew-deadline 10 | --lease-duration",
            })
    void badArgumentsGiveOneErrorLineAndExitTwo(String arguments, String named) {
        Finished run = Launcher.run(output, TIMEOUT, arguments.split(" "));

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(2);
        List<String> errors =
                run.stderrLines().stream().filter(line -> line.startsWith("error:")).toList();
        assertThat(errors).as(run.describe()).singleElement().asString().contains(named);
        assertThat(run.stderrLines().get(0)).as("the error comes first").startsWith("error:");
        assertThat(run.stderr())
                .as("no stack trace")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(run.stdout()).as("nothing on standard output").isEmpty();
    }
}
