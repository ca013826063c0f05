package io.daskkubernetes.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TCP client against a scripted fake scheduler: every failure is a clear exception, never a
 * hang.
 */
@Timeout(30)
class TcpSchedulerClientFaultTest {

    private static final SchedulerTimeouts SHORT = SchedulerTimeouts.of(Duration.ofMillis(500));

    private FakeDaskServer server;
    private TcpSchedulerClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private TcpSchedulerClient clientOf(FakeDaskServer.Script script) throws Exception {
        server = new FakeDaskServer(script);
        client = new TcpSchedulerClient(server.address(), SHORT);
        return client;
    }

    @Test
    void sendsDaskRequestsAndReadsTheirReplies() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.answerUntilClosed(
                            request ->
                                    switch ((String) request.get("op")) {
                                        case "adaptive_target" -> 3;
                                        case "workers_to_close" -> List.of("tcp://127.0.0.1:4001");
                                        case "retire_workers" ->
                                                Map.of(
                                                        "tcp://127.0.0.1:4001",
                                                        Map.of("name", "w1", "nthreads", 1));
                                        default -> null;
                                    });
                });

        assertThat(client.adaptiveTarget()).isEqualTo(3);
        assertThat(client.workersToClose(2)).containsExactly("tcp://127.0.0.1:4001");
        assertThat(client.retireWorkers(List.of("tcp://127.0.0.1:4001")))
                .containsOnlyKeys("tcp://127.0.0.1:4001")
                .extractingByKey("tcp://127.0.0.1:4001")
                .extracting(DaskWorker::name)
                .isEqualTo("w1");
        client.close();

        Map<String, Object> ourHandshake = new LinkedHashMap<>();
        ourHandshake.put("compression", null);
        ourHandshake.put("python", List.of(3L, 11L, 2L));
        ourHandshake.put("pickle-protocol", 5L);
        Map<String, Object> retire = new LinkedHashMap<>();
        retire.put("op", "retire_workers");
        retire.put("reply", true);
        retire.put("workers", List.of("tcp://127.0.0.1:4001"));
        retire.put("close_workers", true);
        // The goodbye is read by the server's thread after close() returns.
        await("server read the goodbye")
                .atMost(Duration.ofSeconds(5))
                .until(() -> server.received().size() == 5);
        assertThat(server.received())
                .containsExactly(
                        ourHandshake,
                        Map.of("op", "adaptive_target", "reply", true),
                        Map.of("op", "workers_to_close", "reply", true, "n", 2L),
                        retire,
                        Map.of("op", "close", "reply", false));
        assertThat(server.connectionsAccepted())
                .as("one connection reused for every call")
                .isEqualTo(1);
    }

    @Test
    void aConnectionClosedBeforeTheReplyIsReported() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.receive();
                    connection.close();
                });

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("'adaptive_target'")
                .hasMessageContaining("connection closed");
    }

    @Test
    void aTruncatedReplyIsReported() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.receive();
                    byte[] reply =
                            DaskFrames.encode(
                                    List.of(MsgpackValues.pack(List.of("tcp://127.0.0.1:4001"))));
                    connection.sendRaw(Arrays.copyOf(reply, reply.length - 4));
                    connection.close();
                });

        assertThatThrownBy(() -> client.workersToClose(1))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("'workers_to_close'")
                .hasMessageContaining("truncated");
    }

    @Test
    void garbageInsteadOfAMessageIsReported() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.receive();
                    connection.sendRaw("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
                    connection.stayQuiet();
                });

        assertThatThrownBy(client::identity)
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("'identity'")
                .hasMessageContaining("garbled");
    }

    @Test
    void garbledMsgpackInsideAWellFramedMessageIsReported() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.receive();
                    connection.sendRaw(DaskFrames.encode(List.of(new byte[] {(byte) 0xc1})));
                    connection.stayQuiet();
                });

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("not valid msgpack");
    }

    @Test
    void aSchedulerDribblingItsReplyStillTimesOutAtTheDeadline() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.receive();
                    byte[] reply =
                            DaskFrames.encode(
                                    List.of(MsgpackValues.pack(List.of("tcp://127.0.0.1:4001"))));
                    // One byte every 100 ms: each read finishes well within a per-read timeout, the
                    // message never does.
                    for (byte b : reply) {
                        connection.sendRaw(new byte[] {b});
                        Thread.sleep(100);
                    }
                });

        assertThatThrownBy(() -> client.workersToClose(1))
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining(
                        "timed out after 500 ms waiting for the reply to 'workers_to_close'");
    }

    @Test
    void aSchedulerThatNeverAnswersTimesOut() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.stayQuiet();
                });

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining(
                        "timed out after 500 ms waiting for the reply to 'adaptive_target'");
    }

    @Test
    void aPortThatNeverShakesHandsTimesOut() throws Exception {
        clientOf((connection, index) -> connection.stayQuiet());

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("timed out")
                .hasMessageContaining("is " + server.address() + " a Dask comm port?");
    }

    @Test
    void aHandshakeThatIsNotDasksIsRefused() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.send("hello");
                    connection.stayQuiet();
                });

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("expected Dask's handshake map with 'pickle-protocol'")
                .hasMessageContaining("hello");
    }

    @Test
    void anErrorReplyNamesTheSchedulersExceptionAndKeepsTheConnection() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.receive();
                    connection.send(
                            Map.of(
                                    "status",
                                    "uncaught-error",
                                    "exception_text",
                                    "TypeError(\"workers_to_close() got an unexpected keyword argument 'x'\")"));
                    connection.answerUntilClosed(request -> 2);
                });

        assertThatThrownBy(() -> client.workersToClose(1))
                .isInstanceOf(SchedulerException.class)
                .isNotInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining("the scheduler failed 'workers_to_close'")
                .hasMessageContaining("unexpected keyword argument");
        assertThat(client.adaptiveTarget()).isEqualTo(2);
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void anUnexpectedReplySaysWhatWasExpected() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.answerUntilClosed(request -> "lots");
                });

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerException.class)
                .hasMessageContaining(
                        "unexpected reply to 'adaptive_target': expected a whole number, got String lots");
        assertThatThrownBy(() -> client.workersToClose(1))
                .hasMessageContaining("expected a list of worker addresses");
        assertThatThrownBy(client::identity)
                .hasMessageContaining("expected the scheduler's identity map");
    }

    @Test
    void aReusedConnectionThatWasClosedIsReplacedTransparently() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    Map<?, ?> request = (Map<?, ?>) connection.receive();
                    connection.send(index == 0 ? 1 : 2);
                    if (index == 0) {
                        // The scheduler drops the idle comm; the client only learns it on its next
                        // call.
                        connection.close();
                        return;
                    }
                    connection.answerUntilClosed(r -> 2);
                    assertThat(request.get("op")).isEqualTo("adaptive_target");
                });

        assertThat(client.adaptiveTarget()).isEqualTo(1);
        assertThat(client.adaptiveTarget()).isEqualTo(2);
        assertThat(server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void nothingListeningIsAClearConnectError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        client = new TcpSchedulerClient("tcp://127.0.0.1:" + port, SHORT);

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerConnectionException.class)
                .hasMessageContaining(
                        "cannot connect to the Dask scheduler at tcp://127.0.0.1:" + port);
        assertThat(client.healthy()).isFalse();
    }

    @Test
    void healthyMeansTheSchedulerEchoes() throws Exception {
        clientOf(
                (connection, index) -> {
                    connection.handshake();
                    connection.answerUntilClosed(request -> request.get("data"));
                });

        assertThat(client.healthy()).isTrue();
        assertThat(server.received()).contains(Map.of("op", "echo", "reply", true, "data", "ping"));
    }

    @Test
    void aClosedClientRefusesCalls() throws Exception {
        clientOf((connection, index) -> connection.stayQuiet());
        client.close();

        assertThatThrownBy(client::adaptiveTarget)
                .isInstanceOf(SchedulerException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsSent() throws Exception {
        clientOf((connection, index) -> connection.stayQuiet());

        assertThatThrownBy(() -> client.workersToClose(-1))
                .hasMessageContaining("negative number of workers: -1");
        assertThat(client.workersToClose(0)).isEmpty();
        assertThat(client.retireWorkers(List.of())).isEmpty();
        assertThat(server.connectionsAccepted()).isZero();
        assertThatThrownBy(() -> new TcpSchedulerClient("tls://127.0.0.1:8786"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only tcp:// is supported");
        assertThatThrownBy(() -> new TcpSchedulerClient("tcp://127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not tcp://host:port");
    }
}
