package io.daskkubernetes.local.api;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Answers the discovery endpoints ({@code /version}, {@code /api}, {@code /apis} and each group
 * version) that the CRUD mock lacks and that kubectl needs to map kinds to resources. Custom
 * resource definitions stored in the API appear here as soon as they are created, as on a real
 * cluster.
 */
public final class Discovery {

    private static final List<String> VERBS =
            List.of(
                    "create",
                    "delete",
                    "deletecollection",
                    "get",
                    "list",
                    "patch",
                    "update",
                    "watch");

    /** One row of the resource table: what {@code kubectl api-resources} would print. */
    record Resource(
            String group,
            String version,
            String plural,
            String singular,
            String kind,
            boolean namespaced,
            List<String> shortNames,
            List<String> categories) {}

    private static final List<Resource> BUILT_IN =
            List.of(
                    core("pods", "pod", "Pod", true, List.of("po"), List.of("all")),
                    core("pods/log", "", "Pod", true, List.of(), List.of()),
                    core("pods/status", "", "Pod", true, List.of(), List.of()),
                    core("services", "service", "Service", true, List.of("svc"), List.of("all")),
                    core("services/status", "", "Service", true, List.of(), List.of()),
                    core("endpoints", "endpoints", "Endpoints", true, List.of("ep"), List.of()),
                    core("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of()),
                    core("nodes", "node", "Node", false, List.of("no"), List.of()),
                    core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), List.of()),
                    core("secrets", "secret", "Secret", true, List.of(), List.of()),
                    core(
                            "serviceaccounts",
                            "serviceaccount",
                            "ServiceAccount",
                            true,
                            List.of("sa"),
                            List.of()),
                    core("events", "event", "Event", true, List.of("ev"), List.of()),
                    core(
                            "persistentvolumeclaims",
                            "persistentvolumeclaim",
                            "PersistentVolumeClaim",
                            true,
                            List.of("pvc"),
                            List.of()),
                    core(
                            "persistentvolumes",
                            "persistentvolume",
                            "PersistentVolume",
                            false,
                            List.of("pv"),
                            List.of()),
                    new Resource(
                            "apps",
                            "v1",
                            "deployments",
                            "deployment",
                            "Deployment",
                            true,
                            List.of("deploy"),
                            List.of("all")),
                    new Resource(
                            "apps",
                            "v1",
                            "replicasets",
                            "replicaset",
                            "ReplicaSet",
                            true,
                            List.of("rs"),
                            List.of("all")),
                    new Resource(
                            "apps",
                            "v1",
                            "statefulsets",
                            "statefulset",
                            "StatefulSet",
                            true,
                            List.of("sts"),
                            List.of("all")),
                    new Resource(
                            "apps",
                            "v1",
                            "daemonsets",
                            "daemonset",
                            "DaemonSet",
                            true,
                            List.of("ds"),
                            List.of("all")),
                    new Resource(
                            "batch", "v1", "jobs", "job", "Job", true, List.of(), List.of("all")),
                    new Resource(
                            "batch",
                            "v1",
                            "cronjobs",
                            "cronjob",
                            "CronJob",
                            true,
                            List.of("cj"),
                            List.of("all")),
                    new Resource(
                            "policy",
                            "v1",
                            "poddisruptionbudgets",
                            "poddisruptionbudget",
                            "PodDisruptionBudget",
                            true,
                            List.of("pdb"),
                            List.of()),
                    new Resource(
                            "coordination.k8s.io",
                            "v1",
                            "leases",
                            "lease",
                            "Lease",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "discovery.k8s.io",
                            "v1",
                            "endpointslices",
                            "endpointslice",
                            "EndpointSlice",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "networking.k8s.io",
                            "v1",
                            "ingresses",
                            "ingress",
                            "Ingress",
                            true,
                            List.of("ing"),
                            List.of()),
                    new Resource(
                            "rbac.authorization.k8s.io",
                            "v1",
                            "roles",
                            "role",
                            "Role",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "rbac.authorization.k8s.io",
                            "v1",
                            "rolebindings",
                            "rolebinding",
                            "RoleBinding",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "rbac.authorization.k8s.io",
                            "v1",
                            "clusterroles",
                            "clusterrole",
                            "ClusterRole",
                            false,
                            List.of(),
                            List.of()),
                    new Resource(
                            "rbac.authorization.k8s.io",
                            "v1",
                            "clusterrolebindings",
                            "clusterrolebinding",
                            "ClusterRoleBinding",
                            false,
                            List.of(),
                            List.of()),
                    new Resource(
                            "apiextensions.k8s.io",
                            "v1",
                            "customresourcedefinitions",
                            "customresourcedefinition",
                            "CustomResourceDefinition",
                            false,
                            List.of("crd", "crds"),
                            List.of()),
                    new Resource(
                            "authorization.k8s.io",
                            "v1",
                            AccessReviews.PLURAL,
                            "",
                            "SelfSubjectAccessReview",
                            false,
                            List.of(),
                            List.of()),
                    new Resource(
                            "authorization.k8s.io",
                            "v1",
                            SubjectRulesReviews.PLURAL,
                            "",
                            "SelfSubjectRulesReview",
                            false,
                            List.of(),
                            List.of()),
                    new Resource(
                            "apps",
                            "v1",
                            "deployments/status",
                            "",
                            "Deployment",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "apps",
                            "v1",
                            "deployments/scale",
                            "",
                            "Scale",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "apps",
                            "v1",
                            "replicasets/status",
                            "",
                            "ReplicaSet",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "apps",
                            "v1",
                            "replicasets/scale",
                            "",
                            "Scale",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "apps",
                            "v1",
                            "statefulsets/scale",
                            "",
                            "Scale",
                            true,
                            List.of(),
                            List.of()),
                    new Resource(
                            "batch", "v1", "jobs/status", "", "Job", true, List.of(), List.of()));

    private static final String CRD_PATH =
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private final ObjectStore store;
    private final String serverAddress;

    public Discovery(ObjectStore store, String serverAddress) {
        this.store = store;
        this.serverAddress = serverAddress;
    }

    private static Resource core(
            String plural,
            String singular,
            String kind,
            boolean namespaced,
            List<String> shortNames,
            List<String> categories) {
        return new Resource("", "v1", plural, singular, kind, namespaced, shortNames, categories);
    }

    /** True when the path is one of the discovery endpoints answered here. */
    public static boolean handles(ApiPath path) {
        return (path.root().equals("version")
                        || path.root().equals("api")
                        || path.root().equals("apis"))
                && path.resource() == null;
    }

    public MockResponse answer(ApiPath path) {
        if (path.root().equals("version")) {
            return ApiResponses.json(200, version());
        }
        if (path.root().equals("api")) {
            if (path.version() == null) {
                return ApiResponses.json(
                        200,
                        new APIVersionsBuilder()
                                .withVersions("v1")
                                .addNewServerAddressByClientCIDR("0.0.0.0/0", serverAddress)
                                .build());
            }
            return resourceList("", path.version());
        }
        if (path.group() == null) {
            return ApiResponses.json(200, new APIGroupListBuilder().withGroups(groups()).build());
        }
        if (path.version() == null) {
            return groups().stream()
                    .filter(g -> g.getName().equals(path.group()))
                    .findFirst()
                    .map(g -> ApiResponses.json(200, g))
                    .orElseGet(() -> ApiResponses.notFound("group", path.group()));
        }
        return resourceList(path.group(), path.version());
    }

    private static Map<String, String> version() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("major", "1");
        info.put("minor", "32");
        info.put("gitVersion", "v1.32.0-dask-local");
        info.put("gitCommit", "0000000000000000000000000000000000000000");
        info.put("gitTreeState", "clean");
        info.put("buildDate", "2026-01-01T00:00:00Z");
        info.put("goVersion", "go1.23");
        info.put("compiler", "gc");
        info.put("platform", "linux/amd64");
        return info;
    }

    private MockResponse resourceList(String group, String version) {
        List<APIResource> resources =
                allResources()
                        .filter(r -> r.group().equals(group) && r.version().equals(version))
                        .map(Discovery::toApiResource)
                        .toList();
        if (resources.isEmpty()) {
            return ApiResponses.notFound(
                    "group version", group.isEmpty() ? version : group + "/" + version);
        }
        String groupVersion = group.isEmpty() ? version : group + "/" + version;
        return ApiResponses.json(
                200,
                new APIResourceListBuilder()
                        .withGroupVersion(groupVersion)
                        .withResources(resources)
                        .build());
    }

    private static APIResource toApiResource(Resource r) {
        boolean subresource = r.plural().contains("/");
        if (r.plural().endsWith("/scale")) {
            // The scale subresource is an autoscaling/v1 Scale whatever its parent's group.
            return new APIResourceBuilder()
                    .withName(r.plural())
                    .withSingularName("")
                    .withGroup("autoscaling")
                    .withVersion("v1")
                    .withKind("Scale")
                    .withNamespaced(r.namespaced())
                    .withVerbs("get", "patch", "update")
                    .build();
        }
        return new APIResourceBuilder()
                .withName(r.plural())
                .withSingularName(r.singular())
                .withKind(r.kind())
                .withNamespaced(r.namespaced())
                .withVerbs(
                        subresource
                                ? List.of("get", "patch", "update")
                                : AccessReviews.PLURAL.equals(r.plural())
                                                || SubjectRulesReviews.PLURAL.equals(r.plural())
                                        ? List.of("create")
                                        : VERBS)
                .withShortNames(r.shortNames().isEmpty() ? null : r.shortNames())
                .withCategories(r.categories().isEmpty() ? null : r.categories())
                .build();
    }

    private List<APIGroup> groups() {
        Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
        allResources()
                .filter(r -> !r.group().isEmpty())
                .forEach(
                        r -> {
                            List<String> versions =
                                    versionsByGroup.computeIfAbsent(
                                            r.group(), g -> new ArrayList<>());
                            if (!versions.contains(r.version())) {
                                versions.add(r.version());
                            }
                        });
        List<APIGroup> groups = new ArrayList<>();
        versionsByGroup.forEach(
                (group, versions) -> {
                    List<GroupVersionForDiscovery> discovered =
                            versions.stream()
                                    .map(v -> new GroupVersionForDiscovery(group + "/" + v, v))
                                    .toList();
                    groups.add(
                            new APIGroupBuilder()
                                    .withName(group)
                                    .withVersions(discovered)
                                    .withPreferredVersion(discovered.get(0))
                                    .build());
                });
        return groups;
    }

    /** The served resource (or subresource, "pods/status") of a group version, if any. */
    Optional<Resource> find(String group, String version, String plural) {
        return allResources()
                .filter(
                        r ->
                                r.group().equals(group)
                                        && r.version().equals(version)
                                        && r.plural().equals(plural))
                .findFirst();
    }

    /** Every served resource and subresource, built-in and custom. */
    List<Resource> resources() {
        return allResources().toList();
    }

    /**
     * Where a custom resource keeps its replicas and selector, when its definition declares a scale
     * subresource: (specReplicasPath, statusReplicasPath, labelSelectorPath).
     */
    Optional<List<String>> customScalePaths(String group, String version, String plural) {
        for (CustomResourceDefinition crd : store.list(CRD_PATH, CustomResourceDefinition.class)) {
            if (!crd.getSpec().getGroup().equals(group)
                    || !crd.getSpec().getNames().getPlural().equals(plural)) {
                continue;
            }
            for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
                if (v.getName().equals(version)
                        && v.getSubresources() != null
                        && v.getSubresources().getScale() != null) {
                    var scale = v.getSubresources().getScale();
                    return Optional.of(
                            Arrays.asList(
                                    scale.getSpecReplicasPath(),
                                    scale.getStatusReplicasPath(),
                                    scale.getLabelSelectorPath()));
                }
            }
        }
        return Optional.empty();
    }

    private Stream<Resource> allResources() {
        return Stream.concat(BUILT_IN.stream(), customResources().stream());
    }

    private List<Resource> customResources() {
        List<Resource> resources = new ArrayList<>();
        for (CustomResourceDefinition crd : store.list(CRD_PATH, CustomResourceDefinition.class)) {
            var names = crd.getSpec().getNames();
            boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
            List<String> shortNames =
                    names.getShortNames() == null ? List.of() : names.getShortNames();
            List<String> categories =
                    names.getCategories() == null ? List.of() : names.getCategories();
            for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
                if (Boolean.FALSE.equals(version.getServed())) {
                    continue;
                }
                String singular =
                        names.getSingular() == null
                                ? names.getKind().toLowerCase()
                                : names.getSingular();
                resources.add(
                        new Resource(
                                crd.getSpec().getGroup(),
                                version.getName(),
                                names.getPlural(),
                                singular,
                                names.getKind(),
                                namespaced,
                                shortNames,
                                categories));
                if (version.getSubresources() != null
                        && version.getSubresources().getScale() != null) {
                    resources.add(
                            new Resource(
                                    crd.getSpec().getGroup(),
                                    version.getName(),
                                    names.getPlural() + "/scale",
                                    "",
                                    "Scale",
                                    namespaced,
                                    List.of(),
                                    List.of()));
                }
                if (version.getSubresources() != null
                        && version.getSubresources().getStatus() != null) {
                    resources.add(
                            new Resource(
                                    crd.getSpec().getGroup(),
                                    version.getName(),
                                    names.getPlural() + "/status",
                                    "",
                                    names.getKind(),
                                    namespaced,
                                    List.of(),
                                    List.of()));
                }
            }
        }
        return resources;
    }
}
