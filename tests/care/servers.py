"""Real servers on 127.0.0.1 for the message channels: an SMTP server (aiosmtpd) and an
HTTP gateway that takes the SMS and WeChat adapters' JSON, keeps what it got, and answers
as a test tells it to."""

import json
import socket
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


class Mailbox:
    """What the SMTP server received: each mail as a parsed message."""

    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self):
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=free_port())

    def __enter__(self):
        self.controller.start()
        self.url = f"smtp://127.0.0.1:{self.controller.port}"
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class Gateway:
    """An HTTP gateway: ``received`` holds each JSON body in the order it came; ``answers``
    is a list of status codes to give first (then 200); ``delay`` seconds before answering."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[int] = []
        self.delay = 0.0
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if gateway.delay:
                    time.sleep(gateway.delay)
                with gateway.lock:
                    status = gateway.answers.pop(0) if gateway.answers else 200
                    if status < 300:
                        gateway.received.append(body)
                answer = json.dumps({"id": f"gw-{body.get('id')}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
