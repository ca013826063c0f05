/**
 * The local runtime: a Kubernetes in one JVM that runs pods as local processes, for development,
 * the demo and the tests. {@link io.daskkubernetes.local.LocalKubernetes} is the entry point.
 *
 * <ul>
 *   <li>{@code api}: the API server (fabric8's CRUD mock as object store behind our own request
 *       pipeline: discovery, admission, graceful pod deletion, pods/log, RFC 7386 merge patches,
 *       HTTP watches, and watches that resume from a resourceVersion or answer 410 Gone).
 *   <li>{@code kubelet}: binds pods to node "local" and runs their containers as process groups.
 *   <li>{@code network}: per-pod network namespaces on a bridge (as root) or the host network,
 *       hosts files with Service names, and the userspace Service proxy on cluster IPs.
 *   <li>{@code controllers}: Endpoints and garbage collection.
 * </ul>
 */
package io.daskkubernetes.local;
