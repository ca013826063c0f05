package io.daskkubernetes.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskkubernetes.local.LocalKubernetes;
import io.daskkubernetes.operator.OperatorProcess;
import io.daskkubernetes.operator.OperatorSettings;
import io.daskkubernetes.operator.api.DaskCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** The command line's two log formats, on standard error. */
class LoggingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SLEEPING_CLUSTER =
            Path.of("..", "operator", "src", "test", "resources", "fixtures")
                    .resolve("sleeping-daskcluster.yaml");

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream standardError;

    @BeforeEach
    void captureStandardError() {
        standardError = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(standardError);
        Logging.configure(Logging.Format.text, Logging.LogLevel.warn);
    }

    @Test
    void textLinesHaveTheLevelAndTheLoggerAndRespectTheLevel() {
        Logging.configure(Logging.Format.text, Logging.LogLevel.warn);
        LoggerFactory.getLogger("io.example.Quiet").info("not shown");
        LoggerFactory.getLogger("io.example.Loud").warn("shown {}", 42);

        assertThat(lines())
                .singleElement()
                .asString()
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  Loud - shown 42");
    }

    /**
     * What a log collector gets from the operator in a pod: one JSON object a line, and the lines
     * of a reconcile name the object reconciled, without parsing the message.
     */
    @Test
    @Timeout(120)
    void theOperatorsJsonLinesNameTheObjectTheyAreAbout() throws IOException {
        Logging.configure(Logging.Format.json, Logging.LogLevel.info);
        try (LocalKubernetes local = LocalKubernetes.builder().start();
                OperatorProcess operator =
                        OperatorProcess.start(
                                local.client(),
                                OperatorSettings.watching(Set.of()).installingCrds(true),
                                OptionalInt.empty())) {
            local.client().resource(sleepingCluster("logged")).create();

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> workerPodCreation(jsonLines()) != null);
        }
        List<JsonNode> lines = jsonLines();
        assertThat(lines).hasSameSizeAs(lines());
        JsonNode created = workerPodCreation(lines);
        assertThat(created.path("level").asText()).isEqualTo("INFO");
        assertThat(created.path("logger_name").asText())
                .isEqualTo("io.daskkubernetes.operator.DaskWorkerGroupReconciler");
        assertThat(created.path("resource.kind").asText()).isEqualTo("DaskWorkerGroup");
        assertThat(created.path("resource.namespace").asText()).isEqualTo("default");
        assertThat(created.path("resource.name").asText()).isEqualTo("logged-default");
        assertThat(created.path("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    private static JsonNode workerPodCreation(List<JsonNode> lines) {
        return lines.stream()
                .filter(l -> l.path("message").asText().contains("created worker pod"))
                .findFirst()
                .orElse(null);
    }

    /** The complete lines written so far (another thread may be writing the next one). */
    private List<String> lines() {
        String text = captured.toString(StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    /** Every captured line parsed as JSON; fails on a line that is not a JSON object. */
    private List<JsonNode> jsonLines() {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines()) {
            try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
                parsed.add(node);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return parsed;
    }

    /** The operator tests' DaskCluster whose pods only sleep, renamed. */
    private static DaskCluster sleepingCluster(String name) throws IOException {
        DaskCluster cluster =
                Serialization.unmarshal(Files.readString(SLEEPING_CLUSTER), DaskCluster.class);
        cluster.getMetadata().setName(name);
        cluster.getSpec()
                .getScheduler()
                .getService()
                .getSelector()
                .put("dask.org/cluster-name", name);
        return cluster;
    }
}
