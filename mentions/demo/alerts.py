"""The demo's alert receivers: a local SMTP mailbox and a local webhook log, plus the routing
section that points the demo profile at them.

    with DemoAlerts(Path("data/demo/alerts")) as alerts:
        profile = write_demo_profile(base_url, tmp / "school.demo.toml")
        alerts.add_routing(profile)
        ... run the flow ...
        alerts.report()  # what was "sent"

The routing TOML is appended at run time because the SMTP port and webhook URL are only known
once the receivers have started (and the demo profile template only knows {base_url}).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from notify.sinks import MailSink, WebhookSink

ROUTING_TEMPLATE = """
[routing]
digest_time = "00:00"

[routing.roles]
head_teacher = {{ people = ["head"], deputy = "deputy_head" }}
comms_lead = {{ people = ["comms"], deputy = "head" }}
slt_on_duty = {{ people = ["slt_duty"], deputy = "deputy_head" }}
dsl = {{ people = ["dsl"], deputy = "head" }}
social_media_lead = {{ people = ["office"], deputy = "comms" }}

[routing.people]
head = {{ name = "Head Teacher (demo)", email = "head@demo.invalid" }}
deputy_head = {{ name = "Deputy Head (demo)", email = "deputy@demo.invalid" }}
comms = {{ name = "Comms Lead (demo)", email = "comms@demo.invalid", webhook = "{webhook_url}/teams/comms", webhook_kind = "teams" }}
slt_duty = {{ name = "SLT on duty (demo)", email = "slt@demo.invalid", webhook = "{webhook_url}/slack/slt", webhook_kind = "slack" }}
dsl = {{ name = "DSL (demo)", email = "dsl@demo.invalid" }}
office = {{ name = "Social Media Lead (demo)", email = "office@demo.invalid" }}

[routing.smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
from_address = "school-mentions@demo.invalid"
timeout_seconds = 5

[routing.outbox]
webhook_timeout_seconds = 5
"""


class DemoAlerts:
    """Start both receivers; messages land in ``<folder>/mailbox/*.eml`` and
    ``<folder>/webhooks.jsonl`` (cleared at start, so they show this demo run only)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.mail = MailSink(self.folder / "mailbox")
        self.hooks = WebhookSink(self.folder / "webhooks.jsonl")

    def routing_toml(self) -> str:
        return ROUTING_TEMPLATE.format(smtp_port=self.mail.port, webhook_url=self.hooks.base_url)

    def add_routing(self, profile: Path) -> Path:
        with Path(profile).open("a", encoding="utf-8") as fh:
            fh.write(self.routing_toml())
        return profile

    def __enter__(self) -> DemoAlerts:
        self.mail.start()
        self.hooks.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.hooks.stop()
        self.mail.stop()

    def report(self) -> list[str]:
        """One line per message received, for the demo to print."""
        lines = [f"mail to {m['To']}: {m['Subject']}" for m in self.mail.messages()]
        for post in self.hooks.posts():
            body = post["body"]
            text = body.get("text") or body["attachments"][0]["content"]["body"][0]["text"]
            lines.append(f"webhook {post['path']}: {text}")
        return lines
