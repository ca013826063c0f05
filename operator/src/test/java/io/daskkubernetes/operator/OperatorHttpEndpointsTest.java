package io.daskkubernetes.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OperatorHttpEndpointsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void probesAnswer200WhenOkAnd503WhenNotAndMetricsAreServedAsText() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(true);
        try (OperatorHttpEndpoints endpoints =
                OperatorHttpEndpoints.start(
                        0,
                        () -> new OperatorHttpEndpoints.Probe(healthy.get(), "informers"),
                        () -> new OperatorHttpEndpoints.Probe(true, "standby"),
                        () -> "dask_operator_workers{phase=\"Running\"} 2.0\n")) {
            assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(200);
            healthy.set(false);
            HttpResponse<String> unhealthy = get(endpoints, "/healthz");
            assertThat(unhealthy.statusCode()).isEqualTo(503);
            assertThat(unhealthy.body()).isEqualTo("not ok: informers\n");
            assertThat(get(endpoints, "/readyz").body()).isEqualTo("ok: standby\n");
            HttpResponse<String> metrics = get(endpoints, "/metrics");
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body()).contains("dask_operator_workers{phase=\"Running\"} 2.0");
        }
    }

    private HttpResponse<String> get(OperatorHttpEndpoints endpoints, String path)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
