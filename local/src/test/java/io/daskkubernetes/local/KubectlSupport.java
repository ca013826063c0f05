package io.daskkubernetes.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs kubectl against a local runtime. */
final class KubectlSupport {

    private final Path kubeconfig;

    KubectlSupport(LocalKubernetes kubernetes) {
        this.kubeconfig = kubernetes.kubeconfig();
    }

    /** What a kubectl run printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {}

    Result run(byte[] stdin, String... args) throws Exception {
        Process process = start(args);
        try {
            CompletableFuture<String> output =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new String(
                                            process.getInputStream().readAllBytes(),
                                            StandardCharsets.UTF_8);
                                } catch (IOException e) {
                                    return e.toString();
                                }
                            });
            if (stdin != null) {
                process.getOutputStream().write(stdin);
            }
            process.getOutputStream().close();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(
                        "kubectl "
                                + String.join(" ", args)
                                + " did not finish in 120 s; it printed: "
                                + output.get(10, TimeUnit.SECONDS));
            }
            return new Result(process.exitValue(), output.join());
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs kubectl and returns its output; fails unless it exits with 0. */
    String ok(String... args) throws Exception {
        Result result = run(null, args);
        if (result.exitCode() != 0) {
            throw new AssertionError(
                    "kubectl "
                            + String.join(" ", args)
                            + " exited with "
                            + result.exitCode()
                            + ": "
                            + result.output());
        }
        return result.output();
    }

    /** Starts a long-running kubectl (port-forward); output goes to {@code log}. */
    Process start(String... args) throws IOException {
        List<String> command =
                new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
