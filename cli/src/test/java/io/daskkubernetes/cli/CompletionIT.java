package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.cli.Launcher.Finished;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate-completion}: a bash completion script that bash accepts and that completes
 * subcommands.
 */
class CompletionIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path output;

    @Test
    void theScriptCompletesSubcommandsInBash() throws Exception {
        Finished generated = Launcher.run(output, TIMEOUT, "generate-completion");
        assertThat(generated.exitCode()).as(generated.describe()).isZero();
        assertThat(generated.stdout())
                .startsWith("#!/usr/bin/env bash")
                .contains("complete -F", "dask-kubernetes");
        Path script =
                Files.writeString(
                        output.resolve("dask-kubernetes-completion.bash"), generated.stdout());

        // What bash does on "dask-kubernetes sc<TAB>": call the registered function, read
        // COMPREPLY.
        String tab =
                "source '"
                        + script
                        + "'\n"
                        + "complete -p dask-kubernetes\n"
                        + "COMP_WORDS=(dask-kubernetes sc); COMP_CWORD=1; COMP_LINE='dask-kubernetes sc'; COMP_POINT=${#COMP_LINE}\n"
                        + "_complete_dask-kubernetes dask-kubernetes sc dask-kubernetes 2>/dev/null\n"
                        + "printf 'reply:%s\\n' \"${COMPREPLY[@]}\"\n";
        try (LaunchedProcess bash = Launcher.startBash(output, Map.of(), tab)) {
            int exit = bash.awaitExit(TIMEOUT);
            assertThat(exit).as(bash.describe()).isZero();
            assertThat(bash.stdout().lines())
                    .as(bash.describe())
                    .anyMatch(
                            line ->
                                    line.startsWith("complete ")
                                            && line.endsWith(" dask-kubernetes"))
                    .contains("reply:scale")
                    .doesNotContain("reply:cluster", "reply:run");
        }
    }
}
