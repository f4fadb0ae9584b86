"""A JWK set served over HTTP on 127.0.0.1 (an ephemeral port), counting requests.

``status`` (default 200) answers every request with that status instead; ``location``
answers with a 302 to it; ``gate`` (a ``threading.Event``), when set up, holds each
request until it is set, after setting ``entered``."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator
import contextlib


class JwksServer:
    def __init__(self, body: Any, delay: float = 0.0) -> None:
        self.body = body
        self.delay = delay
        self.requests = 0
        self.status = 200
        self.location: Any = None
        self.gate: Any = None
        self.entered = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.requests += 1
                if server.delay:
                    threading.Event().wait(server.delay)
                server.entered.set()
                if server.gate is not None:
                    server.gate.wait(10)
                if server.location is not None:
                    self.send_response(302)
                    self.send_header("Location", server.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = json.dumps(server.body).encode()
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/.well-known/jwks.json"

    @contextlib.contextmanager
    def running(self) -> Iterator["JwksServer"]:
        t = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        t.start()
        try:
            yield self
        finally:
            self.httpd.shutdown()
            self.httpd.server_close()
            t.join(timeout=5)
