package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskkubernetes.cli.Launcher.Finished;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lint SPEC}: best-practice findings on a worker spec; exit code 1 on errors. */
class LintCommandIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path output;

    @Test
    void theSeedsSpecGivesOneWarningAboutNoBokehAndExitsZero() {
        Finished lint = Launcher.run(output, TIMEOUT, "lint", "examples/seed-worker-spec.yml");

        assertThat(lint.exitCode()).as(lint.describe()).isZero();
        assertThat(lint.stdoutLines())
                .as(lint.describe())
                .filteredOn(line -> line.startsWith("warning:"))
                .singleElement()
                .asString()
                .contains("spec.containers[0].args", "--no-bokeh", "--no-dashboard");
    }

    @Test
    void aBadQuantityIsAnErrorNamingTheField() throws Exception {
        Path spec =
                Files.writeString(
                        output.resolve("bad-quantity.yml"),
                        """
                kind: Pod
                spec:
                  restartPolicy: Never
                  containers:
                  - image: daskdev/dask:latest
                    name: dask
                    args: [dask-worker, --nthreads, '1', --no-dashboard, --death-timeout, '60']
                    resources:
                      limits:
                        memory: six-gigabytes
                """);

        Finished lint = Launcher.run(output, TIMEOUT, "lint", spec.toString());

        assertThat(lint.exitCode()).as(lint.describe()).isEqualTo(1);
        assertThat(lint.stdout() + lint.stderr())
                .as(lint.describe())
                .contains("spec.containers[0].resources.limits.memory")
                .contains("six-gigabytes")
                .doesNotContain("Exception");
    }

    @Test
    void jsonOutputListsTheFindingsAsData() throws Exception {
        Finished lint =
                Launcher.run(
                        output, TIMEOUT, "-o", "json", "lint", "examples/seed-worker-spec.yml");

        assertThat(lint.exitCode()).as(lint.describe()).isZero();
        JsonNode findings = new ObjectMapper().readTree(lint.stdout());
        assertThat(findings.isArray()).as(lint.describe()).isTrue();
        assertThat(findings.get(0).get("severity").asText()).isEqualTo("warning");
        assertThat(findings.get(0).get("message").asText()).contains("--no-bokeh");
    }
}
