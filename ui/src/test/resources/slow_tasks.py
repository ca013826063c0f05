# Submits COUNT tasks of SECONDS each, checks every result, prints "ok COUNT SUM".
import sys
import time

import distributed

address, count, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])


def slow(i, seconds=seconds):
    time.sleep(seconds)
    return 2 * i


client = distributed.Client(address, timeout=30)
results = client.gather(client.map(slow, range(count), pure=False))
assert results == [2 * i for i in range(count)], results
print(f"ok {count} {sum(results)}", flush=True)
client.close()
