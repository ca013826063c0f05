package io.daskkubernetes.local;

import io.daskkubernetes.local.network.SlotLeftovers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The program a {@link RuntimeWatchdog} runs: reads what the runtime made from standard input, one
 * line each, until "closed" (the runtime cleaned up itself: exit) or the end of input (the
 * runtime's JVM died: remove its processes, then its network slot's leftovers, then its state
 * directory, then its identity's lock file, last so that a runtime starting meanwhile still sees it
 * dead).
 */
public final class RuntimeReaper {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeReaper.class);
    static final String RUNTIME = "runtime";
    static final String SLOT = "slot";
    static final String DIRECTORY = "directory";
    static final String CLOSED = "closed";

    private String runtimeId;
    private Path lockFile;
    private Integer slot;
    private final List<StateDirectory> directories = new ArrayList<>();

    private RuntimeReaper() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        RuntimeReaper reaper = new RuntimeReaper();
        BufferedReader input =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = input.readLine()) != null) {
            if (line.equals(CLOSED)) {
                return;
            }
            reaper.learn(line);
        }
        reaper.reap();
    }

    private void learn(String line) {
        String[] words = line.split(" ", 3);
        switch (words[0]) {
            case RUNTIME -> {
                runtimeId = words[1];
                lockFile = Path.of(words[2]);
            }
            case SLOT -> slot = Integer.parseInt(words[1]);
            case DIRECTORY ->
                    directories.add(
                            new StateDirectory(Path.of(words[2]), Boolean.parseBoolean(words[1])));
            default -> LOG.warn("watchdog: ignoring an unknown line from the runtime: {}", line);
        }
    }

    private void reap() throws InterruptedException {
        if (runtimeId == null) {
            return; // the JVM died before it had made anything
        }
        long started = System.nanoTime();
        LOG.warn(
                "local runtime {} died without closing; removing its processes, network and files",
                runtimeId);
        boolean processesGone = OrphanedProcesses.killAllOf(runtimeId, 5000);
        if (slot != null) {
            SlotLeftovers.removeOnceFree(slot, Duration.ofSeconds(2));
        }
        for (StateDirectory directory : directories) {
            try {
                directory.close();
            } catch (RuntimeException e) {
                LOG.error("watchdog: cannot remove {}", directory, e);
            }
        }
        if (processesGone) {
            try {
                Files.deleteIfExists(lockFile);
            } catch (IOException e) {
                LOG.error("watchdog: cannot remove {}", lockFile, e);
            }
        }
        LOG.warn(
                "local runtime {} removed in {} ms",
                runtimeId,
                (System.nanoTime() - started) / 1_000_000);
    }
}
