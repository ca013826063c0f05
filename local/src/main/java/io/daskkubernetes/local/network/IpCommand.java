package io.daskkubernetes.local.network;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iproute2's {@code ip}, failing with its own error message when it fails. */
final class IpCommand {

    static final String IP = "/usr/sbin/ip";

    private IpCommand() {}

    /** Runs {@code ip args...}; returns its output. */
    static String run(String... args) {
        return run(List.of(args), null);
    }

    /**
     * Runs {@code ip -batch -} (several commands, one process) with the given lines on standard
     * input.
     */
    static String batch(List<String> globalOptions, List<String> lines) {
        List<String> args = new ArrayList<>(globalOptions);
        args.add("-batch");
        args.add("-");
        return run(args, String.join("\n", lines) + "\n");
    }

    /**
     * Like {@link #run(String...)} but returns null instead of failing (for removals of things
     * maybe gone).
     */
    static String tryRun(String... args) {
        try {
            return run(args);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private static String run(List<String> args, String input) {
        List<String> command = new ArrayList<>();
        command.add(IP);
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (input != null) {
                try (OutputStream stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            } else {
                process.getOutputStream().close();
            }
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish in 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command)
                                + " failed ("
                                + process.exitValue()
                                + "): "
                                + output.trim()
                                + (input == null
                                        ? ""
                                        : " [input: " + input.trim().replace('\n', ';') + "]"));
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot run " + IP + " (iproute2 is needed for pod networking)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
