package io.daskkubernetes.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The request pipeline of the API server: discovery, pod logs, graceful pod deletion and the admission
 * of pods and Services are ours; everything else is the generic CRUD of the {@link ObjectStore}.
 */
public final class ApiDispatcher extends Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);

  private final ObjectStore store;
  private final Discovery discovery;
  private final PodLogEndpoint podLogs;
  private final PodDeletion podDeletion;
  private final PodAdmission podAdmission = new PodAdmission();
  private final ServiceAdmission serviceAdmission;
  private final GeneratedNames generatedNames = new GeneratedNames();

  public ApiDispatcher(ObjectStore store, Discovery discovery, PodLogEndpoint podLogs, PodDeletion podDeletion,
                       ServiceAdmission serviceAdmission) {
    this.store = store;
    this.discovery = discovery;
    this.podLogs = podLogs;
    this.podDeletion = podDeletion;
    this.serviceAdmission = serviceAdmission;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      return route(request);
    } catch (AdmissionException e) {
      return ApiResponses.status(422, "Invalid", e.getMessage());
    } catch (LogRequestException e) {
      return ApiResponses.status(e.code(), "BadRequest", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("{} {} failed", request.getMethod(), request.getPath(), e);
      return ApiResponses.status(500, "InternalError", e.toString());
    }
  }

  private MockResponse route(RecordedRequest request) {
    ApiPath path = ApiPath.parse(request.getPath());
    String method = request.getMethod().toUpperCase();
    if (Discovery.handles(path) && method.equals("GET")) {
      return discovery.answer(path);
    }
    if (PodLogRequest.matches(path) && method.equals("GET")) {
      return podLogs.answer(PodLogRequest.from(path));
    }
    if (path.isCoreResource("pods") && path.subresource() == null && method.equals("DELETE")) {
      return podDeletion.delete(path, body(request));
    }
    if (method.equals("POST") && path.isResource() && path.name() == null) {
      return create(path, request);
    }
    if (method.equals("PUT") && path.isCoreResource("services") && path.name() != null && path.subresource() == null) {
      return replaceService(path, request);
    }
    if (method.equals("PATCH") && isStrategicMergePatch(request)) {
      return store.handle(asMergePatch(request));
    }
    return store.handle(request);
  }

  private MockResponse create(ApiPath path, RecordedRequest request) {
    String body = body(request);
    JsonNode parsed = Serialization.unmarshal(body, JsonNode.class);
    if (!(parsed instanceof ObjectNode object)) {
      return ApiResponses.badRequest("the request body must be a JSON object");
    }
    return store.atomically(() -> {
      generatedNames.apply(object, name -> store.getJson(path.collectionPath() + "/" + name).isPresent());
      if (path.isCoreResource("pods")) {
        Pod pod = podAdmission.admit(Serialization.jsonMapper().convertValue(object, Pod.class));
        return store.create(path.collectionPath(), Serialization.asJson(pod));
      }
      if (path.isCoreResource("services")) {
        List<Service> existing = store.list("/api/v1/services", Service.class);
        Service service = serviceAdmission.admitCreate(
            Serialization.jsonMapper().convertValue(object, Service.class), existing);
        return store.create(path.collectionPath(), Serialization.asJson(service));
      }
      return store.create(path.collectionPath(), Serialization.asJson(object));
    });
  }

  private MockResponse replaceService(ApiPath path, RecordedRequest request) {
    Service service = Serialization.unmarshal(body(request), Service.class);
    return store.atomically(() -> {
      var stored = store.get(path.objectPath(), Service.class);
      if (stored.isEmpty()) {
        return ApiResponses.notFound("services", path.name());
      }
      Service admitted = serviceAdmission.admitUpdate(service, stored.get());
      return store.handle(ObjectStore.request(request.method(), request.getPath(), "application/json",
          Serialization.asJson(admitted)));
    });
  }

  /**
   * kubectl sends strategic merge patches, which the mock refuses (415). For the fields people patch
   * (labels, annotations, scalars, whole lists) a JSON merge patch does the same; list merging by key and
   * the {@code $patch} directives are not supported.
   */
  private static boolean isStrategicMergePatch(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    return contentType != null && contentType.startsWith("application/strategic-merge-patch+json");
  }

  private static RecordedRequest asMergePatch(RecordedRequest request) {
    JsonNode patch = Serialization.unmarshal(body(request), JsonNode.class);
    removeDirectives(patch);
    return ObjectStore.request(request.method(), request.getPath(), "application/merge-patch+json",
        Serialization.asJson(patch));
  }

  private static void removeDirectives(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> directives = new java.util.ArrayList<>();
      object.fieldNames().forEachRemaining(name -> {
        if (name.startsWith("$")) {
          directives.add(name);
        }
      });
      object.remove(directives);
      object.forEach(ApiDispatcher::removeDirectives);
    }
  }

  private static String body(RecordedRequest request) {
    if (request.getBody() == null || request.getBody().size() == 0) {
      return "";
    }
    return new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
  }
}
