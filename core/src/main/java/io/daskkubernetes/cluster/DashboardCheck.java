package io.daskkubernetes.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the scheduler's dashboard page can show anything: a Dask without bokeh (Debian's, for
 * one) answers every dashboard page with "Dask needs bokeh ...", though its HTTP API works.
 */
final class DashboardCheck {

    private static final Logger log = LoggerFactory.getLogger(DashboardCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][^>]*>");
    private static final Pattern BOKEH_SENTENCE =
            Pattern.compile("Dask needs bokeh.*?\\.(?=\\s|$)");

    private DashboardCheck() {}

    /**
     * What a dashboard page says is wrong, in plain words (the page is HTML), or empty when it is a
     * dashboard.
     */
    static Optional<String> problemIn(String page) {
        if (!page.contains("needs bokeh")) {
            return Optional.empty();
        }
        String text = HTML_TAG.matcher(page).replaceAll(" ").replaceAll("\\s+", " ").strip();
        Matcher sentence = BOKEH_SENTENCE.matcher(text);
        return Optional.of(
                "the scheduler's Dask has no bokeh, so its dashboard pages only say \""
                        + (sentence.find() ? sentence.group() : text)
                        + "\"; its HTTP API (/api/v1, /health) works. An image with bokeh"
                        + " (ghcr.io/dask/dask has it) shows the dashboard");
    }

    /** Why the dashboard at {@code base} cannot work, or empty when it can (or cannot be asked). */
    static Optional<String> problem(String base) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + "/status")).timeout(TIMEOUT).GET().build();
        try {
            return problemIn(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            log.debug("Could not ask the dashboard at {}: {}", base, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
