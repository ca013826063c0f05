package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher serves the web console: {@code local --ui} and {@code ui} against that runtime's
 * kubeconfig each print a URL with a token; the token opens the console's API, nothing else does;
 * only {@code --allow-scaling} hands the pages a CSRF secret for writes.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class UiCommandIT {

    static final Duration READY = Duration.ofMinutes(2);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path output;

    private LaunchedProcess local;
    private LaunchedProcess ui;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (ui != null) {
            ui.close();
        }
        if (local != null) {
            local.close();
        }
    }

    @Test
    void localUiAndUiPrintAConsoleUrlThatOnlyItsTokenOpens() throws Exception {
        local = Launcher.start(output, Map.of(), "local", "--ui");
        String localUrl = consoleUrl(local);
        String kubeconfig =
                local.awaitStdoutLine(
                                "its kubeconfig line", l -> l.startsWith("kubeconfig: "), READY)
                        .substring("kubeconfig: ".length())
                        .strip();
        assertThat(URI.create(localUrl).getHost()).isEqualTo("127.0.0.1");
        assertThat(get(localUrl, "api/clusters", true).get("clusters").isArray()).isTrue();
        assertThat(get(localUrl, "api/session", true).get("allowScaling").asBoolean()).isFalse();
        assertThat(status(localUrl, "api/clusters", false)).isEqualTo(401);

        ui =
                Launcher.start(
                        output,
                        Map.of(),
                        "--kubeconfig",
                        kubeconfig,
                        "ui",
                        "--allow-scaling",
                        "--sampling-interval",
                        "1");
        String uiUrl = consoleUrl(ui);
        JsonNode session = get(uiUrl, "api/session", true);
        assertThat(session.get("allowScaling").asBoolean()).isTrue();
        assertThat(session.get("csrf").asText()).isNotBlank();
        assertThat(session.get("samplingMillis").asLong()).isEqualTo(1000);
        assertThat(status(uiUrl, "api/session", false)).isEqualTo(401);
    }

    private static String consoleUrl(LaunchedProcess process) {
        return process.awaitStdoutLine(
                        "its web console line", l -> l.startsWith("web console: "), READY)
                .substring("web console: ".length())
                .strip();
    }

    private JsonNode get(String url, String path, boolean withToken) throws Exception {
        HttpResponse<String> response = send(url, path, withToken);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private int status(String url, String path, boolean withToken) throws Exception {
        return send(url, path, withToken).statusCode();
    }

    private HttpResponse<String> send(String url, String path, boolean withToken) throws Exception {
        URI base = URI.create(url);
        String token = base.getQuery().substring("token=".length());
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve("/" + path)).timeout(Duration.ofSeconds(30));
        if (withToken) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
