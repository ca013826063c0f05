/**
 * The pure model of a Dask cluster on Kubernetes: pod templates, their lint, the validated settings
 * of one cluster ({@link io.daskkubernetes.model.ClusterSpec}) and the fabric8 objects it is made
 * of ({@link io.daskkubernetes.model.ClusterModel}). No I/O other than reading template files.
 */
package io.daskkubernetes.model;
