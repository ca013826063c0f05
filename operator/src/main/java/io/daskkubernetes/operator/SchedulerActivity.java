package io.daskkubernetes.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a running scheduler whether it is idle in the sense of {@code spec.idleTimeout}: no client
 * connected and no task it knows of (queued, running or held). The answer comes from the
 * scheduler's own counts, {@code GET /json/counts.json} on its HTTP server: that route is among
 * Dask's default ones (2022.12), unlike {@code /api/v1}, so upstream's manifests need nothing
 * added. Dask's TCP protocol has no operation that counts clients, and Dask's own {@code
 * check_idle} (no task processing) ignores connected clients, which would close a live but quiet
 * user's cluster.
 */
final class SchedulerActivity {

    /**
     * The scheduler always holds one client of its own, "fire-and-forget" (Dask 2022.12), which
     * {@code clients} counts; and one per published dataset, which is work kept on purpose.
     */
    static final int SCHEDULERS_OWN_CLIENTS = 1;

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** The counts that matter, as the scheduler gave them. */
    record Counts(int clients, int tasks) {
        boolean idle() {
            return clients <= SCHEDULERS_OWN_CLIENTS && tasks == 0;
        }

        @Override
        public String toString() {
            return (clients - SCHEDULERS_OWN_CLIENTS) + " client(s), " + tasks + " task(s)";
        }
    }

    /**
     * The scheduler's counts now.
     *
     * @throws SchedulerActivityException when the pod has no IP yet, the scheduler does not answer,
     *     or its answer lacks the counts (its HTTP routes were changed to leave out {@code
     *     distributed.http.scheduler.json})
     */
    Counts counts(Pod schedulerPod) {
        String ip = schedulerPod.getStatus() == null ? null : schedulerPod.getStatus().getPodIP();
        if (ip == null || !"Running".equals(schedulerPod.getStatus().getPhase())) {
            throw new SchedulerActivityException("the scheduler pod is not running yet", false);
        }
        URI uri =
                URI.create(
                        "http://"
                                + ip
                                + ":"
                                + SchedulerConnections.port(schedulerPod, "http-dashboard", 8787)
                                + "/json/counts.json");
        HttpResponse<String> response;
        try {
            response =
                    http.send(
                            HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchedulerActivityException(
                    "the scheduler's HTTP server at " + uri + " does not answer: " + e, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchedulerActivityException("interrupted asking " + uri, false);
        }
        if (response.statusCode() == 404) {
            throw new SchedulerActivityException(
                    uri
                            + " answers 404: the scheduler's HTTP routes leave out"
                            + " distributed.http.scheduler.json, so its idleness cannot be"
                            + " measured; add it to DASK_DISTRIBUTED__SCHEDULER__HTTP__ROUTES",
                    true);
        }
        if (response.statusCode() != 200) {
            throw new SchedulerActivityException(
                    uri + " answers " + response.statusCode() + ": " + response.body(), false);
        }
        try {
            JsonNode counts = JSON.readTree(response.body());
            if (!counts.has("clients") || !counts.has("tasks")) {
                throw new SchedulerActivityException(
                        uri + " answers without clients and tasks: " + response.body(), true);
            }
            return new Counts(counts.get("clients").asInt(), counts.get("tasks").asInt());
        } catch (IOException e) {
            throw new SchedulerActivityException(uri + " answers no JSON: " + e, true);
        }
    }

    /** Why the counts are not known; {@code lasting} when asking again will not help. */
    static final class SchedulerActivityException extends RuntimeException {
        private final boolean lasting;

        SchedulerActivityException(String message, boolean lasting) {
            super(message);
            this.lasting = lasting;
        }

        boolean lasting() {
            return lasting;
        }
    }
}
