package io.daskkubernetes.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskkubernetes.model.TlsCredentials;
import io.daskkubernetes.tls.ClusterCertificates;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dask's protocol over TLS against a real {@code dask-scheduler} started with the certificates of
 * {@link ClusterCertificates}: the cluster's client certificate gets in; plain TCP and another
 * cluster's certificate are refused.
 */
@Timeout(120)
class TcpSchedulerClientTlsTest {

    private static final SchedulerTimeouts SHORT = SchedulerTimeouts.of(Duration.ofSeconds(5));

    private static DaskProcesses dask;
    private static TlsCredentials credentials;
    private static DaskProcesses.Scheduler scheduler;

    @BeforeAll
    static void startScheduler() throws Exception {
        dask = new DaskProcesses();
        credentials = ClusterCertificates.generate("tls-test");
        scheduler = dask.startTlsScheduler(credentials);
    }

    @AfterAll
    static void stop() throws Exception {
        if (dask != null) {
            dask.close();
        }
    }

    @Test
    void theClusterCredentialsGetAnAnswerOverTls() {
        try (TcpSchedulerClient client =
                new TcpSchedulerClient(scheduler.address(), SHORT, DaskTls.client(credentials))) {
            SchedulerInfo identity = client.identity();

            assertThat(identity.address()).startsWith("tls://");
            assertThat(client.adaptiveTarget()).isZero();
            assertThat(client.address()).isEqualTo(scheduler.address());
            assertThat(client.transportName()).isEqualTo("tls");
        }
        try (SchedulerClient chosen =
                SchedulerClients.connect(
                        scheduler.address(),
                        scheduler.dashboard(),
                        Duration.ofSeconds(5),
                        DaskTls.client(credentials))) {
            assertThat(chosen.transportName()).isEqualTo("tls");
        }
    }

    @Test
    void plainTcpIsRefused() {
        try (TcpSchedulerClient plain =
                new TcpSchedulerClient("tcp://127.0.0.1:" + scheduler.port(), SHORT)) {
            assertThat(plain.healthy()).isFalse();
            assertThatThrownBy(plain::identity).isInstanceOf(SchedulerConnectionException.class);
        }
    }

    @Test
    void anotherClustersCertificateIsRefused() {
        TlsCredentials stranger = ClusterCertificates.generate("another-cluster");
        try (TcpSchedulerClient client =
                new TcpSchedulerClient(scheduler.address(), SHORT, DaskTls.client(stranger))) {
            assertThatThrownBy(client::identity)
                    .isInstanceOf(SchedulerConnectionException.class)
                    .hasMessageContaining("TLS handshake");
        }
    }

    @Test
    void aTlsAddressWithoutCredentialsIsAClearError() {
        assertThatThrownBy(() -> new TcpSchedulerClient(scheduler.address(), SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("give the cluster's TLS credentials");
    }
}
