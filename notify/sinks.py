"""Local stand-ins for the outside world, for the offline demo and the tests:

- ``MailSink``: a real SMTP server (aiosmtpd) on localhost that writes every message it receives
  to a mailbox directory as ``.eml`` files;
- ``WebhookSink``: an HTTP server on localhost that accepts Slack / Teams webhook posts and appends
  them to a JSON-lines log; it can be told to fail (``fail_with = 503``) to test retries.

Both bind to 127.0.0.1 on a free port and run in a background thread.
"""

from __future__ import annotations

import email
import email.policy
import json
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _MailboxHandler:
    def __init__(self, mailbox: Path):
        self.mailbox = mailbox
        self._lock = threading.Lock()
        self._count = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        with self._lock:
            self._count += 1
            name = f"{self._count:05d}.eml"
        (self.mailbox / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class MailSink:
    """``with MailSink(dir) as sink:`` an SMTP server at ``sink.host``:``sink.port``."""

    def __init__(self, mailbox: Path, host: str = "127.0.0.1", port: int = 0):
        from aiosmtpd.controller import Controller

        self.mailbox = Path(mailbox)
        self.mailbox.mkdir(parents=True, exist_ok=True)
        if port == 0:
            port = _free_port(host)
        self._controller = Controller(_MailboxHandler(self.mailbox), hostname=host, port=port)
        self.host, self.port = host, port

    def start(self) -> MailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
            for p in sorted(self.mailbox.glob("*.eml"))
        ]


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class WebhookSink:
    """``with WebhookSink(log_file) as sink:`` accepts POSTs at ``sink.url(name)``."""

    def __init__(self, log_file: Path, host: str = "127.0.0.1", port: int = 0):
        self.log_file = Path(log_file)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.fail_with: int | None = None  # answer every POST with this status (tests)
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if sink.fail_with:
                    self.send_response(sink.fail_with)
                    self.end_headers()
                    self.wfile.write(b"unavailable")
                    return
                try:
                    doc: Any = json.loads(body)
                except ValueError:
                    self.send_response(400)
                    self.end_headers()
                    return
                with sink._lock, sink.log_file.open("a", encoding="utf-8") as fh:
                    fh.write(
                        json.dumps({"path": self.path, "body": doc}, ensure_ascii=False) + "\n"
                    )
                # Teams Workflows answers 202, Slack 200 "ok"; either is success.
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, name: str = "hook") -> str:
        return f"{self.base_url}/{name}"

    def start(self) -> WebhookSink:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> WebhookSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def posts(self) -> list[dict[str, Any]]:
        if not self.log_file.exists():
            return []
        lines = self.log_file.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
