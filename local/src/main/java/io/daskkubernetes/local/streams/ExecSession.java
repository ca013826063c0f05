package io.daskkubernetes.local.streams;

import io.daskkubernetes.local.kubelet.ExecTarget;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec: a process in the container's sandbox, with its environment and working directory, whose
 * stdin, stdout and stderr travel on channels 0, 1 and 2 of the WebSocket; its exit status goes on
 * channel 3 as a Status (reason NonZeroExitCode with the code as an ExitCode cause, which kubectl
 * exits with), then the WebSocket closes.
 */
final class ExecSession {

    private static final Logger LOG = LoggerFactory.getLogger(ExecSession.class);
    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte ERROR = 3;
    private static final byte RESIZE = 4;
    private static final int CLOSE = 255;

    private final ServerWebSocket ws;
    private final ExecTarget target;
    private final List<String> command;
    private final boolean stdin;
    private final ExecutorService threads;

    /** Writes to the process's stdin, in order, off the event loop. */
    private final ExecutorService stdinWriter =
            Executors.newSingleThreadExecutor(
                    r -> {
                        Thread thread = new Thread(r, "exec-stdin");
                        thread.setDaemon(true);
                        return thread;
                    });

    private volatile Process process;
    private final java.util.Set<Process> live;

    ExecSession(
            ServerWebSocket ws,
            ExecTarget target,
            List<String> command,
            boolean stdin,
            ExecutorService threads,
            java.util.Set<Process> live) {
        this.live = live;
        this.ws = ws;
        this.target = target;
        this.command = command;
        this.stdin = stdin;
        this.threads = threads;
    }

    void start() {
        List<String> words = new ArrayList<>(target.prefix());
        words.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(words);
        builder.environment().clear();
        builder.environment().putAll(target.environment());
        if (target.workingDirectory() != null) {
            builder.directory(target.workingDirectory().toFile());
        }
        if (!stdin) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        try {
            process = builder.start();
            live.add(process);
            process.onExit().thenRun(() -> live.remove(process));
        } catch (IOException e) {
            finish(
                    failure(
                            "InternalError",
                            "failed to exec in container: exec: \""
                                    + command.get(0)
                                    + "\": "
                                    + e.getMessage(),
                            null));
            return;
        }
        ws.binaryMessageHandler(this::fromClient);
        ws.closeHandler(v -> clientGone());
        CompletableFuture<Void> out =
                CompletableFuture.runAsync(() -> pump(process.getInputStream(), STDOUT), threads);
        CompletableFuture<Void> err =
                CompletableFuture.runAsync(() -> pump(process.getErrorStream(), STDERR), threads);
        process.onExit()
                .thenCombine(CompletableFuture.allOf(out, err), (p, v) -> p.exitValue())
                .thenAccept(
                        code ->
                                finish(
                                        code == 0
                                                ? "{\"metadata\":{},\"status\":\"Success\"}"
                                                : failure(
                                                        "NonZeroExitCode",
                                                        "command terminated with non-zero exit code: error executing command "
                                                                + command
                                                                + ", exit code "
                                                                + code,
                                                        code)));
    }

    private void fromClient(Buffer message) {
        if (message.length() == 0) {
            return;
        }
        int channel = message.getUnsignedByte(0);
        if (channel == STDIN && stdin) {
            byte[] data = message.getBytes(1, message.length());
            stdinWriter.execute(() -> writeStdin(data));
        } else if (channel == CLOSE && message.length() > 1 && message.getByte(1) == STDIN) {
            stdinWriter.execute(this::closeStdin);
        } else if (channel == RESIZE) {
            // No terminal: nothing to resize.
        }
    }

    private void writeStdin(byte[] data) {
        try {
            OutputStream in = process.getOutputStream();
            in.write(data);
            in.flush();
        } catch (IOException e) {
            LOG.debug("exec stdin closed: {}", e.getMessage());
        }
    }

    private void closeStdin() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("closing exec stdin failed", e);
        }
    }

    private void pump(InputStream from, byte channel) {
        byte[] buffer = new byte[32 * 1024];
        try (from) {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                if (read > 0) {
                    Buffer frame = Buffer.buffer(read + 1).appendByte(channel);
                    frame.appendBytes(buffer, 0, read);
                    ws.writeBinaryMessage(frame);
                }
            }
        } catch (IOException e) {
            LOG.debug("exec output {} ended: {}", channel, e.getMessage());
        } catch (IllegalStateException e) {
            // The WebSocket is closed: the client went away.
        }
    }

    private static String failure(String reason, String message, Integer exitCode) {
        StatusBuilder status =
                new StatusBuilder()
                        .withNewMetadata()
                        .endMetadata()
                        .withStatus("Failure")
                        .withReason(reason)
                        .withMessage(message);
        if (exitCode != null) {
            status.withNewDetails()
                    .withCauses(
                            new StatusCauseBuilder()
                                    .withReason("ExitCode")
                                    .withMessage(String.valueOf(exitCode))
                                    .build())
                    .endDetails();
        } else {
            status.withCode(500);
        }
        return Serialization.asJson(status.build());
    }

    private void finish(String status) {
        stdinWriter.shutdownNow();
        try {
            Buffer frame = Buffer.buffer().appendByte(ERROR);
            frame.appendString(status, StandardCharsets.UTF_8.name());
            ws.writeBinaryMessage(frame);
            ws.close((short) 1000);
        } catch (IllegalStateException e) {
            LOG.debug("exec finished after its client went away");
        }
    }

    private void clientGone() {
        stdinWriter.shutdownNow();
        Process running = process;
        if (running != null && running.isAlive()) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }
}
