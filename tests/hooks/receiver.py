"""A sample webhook receiver for the tests: a tiny http.server in a thread that checks the signature
as docs/webhooks.md tells a receiver to, keeps what it accepted, and can be taken down and brought back
on the same port."""

import http.server
import json
import socket
import threading

from hooks import signing


class Receiver:
    def __init__(self, secret: str):
        self.secret = secret
        self.accepted: list[dict] = []  # the JSON bodies, in the order they arrived
        self.rejected = 0
        self.seen_ids: set = set()
        self.server = None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def handler(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ok = signing.verify(
                    receiver.secret,
                    self.headers.get(signing.TIMESTAMP),
                    body,
                    self.headers.get(signing.SIGNATURE),
                )
                if not ok:
                    receiver.rejected += 1
                    self.send_response(401)
                else:
                    document = json.loads(body)
                    # The delivery id is the receiver's key against a repeat (at least once).
                    if document["id"] not in receiver.seen_ids:
                        receiver.seen_ids.add(document["id"])
                    receiver.accepted.append(document)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def up(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self.handler())
        self.server.allow_reuse_address = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def down(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
