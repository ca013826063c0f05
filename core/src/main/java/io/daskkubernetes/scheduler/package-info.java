/**
 * Talking to a running Dask scheduler: which workers it has, how many it wants, which it would
 * close, and retiring workers so that their data moves to the survivors before their pods go.
 *
 * <p>Two transports behind {@link io.daskkubernetes.scheduler.SchedulerClient}: {@link
 * io.daskkubernetes.scheduler.HttpSchedulerClient} (the scheduler's HTTP API, which our scheduler
 * pods switch on) and {@link io.daskkubernetes.scheduler.TcpSchedulerClient} (Dask's own comm
 * protocol, for any scheduler); {@link io.daskkubernetes.scheduler.SchedulerClients#connect} picks
 * one. The TCP protocol is built from {@link io.daskkubernetes.scheduler.DaskFrames} (the frame
 * layout), {@link io.daskkubernetes.scheduler.MsgpackValues} (msgpack to plain Java values) and a
 * handshaken connection, {@code DaskComm}.
 */
package io.daskkubernetes.scheduler;
