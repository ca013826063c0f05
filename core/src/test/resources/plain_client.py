# Tries a Dask client without credentials at the address given (tcp://...): prints "refused" and
# the error's type when the scheduler will not talk, "connected" when it does.
import sys

import distributed

try:
    client = distributed.Client(sys.argv[1], timeout=sys.argv[2] if len(sys.argv) > 2 else "3s")
except Exception as error:  # the error type says how it was refused
    print("refused", type(error).__name__)
else:
    print("connected", client.scheduler_info()["address"])
    client.close()
