package io.daskkubernetes.operator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl (and other programs) against a kubeconfig, with a time limit. */
final class Kubectl {

    private final Path kubeconfig;

    Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    /** kubectl's standard output; fails with its error output when it exits non-zero. */
    String run(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl"));
        command.addAll(List.of(args));
        return exec(command, 30);
    }

    /**
     * Fills kubectl's discovery and OpenAPI cache with a client-side dry run of {@code manifest}.
     */
    void warmUp(Path manifest) {
        exec(
                List.of("/usr/bin/kubectl", "apply", "--dry-run=client", "-f", manifest.toString()),
                180);
    }

    String exec(List<String> command, int timeoutSeconds) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        try {
            Process process = builder.start();
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    throw new AssertionError(
                            command + " did not finish in " + timeoutSeconds + " s");
                }
                String out =
                        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err =
                        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new AssertionError(
                            command + " exited " + process.exitValue() + ": " + err + out);
                }
                return out.trim();
            } finally {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
