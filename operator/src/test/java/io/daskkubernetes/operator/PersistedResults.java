package io.daskkubernetes.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Dask client, in its own Python process, that computes {@code x * 3 + 1} for 50 numbers (or
 * as many as asked, each task taking as long as asked, for a backlog) and keeps the futures (so the
 * results stay persisted on the workers) until asked to check them. The check gathers them all and
 * counts, from the scheduler's transition log, how often each key went from processing to memory:
 * once each means nothing was recomputed.
 */
final class PersistedResults implements AutoCloseable {

    static final int COUNT = 50;

    private static final String SCRIPT =
            """
            import json, sys, time
            from dask.distributed import Client, wait

            count, seconds = int(sys.argv[2]), float(sys.argv[3])

            def triple_plus_one(x):
                if seconds:
                    time.sleep(seconds)
                return x * 3 + 1

            client = Client(sys.argv[1], timeout=20)
            futures = client.map(triple_plus_one, range(count))
            print(json.dumps({"submitted": len(futures)}), flush=True)
            wait(futures)
            holders = client.who_has(futures)
            print(json.dumps({"persisted": len(futures),
                              "workers": len({w for ws in holders.values() for w in ws})}),
                  flush=True)
            sys.stdin.readline()

            keys = [f.key for f in futures]

            def computed(dask_scheduler, keys):
                counts = dict.fromkeys(keys, 0)
                for t in dask_scheduler.transition_log:
                    if t.key in counts and t.start == "processing" and t.finish == "memory":
                        counts[t.key] += 1
                return counts

            results = client.gather(futures, errors="raise")
            counts = client.run_on_scheduler(computed, keys=keys)
            print(json.dumps({"correct": results == [x * 3 + 1 for x in range(count)],
                              "computedOnce": sum(1 for n in counts.values() if n == 1),
                              "computedMoreThanOnce": sum(1 for n in counts.values() if n > 1)}),
                  flush=True)
            client.close()
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedReader out;

    private PersistedResults(Process process) {
        this.process = process;
        this.out =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the client against {@code schedulerAddress} and waits until the 50 are in memory. */
    static Started persist(String schedulerAddress, Duration timeout) {
        PersistedResults results = submit(schedulerAddress, COUNT, Duration.ZERO, timeout);
        try {
            return new Started(results, results.awaitPersisted(timeout));
        } catch (RuntimeException | AssertionError e) {
            results.close();
            throw e;
        }
    }

    /**
     * Starts the client against {@code schedulerAddress} and returns once it has submitted {@code
     * count} tasks of {@code taskDuration} each (a backlog for the scheduler).
     */
    static PersistedResults submit(
            String schedulerAddress, int count, Duration taskDuration, Duration timeout) {
        ProcessBuilder builder =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                "-u",
                                "-c",
                                SCRIPT,
                                schedulerAddress,
                                String.valueOf(count),
                                String.valueOf(taskDuration.toMillis() / 1000.0))
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            PersistedResults results = new PersistedResults(builder.start());
            try {
                JsonNode submitted = results.readLine(timeout);
                if (submitted.path("submitted").asInt() != count) {
                    throw new AssertionError("the Dask client said " + submitted);
                }
                return results;
            } catch (RuntimeException | AssertionError e) {
                results.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until every task is done and its result in memory; reports how many and on how many
     * workers.
     */
    JsonNode awaitPersisted(Duration timeout) {
        return readLine(timeout);
    }

    /**
     * Gathers them all and reports, as JSON, whether they are right and how often each was made.
     */
    JsonNode check(Duration timeout) {
        try {
            Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            in.write("check\n");
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the Dask client process has gone", e);
        }
        return readLine(timeout);
    }

    private JsonNode readLine(Duration timeout) {
        CompletableFuture<String> line =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return out.readLine();
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
        try {
            String text = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("the Dask client exited: " + process.exitValue());
            }
            return JSON.readTree(text);
        } catch (TimeoutException e) {
            throw new AssertionError("the Dask client did not answer within " + timeout, e);
        } catch (ExecutionException | IOException e) {
            throw new AssertionError("could not read the Dask client's answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client, and what it said once the 50 were persisted (count, workers holding them). */
    record Started(PersistedResults client, JsonNode report) {}
}
