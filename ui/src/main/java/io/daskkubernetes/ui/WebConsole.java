package io.daskkubernetes.ui;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console of every Dask cluster: informers on Kubernetes, one sampler for all schedulers,
 * and an HTTP server whose URL carries a one-time token. Close it to stop all three.
 */
public final class WebConsole implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebConsole.class);

    private final FleetInformers fleet;
    private final DaskKindsDiscovery discovery;
    private final SchedulerSampler sampler;
    private final ScalingActions actions;
    private final ConsoleHttpServer server;
    private final ConsoleAccess access;

    private WebConsole(
            FleetInformers fleet,
            DaskKindsDiscovery discovery,
            SchedulerSampler sampler,
            ScalingActions actions,
            ConsoleHttpServer server,
            ConsoleAccess access) {
        this.fleet = fleet;
        this.discovery = discovery;
        this.sampler = sampler;
        this.actions = actions;
        this.server = server;
        this.access = access;
    }

    public static WebConsole start(KubernetesClient client, ConsoleOptions options) {
        return start(
                client,
                options,
                AddressReachability.tcpConnect(),
                DaskKindsDiscovery.DEFAULT_EVERY);
    }

    /**
     * @param reachability whether a scheduler's cluster IP routes here (else it is port-forwarded)
     * @param crdCheckEvery how often to look for Dask CRDs installed since the start
     */
    static WebConsole start(
            KubernetesClient client,
            ConsoleOptions options,
            AddressReachability reachability,
            Duration crdCheckEvery) {
        String namespace =
                options.namespace() != null ? options.namespace() : readableScope(client);
        ClusterHistory history = new ClusterHistory();
        // The informers' handlers are made before the facts they consult exist.
        SchedulerSampler[] sampler = new SchedulerSampler[1];
        AtomicReference<ClusterFacts> factsOnceStarted = new AtomicReference<>();
        ScalingDecisions decisions =
                new ScalingDecisions(
                        history,
                        key ->
                                Optional.ofNullable(factsOnceStarted.get())
                                        .flatMap(f -> f.adaptiveBounds(key))
                                        .map(b -> b[0] + "–" + b[1]));
        FleetInformers fleet = new FleetInformers(client, namespace, decisions);
        DaskKindsDiscovery discovery = new DaskKindsDiscovery(fleet);
        ScalingActions actions = null;
        try {
            ClusterFacts facts = new ClusterFacts(fleet);
            factsOnceStarted.set(facts);
            sampler[0] =
                    new SchedulerSampler(
                            fleet,
                            facts,
                            history,
                            options.samplingInterval(),
                            client,
                            reachability);
            actions = new ScalingActions(client, facts, history);
            ConsoleAccess access = new ConsoleAccess(new SecureRandom());
            ConsoleHttpServer server =
                    new ConsoleHttpServer(
                            new InetSocketAddress(options.address(), options.port()),
                            access,
                            new FleetView(
                                    fleet, facts, sampler[0], history, options.allowScaling()),
                            fleet,
                            actions,
                            client,
                            options.allowScaling());
            sampler[0].start();
            discovery.start(crdCheckEvery);
            WebConsole console =
                    new WebConsole(fleet, discovery, sampler[0], actions, server, access);
            log.info(
                    "Web console at {} ({}, {})",
                    console.baseUrl(),
                    namespace == null ? "all namespaces" : "namespace " + namespace,
                    options.allowScaling() ? "scaling allowed" : "read-only");
            return console;
        } catch (IOException e) {
            closeAll(fleet, discovery, sampler[0], actions);
            throw new UncheckedIOException(
                    "cannot listen on "
                            + options.address()
                            + ":"
                            + options.port()
                            + ": "
                            + e.getMessage()
                            + "; choose another --address or --port",
                    e);
        } catch (RuntimeException e) {
            closeAll(fleet, discovery, sampler[0], actions);
            throw e;
        }
    }

    /**
     * Every namespace when the user may list pods across them, else the kubeconfig's namespace: the
     * namespaces the user can read.
     */
    private static String readableScope(KubernetesClient client) {
        try {
            client.pods().inAnyNamespace().list(new ListOptionsBuilder().withLimit(1L).build());
            return null;
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) {
                throw e;
            }
            String namespace = client.getNamespace() == null ? "default" : client.getNamespace();
            log.info(
                    "Not allowed to list pods in every namespace; the console shows namespace {}",
                    namespace);
            return namespace;
        }
    }

    /** The console's address, without the token. */
    public String baseUrl() {
        InetSocketAddress address = server.address();
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + address.getPort() + "/";
    }

    /** The URL to open: it carries the one-time token. */
    public String url() {
        return baseUrl() + "?token=" + access.token();
    }

    /** The token, for API clients ({@code Authorization: Bearer}). */
    public String token() {
        return access.token();
    }

    @Override
    public void close() {
        server.close();
        closeAll(fleet, discovery, sampler, actions);
    }

    /** Package-private for tests: the sampler, whose open port-forwards a test counts. */
    SchedulerSampler sampler() {
        return sampler;
    }

    private static void closeAll(
            FleetInformers fleet,
            DaskKindsDiscovery discovery,
            SchedulerSampler sampler,
            ScalingActions actions) {
        discovery.close();
        if (sampler != null) {
            sampler.close();
        }
        if (actions != null) {
            actions.close();
        }
        fleet.close();
    }
}
