package io.daskkubernetes.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The install manifests of deploy/ as objects: the Helm chart rendered by a real Helm (helm-java)
 * and the kustomize overlays built by kubectl's kustomize.
 */
final class DeployManifests {

    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    static final Path CHART = DEPLOY.resolve("helm/dask-kubernetes-operator");
    static final Path OVERLAYS = DEPLOY.resolve("kustomize/overlays");
    static final String RELEASE = "dask-kubernetes-operator";
    static final String NAMESPACE = "dask-operator";

    private static final YAMLMapper YAML = new YAMLMapper();

    private DeployManifests() {}

    /** {@code helm template} of the chart, as release {@value #RELEASE} in {@value #NAMESPACE}. */
    static List<JsonNode> helmTemplate(Map<String, String> values) {
        TemplateCommand template =
                new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        values.forEach(template::set);
        return parse(template.call());
    }

    /** {@code kubectl kustomize} of {@code directory}. */
    static List<JsonNode> kustomize(Path directory) {
        return parse(run(List.of("/usr/bin/kubectl", "kustomize", directory.toString())));
    }

    static List<JsonNode> parse(String yaml) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.has("kind")) {
                    objects.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    /** kind/namespace/name of an object, namespace "-" when it has none. */
    static String identity(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return object.path("kind").asText()
                + "/"
                + metadata.path("namespace").asText("-")
                + "/"
                + metadata.path("name").asText();
    }

    /** Runs a program, its output into a file (kustomize prints far more than a pipe holds). */
    static String run(List<String> command) {
        return run(command, Map.of());
    }

    /** kubectl against {@code kubeconfig}; fails with its error output unless it exits 0. */
    static String kubectl(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl"));
        command.addAll(List.of(args));
        return run(command, Map.of("KUBECONFIG", kubeconfig.toString())).trim();
    }

    static String run(List<String> command, Map<String, String> environment) {
        try {
            Path out = Files.createTempFile("deploy-manifests", ".out");
            Path err = Files.createTempFile("deploy-manifests", ".err");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command)
                                .redirectOutput(out.toFile())
                                .redirectError(err.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                try {
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        throw new AssertionError(command + " did not finish in 60 s");
                    }
                } finally {
                    process.destroyForcibly();
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError(
                            command
                                    + " exited "
                                    + process.exitValue()
                                    + ": "
                                    + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
