package io.daskkubernetes.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the scheduler's dashboard page can show anything: a Dask without bokeh (Debian's, for
 * one) answers every dashboard page with "Dask needs bokeh ...", though its HTTP API works.
 */
final class DashboardCheck {

    private static final Logger log = LoggerFactory.getLogger(DashboardCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private DashboardCheck() {}

    /** Why the dashboard at {@code base} cannot work, or empty when it can (or cannot be asked). */
    static Optional<String> problem(String base) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + "/status")).timeout(TIMEOUT).GET().build();
        try {
            String page = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            if (page.contains("needs bokeh")) {
                return Optional.of(
                        "the scheduler's Dask has no bokeh, so its dashboard pages only say \""
                                + page.strip().lines().findFirst().orElse("")
                                + "\"; its HTTP API (/api/v1, /health) works. An image with bokeh"
                                + " (ghcr.io/dask/dask has it) shows the dashboard");
            }
            return Optional.empty();
        } catch (IOException e) {
            log.debug("Could not ask the dashboard at {}: {}", base, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
