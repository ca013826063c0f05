package io.daskkubernetes.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The console's JSON API as a page uses it, for tests: GETs and POSTs with the token. */
final class ConsoleClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    ConsoleClient(WebConsole console) {
        this.base = console.baseUrl();
        this.token = console.token();
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(path).GET().build());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path.replaceFirst("^/", "")))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
    }

    HttpRequest.Builder unauthenticated(String path) {
        return HttpRequest.newBuilder(URI.create(base + path.replaceFirst("^/", "")))
                .timeout(Duration.ofSeconds(30));
    }
}
