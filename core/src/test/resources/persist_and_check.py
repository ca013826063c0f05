# Persists 100 results on the cluster, waits for a line on stdin (the test scales down meanwhile),
# then fetches them all and reports how many times the tasks ran in total.
import sys

import distributed

address, execution_log = sys.argv[1], sys.argv[2]


def square(i, execution_log=execution_log):
    with open(execution_log, "a") as log:
        log.write(f"{i}\n")
    return i * i


client = distributed.Client(address, timeout=30)
futures = client.map(square, range(100), pure=False)
distributed.wait(futures)
print("persisted", flush=True)
sys.stdin.readline()
results = client.gather(futures)
assert results == [i * i for i in range(100)], results
with open(execution_log) as log:
    executions = len(log.read().split())
print(f"sum {sum(results)} executions {executions}", flush=True)
client.close()
