package io.daskkubernetes.scheduler;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Dask processes for end-to-end tests: a {@code dask-scheduler}, {@code dask-worker}s and
 * Python client scripts, all from Debian's Dask ({@code /usr/bin/python3}). {@link #close()} kills
 * every process tree this fixture started (by process handle, descendants included) and deletes its
 * temporary directory.
 */
final class DaskProcesses implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DaskProcesses.class);

    static final String PYTHON = "/usr/bin/python3";
    static final String HTTP_ROUTES =
            "[\"distributed.http.scheduler.prometheus\",\"distributed.http.scheduler.info\","
                    + "\"distributed.http.scheduler.json\",\"distributed.http.health\",\"distributed.http.proxy\","
                    + "\"distributed.http.statics\",\"distributed.http.scheduler.api\"]";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** A started scheduler: its comm address and its dashboard. */
    record Scheduler(Process process, String address, int port, int dashboardPort) {
        java.net.URI dashboard() {
            return java.net.URI.create("http://127.0.0.1:" + dashboardPort);
        }
    }

    /**
     * A started {@code dask-worker}; with a nanny, the process is the nanny and the worker its
     * child.
     */
    record Worker(Process process, String name) {
        boolean isAlive() {
            return process.isAlive();
        }
    }

    private final Path directory;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    DaskProcesses() throws IOException {
        directory = Files.createTempDirectory("dask-scheduler-client-test");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * A scheduler (its HTTP API on or off) with workers w1..wN under nannies, returned once every
     * worker is registered and running (a worker registers as "init" and turns "running" a moment
     * later); fails with the processes' logs when Dask does not come up.
     */
    Scheduler startSchedulerWithRunningWorkers(boolean httpApi, int workers, Duration timeout) {
        try {
            Scheduler scheduler = startScheduler(httpApi);
            for (int i = 1; i <= workers; i++) {
                startWorker(scheduler, "w" + i, true);
            }
            try (TcpSchedulerClient client = new TcpSchedulerClient(scheduler.address())) {
                org.awaitility.Awaitility.await(workers + " workers registered and running")
                        .atMost(timeout)
                        .until(
                                () ->
                                        client.workers().stream()
                                                        .filter(w -> "running".equals(w.status()))
                                                        .count()
                                                == workers);
            }
            return scheduler;
        } catch (Exception | AssertionError e) {
            throw new AssertionError("Dask did not start: " + e + logTails(), e);
        }
    }

    /** Starts a scheduler on free loopback ports and waits until both ports listen. */
    Scheduler startScheduler(boolean httpApi) throws IOException {
        int port = freePort();
        int dashboardPort = freePort();
        ProcessBuilder builder =
                new ProcessBuilder(
                        "/usr/bin/dask-scheduler",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        String.valueOf(port),
                        "--dashboard-address",
                        "127.0.0.1:" + dashboardPort);
        if (httpApi) {
            builder.environment().put("DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES", HTTP_ROUTES);
        }
        Process process = start(builder, "scheduler");
        awaitListening(process, port);
        awaitListening(process, dashboardPort);
        return new Scheduler(process, "tcp://127.0.0.1:" + port, port, dashboardPort);
    }

    /**
     * Starts a scheduler that speaks only TLS, with the scheduler's files of {@code credentials}
     * written to this fixture's directory; {@link Scheduler#address()} is {@code tls://}.
     */
    Scheduler startTlsScheduler(io.daskkubernetes.model.TlsCredentials credentials)
            throws IOException {
        Path tls = Files.createDirectories(directory.resolve("tls"));
        for (Map.Entry<String, String> file : credentials.files().entrySet()) {
            Files.writeString(tls.resolve(file.getKey()), file.getValue());
        }
        int port = freePort();
        int dashboardPort = freePort();
        ProcessBuilder builder =
                new ProcessBuilder(
                        "/usr/bin/dask-scheduler",
                        "--host",
                        "tls://127.0.0.1",
                        "--port",
                        String.valueOf(port),
                        "--dashboard-address",
                        "127.0.0.1:" + dashboardPort,
                        "--tls-ca-file",
                        tls.resolve("ca.crt").toString(),
                        "--tls-cert",
                        tls.resolve("scheduler.crt").toString(),
                        "--tls-key",
                        tls.resolve("scheduler.key").toString());
        Process process = start(builder, "tls-scheduler");
        awaitListening(process, port);
        awaitListening(process, dashboardPort);
        return new Scheduler(process, "tls://127.0.0.1:" + port, port, dashboardPort);
    }

    /** Starts a one-thread worker with a 1 GB memory limit; the caller waits for it to register. */
    Worker startWorker(Scheduler scheduler, String name, boolean nanny) throws IOException {
        Path local = Files.createDirectories(directory.resolve(name));
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "/usr/bin/dask-worker",
                                scheduler.address(),
                                "--name",
                                name,
                                "--nthreads",
                                "1",
                                "--memory-limit",
                                "1GB",
                                "--no-dashboard",
                                "--local-directory",
                                local.toString(),
                                "--host",
                                "127.0.0.1"));
        if (!nanny) {
            command.add("--no-nanny");
        }
        return new Worker(start(new ProcessBuilder(command), "worker-" + name), name);
    }

    /** Starts {@code /usr/bin/python3 -c code args...}, talking to it line by line. */
    PythonScript startPython(String name, String code, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-u", "-c", code));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Path stderr = directory.resolve(name + ".log");
        builder.redirectError(stderr.toFile());
        cleanDaskEnvironment(builder);
        Process process = builder.start();
        processes.add(process);
        logs.add(stderr);
        return new PythonScript(process, stderr);
    }

    private Process start(ProcessBuilder builder, String name) throws IOException {
        Path logFile = directory.resolve(name + ".log");
        builder.redirectErrorStream(true).redirectOutput(logFile.toFile());
        cleanDaskEnvironment(builder);
        Process process = builder.start();
        processes.add(process);
        logs.add(logFile);
        return process;
    }

    // The machine's own DASK_* settings must not change what the tests see.
    private static void cleanDaskEnvironment(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.keySet()
                .removeIf(
                        key ->
                                key.startsWith("DASK_")
                                        && !key.equals(
                                                "DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES"));
    }

    private void awaitListening(Process process, int port) {
        await("port " + port + " listening")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException(
                                        "process exited with "
                                                + process.exitValue()
                                                + ": "
                                                + logTails());
                            }
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                                return true;
                            } catch (IOException e) {
                                return false;
                            }
                        });
    }

    /** Kills a process and all its descendants now, as deleting a pod would. */
    static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : tree) {
            handle.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    /** The last lines of every log, for failure messages. */
    String logTails() {
        StringBuilder text = new StringBuilder();
        for (Path logFile : logs) {
            try {
                List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
                text.append("\n--- ")
                        .append(logFile.getFileName())
                        .append('\n')
                        .append(
                                String.join(
                                        "\n",
                                        lines.subList(
                                                Math.max(0, lines.size() - 15), lines.size())));
            } catch (IOException e) {
                text.append("\n--- ")
                        .append(logFile.getFileName())
                        .append(" unreadable: ")
                        .append(e);
            }
        }
        return text.toString();
    }

    /**
     * Terminates every process tree started here (SIGTERM, then SIGKILL after 5 s) and deletes the
     * directory.
     */
    @Override
    public void close() throws IOException {
        // Descendants must be listed before their parent dies: orphans are re-parented and no
        // longer found.
        List<ProcessHandle> all = new ArrayList<>();
        for (Process process : processes) {
            all.addAll(process.descendants().toList());
            all.add(process.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn(
                        "process {} ignored SIGTERM for 5 s, killing it: {}",
                        handle.pid(),
                        e.toString());
                handle.destroyForcibly();
                handle.onExit().orTimeout(10, TimeUnit.SECONDS).join();
            }
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            path -> {
                                try {
                                    Files.deleteIfExists(path);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        }
    }

    /**
     * A Python script whose standard output is read line by line and whose standard input takes
     * commands.
     */
    static final class PythonScript {
        private final Process process;
        private final Path stderr;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer stdin;

        PythonScript(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader =
                    new Thread(
                            () -> {
                                try (BufferedReader out =
                                        new BufferedReader(
                                                new InputStreamReader(
                                                        process.getInputStream(),
                                                        StandardCharsets.UTF_8))) {
                                    for (String line = out.readLine();
                                            line != null;
                                            line = out.readLine()) {
                                        lines.add(line);
                                    }
                                } catch (IOException e) {
                                    log.debug("python output closed: {}", e.toString());
                                }
                            },
                            "python-stdout-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line the script prints, failing with its error output if none comes in time. */
        String nextLine(Duration timeout) throws InterruptedException, IOException {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError(
                        "python printed nothing within "
                                + timeout
                                + " (alive: "
                                + process.isAlive()
                                + "); its stderr:\n"
                                + Files.readString(stderr));
            }
            return line;
        }

        void send(String command) throws IOException {
            stdin.write(command + "\n");
            stdin.flush();
        }

        /** Closes its standard input, which the scripts read as "finish". */
        void finish() throws IOException {
            stdin.close();
        }

        Process process() {
            return process;
        }
    }
}
