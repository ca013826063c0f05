package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The server-side printing kubectl asks for ({@code Accept: ...;as=Table;g=meta.k8s.io}): the
 * columns of {@code kubectl get pods} (READY, STATUS, RESTARTS, AGE...) and of Services; NAME and
 * AGE for other kinds.
 */
final class TableView {

    record Column(String name, String type, int priority, Function<JsonNode, Object> cell) {}

    private TableView() {}

    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /** Converts a list (or a single object) answer into a meta.k8s.io/v1 Table. */
    static String convert(String resource, String body) {
        return convert(body, columns(resource));
    }

    /** As {@link #convert(String, String)}, with the given columns. */
    static String convert(String body, List<Column> columns) {
        JsonNode answer = Serialization.unmarshal(body, JsonNode.class);
        List<JsonNode> items = new ArrayList<>();
        if (answer.has("items")) {
            answer.get("items").forEach(items::add);
        } else {
            items.add(answer);
        }
        List<Map<String, Object>> definitions = new ArrayList<>();
        for (Column column : columns) {
            Map<String, Object> definition = new LinkedHashMap<>();
            definition.put("name", column.name());
            definition.put("type", column.type());
            definition.put("format", column.name().equals("Name") ? "name" : "");
            definition.put("description", column.name());
            definition.put("priority", column.priority());
            definitions.add(definition);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode item : items) {
            List<Object> cells = new ArrayList<>();
            columns.forEach(column -> cells.add(column.cell().apply(item)));
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("kind", "PartialObjectMetadata");
            object.put("apiVersion", "meta.k8s.io/v1");
            object.put("metadata", item.path("metadata"));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cells", cells);
            row.put("object", object);
            rows.add(row);
        }
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/v1");
        table.put(
                "metadata",
                Map.of(
                        "resourceVersion",
                        answer.path("metadata").path("resourceVersion").asText("")));
        table.put("columnDefinitions", definitions);
        table.put("rows", rows);
        return Serialization.asJson(table);
    }

    private static List<Column> columns(String resource) {
        Column name =
                new Column(
                        "Name", "string", 0, item -> item.path("metadata").path("name").asText());
        Column age = new Column("Age", "string", 0, TableView::age);
        if ("pods".equals(resource)) {
            return List.of(
                    name,
                    new Column("Ready", "string", 0, TableView::ready),
                    new Column("Status", "string", 0, TableView::podStatus),
                    new Column("Restarts", "string", 0, TableView::restarts),
                    age,
                    new Column(
                            "IP",
                            "string",
                            1,
                            item -> item.path("status").path("podIP").asText("<none>")),
                    new Column(
                            "Node",
                            "string",
                            1,
                            item -> item.path("spec").path("nodeName").asText("<none>")));
        }
        if ("services".equals(resource)) {
            return List.of(
                    name,
                    new Column(
                            "Type", "string", 0, item -> item.path("spec").path("type").asText()),
                    new Column(
                            "Cluster-IP",
                            "string",
                            0,
                            item -> item.path("spec").path("clusterIP").asText("<none>")),
                    new Column("External-IP", "string", 0, TableView::externalIp),
                    new Column("Port(s)", "string", 0, TableView::ports),
                    age,
                    new Column(
                            "Selector",
                            "string",
                            1,
                            item -> selector(item.path("spec").path("selector"))));
        }
        if ("endpoints".equals(resource)) {
            return List.of(name, new Column("Endpoints", "string", 0, TableView::endpoints), age);
        }
        if ("deployments".equals(resource)) {
            return List.of(
                    name,
                    new Column(
                            "Ready",
                            "string",
                            0,
                            item ->
                                    item.path("status").path("readyReplicas").asInt(0)
                                            + "/"
                                            + item.path("spec").path("replicas").asInt(1)),
                    new Column("Up-to-date", "integer", 0, item -> status(item, "updatedReplicas")),
                    new Column(
                            "Available", "integer", 0, item -> status(item, "availableReplicas")),
                    age);
        }
        if ("replicasets".equals(resource)) {
            return List.of(
                    name,
                    new Column(
                            "Desired",
                            "integer",
                            0,
                            item -> String.valueOf(item.path("spec").path("replicas").asInt(1))),
                    new Column("Current", "integer", 0, item -> status(item, "replicas")),
                    new Column("Ready", "integer", 0, item -> status(item, "readyReplicas")),
                    age);
        }
        if ("jobs".equals(resource)) {
            return List.of(
                    name,
                    new Column("Status", "string", 0, TableView::jobStatus),
                    new Column(
                            "Completions",
                            "string",
                            0,
                            item ->
                                    item.path("status").path("succeeded").asInt(0)
                                            + "/"
                                            + item.path("spec").path("completions").asInt(1)),
                    age);
        }
        return List.of(name, age);
    }

    /**
     * kubectl's ENDPOINTS: ready address:port pairs, port by port, the first three, then "+ N
     * more..."; addresses only for a subset without ports; {@code <none>} without subsets.
     */
    private static String endpoints(JsonNode endpoints) {
        JsonNode subsets = endpoints.path("subsets");
        if (subsets.isEmpty()) {
            return "<none>";
        }
        int max = 3;
        List<String> shown = new ArrayList<>();
        int count = 0;
        for (JsonNode subset : subsets) {
            List<String> ports = new ArrayList<>();
            subset.path("ports").forEach(port -> ports.add(":" + port.path("port").asText()));
            if (ports.isEmpty()) {
                ports.add("");
            }
            for (String port : ports) {
                for (JsonNode address : subset.path("addresses")) {
                    if (shown.size() < max) {
                        String ip = address.path("ip").asText();
                        shown.add(
                                (port.isEmpty() || !ip.contains(":") ? ip : "[" + ip + "]") + port);
                    }
                    count++;
                }
            }
        }
        String listed = String.join(",", shown);
        return count > max ? listed + " + " + (count - max) + " more..." : listed;
    }

    private static String status(JsonNode item, String field) {
        return String.valueOf(item.path("status").path(field).asInt(0));
    }

    private static String jobStatus(JsonNode job) {
        for (JsonNode condition : job.path("status").path("conditions")) {
            if ("True".equals(condition.path("status").asText())) {
                String type = condition.path("type").asText();
                if (type.equals("Complete") || type.equals("Failed")) {
                    return type;
                }
            }
        }
        return "Running";
    }

    private static String ready(JsonNode pod) {
        int total = pod.path("spec").path("containers").size();
        int ready = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            if (status.path("ready").asBoolean()) {
                ready++;
            }
        }
        return ready + "/" + total;
    }

    /**
     * kubectl's STATUS: Terminating, else a container's waiting or terminated reason, else the
     * phase.
     */
    private static String podStatus(JsonNode pod) {
        if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()
                && !pod.path("metadata").path("deletionTimestamp").isNull()) {
            return "Terminating";
        }
        String reason = pod.path("status").path("reason").asText("");
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            JsonNode state = status.path("state");
            if (state.has("waiting")
                    && !state.path("waiting").path("reason").asText("").isEmpty()) {
                reason = state.path("waiting").path("reason").asText();
            } else if (state.has("terminated")
                    && !state.path("terminated").path("reason").asText("").isEmpty()) {
                reason = state.path("terminated").path("reason").asText();
            }
        }
        return reason.isEmpty() ? pod.path("status").path("phase").asText("Pending") : reason;
    }

    private static String restarts(JsonNode pod) {
        int restarts = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            restarts += status.path("restartCount").asInt();
        }
        return String.valueOf(restarts);
    }

    private static String externalIp(JsonNode service) {
        JsonNode ingress = service.path("status").path("loadBalancer").path("ingress");
        if (ingress.size() > 0) {
            return ingress.get(0).path("ip").asText("<pending>");
        }
        return "LoadBalancer".equals(service.path("spec").path("type").asText())
                ? "<pending>"
                : "<none>";
    }

    private static String ports(JsonNode service) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            String nodePort = port.has("nodePort") ? ":" + port.path("nodePort").asText() : "";
            ports.add(
                    port.path("port").asText()
                            + nodePort
                            + "/"
                            + port.path("protocol").asText("TCP"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
    }

    private static String selector(JsonNode selector) {
        List<String> pairs = new ArrayList<>();
        selector.fields()
                .forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
        return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
    }

    /** kubectl's short ages: 42s, 5m3s, 17m, 3h4m, 5d. */
    static String age(JsonNode item) {
        String created = item.path("metadata").path("creationTimestamp").asText("");
        if (created.isEmpty()) {
            return "<unknown>";
        }
        Duration age = Duration.between(Instant.parse(created), Instant.now());
        long seconds = Math.max(0, age.getSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return minutes + "m" + (seconds % 60) + "s";
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return hours + "h" + (minutes % 60 == 0 ? "" : (minutes % 60) + "m");
        }
        return (hours / 24) + "d";
    }
}
