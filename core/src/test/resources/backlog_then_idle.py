# Prints "submitted <epoch ms>" when COUNT tasks of SECONDS each are submitted and
# "done <epoch ms>" when all results are back; the cluster is idle from then on.
import sys
import time

import distributed

address, count, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])


def slow(i, seconds=seconds):
    time.sleep(seconds)
    return i


client = distributed.Client(address, timeout=30)
futures = client.map(slow, range(count), pure=False)
print(f"submitted {int(time.time() * 1000)}", flush=True)
results = client.gather(futures)
assert results == list(range(count))
del futures
print(f"done {int(time.time() * 1000)}", flush=True)
client.close()
