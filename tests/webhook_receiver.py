"""A webhook receiver on 127.0.0.1 for the tests: it keeps every request and answers as told."""

import http.server
import threading


class Receiver:
    """`answers` lists the status of each request in turn (the last repeats); "hang" keeps the
    connection open without answering until the receiver stops; "trickle" sends its answer's head a
    byte every 0.2 s, for 10 s at most. `barrier` (a threading.Barrier)
    holds the first requests until that many are in flight at once."""

    def __init__(self, answers=(200,), barrier=None):
        self.answers, self.barrier = list(answers), barrier
        self.requests = []  # (headers, body) of each request, in order of arrival
        self.arrived = threading.Event()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    number = len(receiver.requests)
                    answer = receiver.answers[min(number, len(receiver.answers)) - 1]
                receiver.arrived.set()
                if receiver.barrier is not None and number <= receiver.barrier.parties:
                    receiver.barrier.wait()
                if answer == "hang":
                    receiver.stopping.wait()
                    return
                if answer == "trickle":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for _ in range(50):
                        if receiver.stopping.wait(0.2):
                            return
                        self.wfile.write(b"x")
                        self.wfile.flush()
                    return
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook?from=cvetracker"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def ids(self):
        return [headers["webhook-id"] for headers, _ in self.requests]

    def stop(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
