package io.daskkubernetes.local;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local runtime in a child JVM ({@link ChildRuntimeMain}), optionally in a PID namespace of its
 * own, with what a test needs to reach it and to check what it leaves.
 */
final class ChildRuntime implements AutoCloseable {

    final Process process;
    final String runtimeId;

    /** Null on the host network. */
    final String networkPrefix;

    final Path stateDirectory;
    final Path kubeconfig;
    private final BufferedReader output;
    private final OutputStream input;
    private KubernetesClient client;

    private ChildRuntime(Process process, BufferedReader output, String readyLine) {
        this.process = process;
        this.output = output;
        this.input = process.getOutputStream();
        String[] words = readyLine.split(" ");
        this.runtimeId = words[1];
        this.networkPrefix = words[2].equals("-") ? null : words[2];
        this.stateDirectory = Path.of(words[3]);
        this.kubeconfig = Path.of(words[4]);
    }

    /**
     * Starts a runtime in a new JVM, in a new PID namespace (with its own /proc) when asked; its
     * log goes to {@code log}.
     */
    static ChildRuntime start(PodNetworkMode mode, boolean ownPidNamespace, Path log)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (ownPidNamespace) {
            // bash stays PID 1 of the namespace, so that killing the JVM does not kill the whole
            // namespace (the JVM's watchdog included) with it. The JVM gets a PID that no process
            // has out here: a runtime that took PIDs for identities would think it dead.
            command.addAll(
                    List.of(
                            "unshare",
                            "--pid",
                            "--fork",
                            "--mount-proc",
                            "/bin/bash",
                            "-c",
                            "echo "
                                    + (pidFreeOutside() - 1)
                                    + " > /proc/sys/kernel/ns_last_pid; \"$@\"; exit $?",
                            "bash"));
        }
        command.addAll(
                List.of(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ChildRuntimeMain.class.getName(),
                        mode.name()));
        Process process =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        BufferedReader output =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null) {
            if (line.startsWith("READY ")) {
                return new ChildRuntime(process, output, line);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(
                "the child runtime exited before it was ready; its log:\n" + Files.readString(log));
    }

    /** A PID that no process of this PID namespace has now. */
    private static long pidFreeOutside() {
        for (long pid = 20_000; pid > 1000; pid--) {
            if (!Files.exists(Path.of("/proc/" + pid))) {
                return pid;
            }
        }
        throw new IllegalStateException("no free PID between 1000 and 20000");
    }

    /** A fabric8 client that reaches the runtime through its kubeconfig, as any user program. */
    synchronized KubernetesClient client() throws IOException {
        if (client == null) {
            client =
                    new KubernetesClientBuilder()
                            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
                            .build();
        }
        return client;
    }

    /** Makes the next PID of the runtime's PID namespace {@code last + 1} (or near it). */
    void setLastPid(int last) throws IOException {
        input.write(("lastpid " + last + "\n").getBytes(StandardCharsets.UTF_8));
        input.flush();
        String answer = output.readLine();
        if (!"OK".equals(answer)) {
            throw new IllegalStateException("the child runtime answered " + answer);
        }
    }

    /** The JVM's own PID (not unshare's or bash's), as this JVM's PID namespace sees it. */
    long jvmPid() {
        return process.descendants()
                .filter(p -> p.info().arguments().map(ChildRuntime::isRuntimeMain).orElse(false))
                .findFirst()
                .map(ProcessHandle::pid)
                .orElse(process.pid());
    }

    private static boolean isRuntimeMain(String[] arguments) {
        return List.of(arguments).contains(ChildRuntimeMain.class.getName());
    }

    /** SIGKILL to the runtime's JVM: no shutdown hook, no close. */
    void killJvm() {
        ProcessHandle.of(jvmPid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Closes the runtime the normal way (end of its input) and waits for its JVM to exit. */
    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        try {
            input.close();
        } catch (IOException e) {
            // Already gone (killed by the test): nothing to close.
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
