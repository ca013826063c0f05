# Keeps IN_FLIGHT tasks of SECONDS each running for TOTAL tasks: a steady load, then prints "ok TOTAL".
import sys
import time

import distributed

address, in_flight, seconds, total = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])


def slow(i, seconds=seconds):
    time.sleep(seconds)
    return i


client = distributed.Client(address, timeout=30)
submitted = in_flight
running = distributed.as_completed(client.map(slow, range(in_flight), pure=False))
done = 0
for future in running:
    assert future.result() >= 0
    done += 1
    if submitted < total:
        running.add(client.submit(slow, submitted, pure=False))
        submitted += 1
assert done == total, done
print(f"ok {done}", flush=True)
client.close()
