"""A stand-in for a Dask scheduler's HTTP server, for counting only.

It answers the routes the console's sampler uses (/health, /api/v1/adaptive_target,
/json/identity.json, /json/counts.json) as an idle scheduler with no workers would, and counts
how often each is asked. GET /count returns those counts and is itself not counted. Twenty
real schedulers would not fit on the test machine; this is what FleetSamplingTest runs instead,
to count the questions at the scheduler's side.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NAME = sys.argv[1]
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 8787
counts = {}
lock = threading.Lock()

ANSWERS = {
    "/health": "ok",
    "/api/v1/adaptive_target": {"workers": 0},
    "/json/identity.json": {
        "type": "Scheduler",
        "id": "Scheduler-" + NAME,
        "address": "tcp://" + NAME + ":8786",
        "services": {"dashboard": PORT},
        "workers": {},
    },
    "/json/counts.json": {
        "tasks": 0, "memory": 0, "released": 0, "erred": 0, "processing": 0,
        "waiting": 0, "workers": 0, "desired_workers": 0,
    },
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/count":
            with lock:
                self.reply(dict(counts))
            return
        answer = ANSWERS.get(self.path)
        if answer is None:
            self.send_error(404)
            return
        with lock:
            counts[self.path] = counts.get(self.path, 0) + 1
        self.reply(answer)

    def reply(self, answer):
        body = (answer if isinstance(answer, str) else json.dumps(answer)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if isinstance(answer, str) else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


print("counting scheduler", NAME, "on", PORT, flush=True)
ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
