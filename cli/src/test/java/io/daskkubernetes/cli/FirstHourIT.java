package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskkubernetes.cli.Launcher.Finished;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a new user meets first: help everywhere, a misspelt command, a context that is not there.
 */
class FirstHourIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path output;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cluster --help", "cluster -h", "help cluster"})
    void everyCommandHasHelpWithItsOptionsAndAnExample(String arguments) {
        Finished help = Launcher.run(output, TIMEOUT, arguments.split(" "));

        assertThat(help.exitCode()).as(help.describe()).isZero();
        assertThat(help.stdout())
                .as(help.describe())
                .contains("Usage: dask-kubernetes cluster")
                .contains("--workers")
                .contains("--image")
                .contains("--memory-limit")
                .contains("--timeout")
                .contains("default: 300")
                .contains("Example:");
    }

    @Test
    void aMisspeltCommandSuggestsTheNearestOne() {
        Finished typo = Launcher.run(output, TIMEOUT, "clustr");

        assertThat(typo.exitCode()).as(typo.describe()).isEqualTo(2);
        assertThat(typo.stderr()).as(typo.describe()).contains("Did you mean").contains("cluster");
    }

    @Test
    void aContextTheKubeconfigDoesNotHaveIsRefusedNamingThoseItHas() throws Exception {
        // Never contacted: the check comes before any request.
        Path kubeconfig =
                Files.writeString(
                        output.resolve("kubeconfig"),
                        """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "https://127.0.0.1:1"}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: prod
                  context: {cluster: c, user: u}
                - name: staging
                  context: {cluster: c, user: u}
                current-context: prod
                """);

        Finished run =
                Launcher.run(
                        output,
                        TIMEOUT,
                        Map.of(),
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "--context",
                        "stagign",
                        "list");

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderr())
                .as(run.describe())
                .contains("context \"stagign\" is not in")
                .contains("prod, staging");
    }

    @Test
    void noKubeconfigAndNoServiceAccountIsOneLineNamingTheCauseAndTheFix() {
        long started = System.nanoTime();
        Finished run =
                Launcher.run(
                        output,
                        TIMEOUT,
                        Map.of("KUBECONFIG", output.resolve("absent/config").toString()),
                        "list");
        System.out.printf(
                "FirstHourIT: no kubeconfig answered in %.1f s%n",
                (System.nanoTime() - started) / 1e9);

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderrLines())
                .as(run.describe())
                .first()
                .asString()
                .contains("no Kubernetes is configured")
                .contains("absent/config")
                .contains("--kubeconfig")
                .contains("--local");
    }

    @Test
    void aServerThatRefusesIsNamedByItsUrl() throws Exception {
        Path kubeconfig =
                Files.writeString(
                        output.resolve("refusing"),
                        """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: {server: "http://127.0.0.1:1"}
                users:
                - name: u
                  user: {token: t}
                contexts:
                - name: c
                  context: {cluster: c, user: u}
                current-context: c
                """);

        Finished run =
                Launcher.run(output, TIMEOUT, Map.of("KUBECONFIG", kubeconfig.toString()), "list");

        assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
        assertThat(run.stderrLines())
                .as(run.describe())
                .first()
                .asString()
                .contains("Kubernetes at http://127.0.0.1:1")
                .contains("check that it runs");
    }
}
