package io.daskkubernetes.scheduler;

/**
 * Python programs run with a real {@code distributed.Client} against the schedulers of the
 * end-to-end tests.
 */
final class DaskClientScripts {

    private DaskClientScripts() {}

    /**
     * argv: scheduler address, worker address. Scatters the numbers 0..99 to that one worker and
     * prints {@code stored 100 <holders>}; then, for each {@code check} line, prints {@code values
     * <sum> <count> <holders>}. Scattered data has no recipe: if a worker lost it, it could not be
     * recomputed and the check would fail.
     */
    static final String PERSIST_ON_ONE_WORKER =
            """
            import sys
            from distributed import Client, wait
            client = Client(sys.argv[1], timeout=30)
            futures = client.scatter(list(range(100)), workers=[sys.argv[2]])
            wait(futures, timeout=30)
            def holders():
                return ",".join(sorted({w for ws in client.who_has(futures).values() for w in ws}))
            print("stored", len(futures), holders(), flush=True)
            while True:
                line = sys.stdin.readline()
                if not line:
                    break
                if line.strip() == "check":
                    wait(futures, timeout=30)
                    values = client.gather(futures)
                    print("values", sum(values), len(values), holders(), flush=True)
            client.close()
            """;

    /**
     * argv: scheduler address, task count. Submits that many one-second tasks, holds them until
     * stdin closes.
     */
    static final String BACKLOG =
            """
            import sys, time
            from distributed import Client
            client = Client(sys.argv[1], timeout=30)
            futures = client.map(time.sleep, [1.0] * int(sys.argv[2]), pure=False)
            print("submitted", len(futures), flush=True)
            sys.stdin.read()
            client.close()
            """;
}
