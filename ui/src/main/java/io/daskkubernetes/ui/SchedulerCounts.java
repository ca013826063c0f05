package io.daskkubernetes.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The scheduler's {@code GET /json/counts.json} (route {@code distributed.http.scheduler.json}): in
 * one request, the workers it wants ({@code desired_workers}, its adaptive target) and its task
 * counts, from which the backlog is read.
 */
final class SchedulerCounts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;

    SchedulerCounts(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * @param backlog tasks not finished yet: all the scheduler holds but those in memory, released
     *     or erred
     */
    record Counts(int desiredWorkers, int backlog) {}

    Counts read(String dashboard) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(dashboard + "/json/counts.json"))
                        .timeout(timeout)
                        .GET()
                        .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + request.uri() + " answered " + response.statusCode());
        }
        JsonNode counts = JSON.readTree(response.body());
        int tasks = counts.path("tasks").asInt();
        int done =
                counts.path("memory").asInt()
                        + counts.path("released").asInt()
                        + counts.path("erred").asInt();
        return new Counts(counts.path("desired_workers").asInt(), Math.max(0, tasks - done));
    }
}
