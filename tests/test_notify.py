"""Alerts end to end: a real local SMTP server (aiosmtpd) and a local webhook receiver."""

from __future__ import annotations

import asyncio
import socket
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from analysis.classify import Classification
from mentions.models import Post
from mentions.respond import respond, send_outbox
from mentions.settings import Settings, settings_from_dict
from notify import Claimed, Outgoing
from notify import outbox as ob
from notify.sinks import MailSink, WebhookSink
from notify.webhook import slack_payload, teams_payload
from warehouse import Warehouse
from warehouse import cases as wc

MON = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)  # a Monday, GMT
SECRET_PATH = "services/T000/B000/s3cr3t-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_settings(tmp_path: Path, smtp_port: int, hook_base: str, **outbox) -> Settings:
    person = lambda name, **kw: {"name": name, "email": f"{name}@school.test", **kw}  # noqa: E731
    routing = {
        "roles": {
            "head_teacher": {"people": ["head"], "deputy": "deputy"},
            "comms_lead": {"people": ["comms"], "deputy": "head"},
            "slt_on_duty": {"people": ["slt"], "deputy": "deputy"},
            "dsl": {"people": ["dsl"], "deputy": "head"},
            "social_media_lead": {"people": ["office"], "deputy": "comms"},
        },
        "people": {
            "head": person("head"),
            "deputy": person("deputy"),
            "comms": person("comms", webhook=f"{hook_base}/teams", webhook_kind="teams"),
            "slt": person("slt", webhook_env="MENTIONS_TEST_WEBHOOK_SLT"),
            "dsl": person("dsl"),
            "office": person("office"),
        },
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "security": "none", "timeout_seconds": 3},
        "outbox": {"backoff_seconds": 60, "webhook_timeout_seconds": 3} | outbox,
    }
    settings = settings_from_dict(
        {"school": {"name": "Test School", "aliases": ["Test School"]}, "routing": routing}
    )
    settings.database.path = tmp_path / "m.duckdb"
    return settings


def seed(settings: Settings, items, run_id: str = "run-1") -> None:
    with Warehouse.open(settings.database.path) as wh:
        wh.start_run(run_id, "test")
        posts = [p for p, _ in items]
        wh.save_posts(run_id, posts, [["Test School"]] * len(posts))
        wh.save_classifications(run_id, [p.post_id for p in posts], [c for _, c in items])


def post(key: str, title: str, text: str, fetched: datetime = MON) -> Post:
    return Post(
        "rss", "rss:Test", f"https://news.test/{key}?a=1&b=2", title, text, key=key, fetched=fetched
    )


ITEMS = [
    (
        post("k1", "Watch your back", "Test School <script>alert(1)</script> you'll regret it"),
        Classification("inappropriate", "threat", 0.8, "threat word: 'watch your back'", "t1"),
    ),
    (
        post("k2", "Journalist asking", "#journorequest anyone at Test School? deadline 5pm"),
        Classification(
            "media_enquiry",
            None,
            0.7,
            "enquiry phrase",
            "t1",
            {
                "deadline": "2025-01-06T17:00:00+00:00",
                "outlet": "Daily Test",
                "contact": "j@daily.test",
            },
        ),
    ),  # fmt: skip
    (
        post("k3", "Fun run", "Test School fun run raised money"),
        Classification("neutral", None, 0.5, "", "t1"),
    ),
]


@pytest.fixture
def sinks(tmp_path: Path, monkeypatch):
    mail = MailSink(tmp_path / "mailbox")
    hooks = WebhookSink(tmp_path / "hooks.jsonl")
    monkeypatch.setenv("MENTIONS_TEST_WEBHOOK_SLT", f"{hooks.base_url}/{SECRET_PATH}")
    with mail, hooks:
        yield mail, hooks


def rows(settings: Settings, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(settings.database.path))
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_alerts_reach_email_and_webhooks_once(tmp_path: Path, sinks) -> None:
    mail, hooks = sinks
    settings = make_settings(tmp_path, mail.port, hooks.base_url)
    seed(settings, ITEMS)
    out = respond(settings, "run-1", now=MON)
    assert (out["cases_opened"], out["alerts_failed"], out["alerts_pending"]) == (3, 0, 0)
    # threat -> slt + dsl; media -> head + comms (email + Teams); neutral -> office's digest.
    messages = mail.messages()
    assert sorted(m["To"] for m in messages) == [
        "comms@school.test",
        "dsl@school.test",
        "head@school.test",
        "office@school.test",
        "slt@school.test",
    ]
    assert out["alerts_sent"] == 7
    slt = next(m for m in messages if m["To"] == "slt@school.test")
    text = slt.get_body(("plain",)).get_content()
    html = slt.get_body(("html",)).get_content()
    for expected in ("Watch your back", "https://news.test/k1?a=1&b=2", "threat", "threat word",
                     "Tue 7 Jan 2025 10:00 GMT", "mentions cases ack 1", "<script>alert(1)</script>"):  # fmt: skip
        assert expected in text
    assert "<script>" not in html and "&lt;script&gt;" in html  # autoescaped
    assert "a=1&amp;b=2" in html
    head = next(m for m in messages if m["To"] == "head@school.test")
    body = head.get_body(("plain",)).get_content()
    assert "Daily Test" in body and "j@daily.test" in body and "Mon 6 Jan 2025 17:00 GMT" in body
    digest = next(m for m in messages if m["To"] == "office@school.test")
    assert "Fun run" in digest.get_body(("plain",)).get_content()

    posted = {p["path"]: p["body"] for p in hooks.posts()}
    assert set(posted) == {"/" + SECRET_PATH, "/teams"}
    assert "Watch your back" in posted["/" + SECRET_PATH]["text"]
    assert "&lt;script&gt;" in str(posted["/" + SECRET_PATH]["blocks"])  # Slack escaping
    card = posted["/teams"]["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard" and card["content"]["actions"][0][
        "url"
    ].startswith("https://news.test/k2")

    # The webhook URL is a secret: nowhere in the database.
    dump = str(rows(settings, "SELECT * FROM outbox")) + str(
        rows(settings, "SELECT * FROM audit_log")
    )
    assert SECRET_PATH not in dump

    again = respond(settings, "run-1", now=MON + timedelta(minutes=5))
    assert (again["cases_opened"], again["alerts_sent"], again["alerts_queued"]) == (0, 0, 0)
    assert len(mail.messages()) == 5 and len(hooks.posts()) == 2
    assert rows(settings, "SELECT count(*) FROM audit_log WHERE action = 'alert_sent'") == [(7,)]


def test_one_channel_down_does_not_block_the_other(tmp_path: Path, monkeypatch) -> None:
    port = free_port()  # nothing listens here yet: SMTP is down
    hooks = WebhookSink(tmp_path / "hooks.jsonl")
    monkeypatch.setenv("MENTIONS_TEST_WEBHOOK_SLT", f"{hooks.base_url}/{SECRET_PATH}")
    with hooks:
        settings = make_settings(tmp_path, port, hooks.base_url)
        seed(settings, ITEMS[:1])
        out = respond(settings, "run-1", now=MON)
        assert out["alerts_sent"] == 1 and out["alerts_failed"] == 2  # slack sent; 2 emails failed
        assert out["alerts_pending"] == 2 and any("smtp" in e for e in out["delivery_errors"])
        assert len(hooks.posts()) == 1
        (state,) = set(
            rows(
                settings,
                "SELECT status, attempts, next_attempt FROM outbox WHERE channel = 'email'",
            )
        )
        assert state == ("pending", 1, MON + timedelta(seconds=60))

        with MailSink(tmp_path / "mailbox", port=port) as mail:
            early = send_outbox(settings, now=MON + timedelta(seconds=30))
            assert early["alerts_sent"] == 0  # backing off
            later = send_outbox(settings, now=MON + timedelta(seconds=61))
            assert later["alerts_sent"] == 2 and later["alerts_failed"] == 0
            assert sorted(m["To"] for m in mail.messages()) == [
                "dsl@school.test",
                "slt@school.test",
            ]
        assert len(hooks.posts()) == 1  # the webhook was not sent again
        assert rows(settings, "SELECT DISTINCT status FROM outbox") == [("sent",)]


def test_failing_webhook_backs_off_then_gives_up(tmp_path: Path, sinks) -> None:
    mail, hooks = sinks
    hooks.fail_with = 503
    settings = make_settings(
        tmp_path, mail.port, hooks.base_url, max_attempts=3, backoff_seconds=10
    )
    seed(settings, ITEMS[:1])
    now = MON
    out = respond(settings, "run-1", now=now)
    assert out["alerts_failed"] == 1 and out["alerts_sent"] == 2
    assert "slack: HTTP 503" in out["delivery_errors"][0]
    assert SECRET_PATH not in str(out)
    for delay in (10, 20):  # 10 s, then 20 s: exponential
        assert send_outbox(settings, now=now + timedelta(seconds=delay - 1))["alerts_failed"] == 0
        now += timedelta(seconds=delay)
        result = send_outbox(settings, now=now)
        assert result["alerts_failed"] == 1
    assert result["alerts_gave_up"] == 1
    assert rows(settings, "SELECT status, attempts FROM outbox WHERE channel = 'slack'") == [
        ("failed", 3)
    ]
    assert rows(settings, "SELECT count(*) FROM audit_log WHERE action = 'alert_gave_up'") == [(1,)]
    # Fixed and requeued by hand: sent once.
    hooks.fail_with = None
    with Warehouse.open(settings.database.path) as wh:
        assert ob.requeue_failed(wh.con, now) == 1
    assert send_outbox(settings, now=now)["alerts_sent"] == 1
    assert len(hooks.posts()) == 1


def test_escalation_after_the_due_time_once(tmp_path: Path, sinks) -> None:
    mail, hooks = sinks
    settings = make_settings(tmp_path, mail.port, hooks.base_url)
    acked = (post("k4", "Another threat", "you'll regret it"), ITEMS[0][1])
    seed(settings, [ITEMS[0], acked])
    assert respond(settings, "run-1", now=MON)["escalated"] == 0
    with Warehouse.open(settings.database.path) as wh:
        wc.acknowledge(wh.con, 2, "slt", MON + timedelta(hours=1))
    before = len(mail.messages())
    just_before = respond(settings, "run-2", now=MON + timedelta(hours=23, minutes=59))
    assert just_before["escalated"] == 0
    late = respond(settings, "run-3", now=MON + timedelta(hours=24, minutes=1))
    assert late["escalated"] == 1 and late["alerts_sent"] == 2
    new = mail.messages()[before:]
    assert sorted(m["To"] for m in new) == ["deputy@school.test", "head@school.test"]
    assert all(m["Subject"].startswith("ESCALATION") for m in new)
    assert "not acknowledged by its due time" in new[0].get_body(("plain",)).get_content()
    assert rows(settings, "SELECT case_id FROM cases WHERE escalated_at IS NOT NULL") == [(1,)]
    assert rows(settings, "SELECT count(*) FROM audit_log WHERE action = 'escalated'") == [(1,)]
    assert respond(settings, "run-4", now=MON + timedelta(days=2))["escalated"] == 0
    assert len(mail.messages()) == before + 2


def test_digest_once_a_day(tmp_path: Path, sinks) -> None:
    mail, hooks = sinks
    settings = make_settings(tmp_path, mail.port, hooks.base_url)
    seed(settings, ITEMS[2:])
    assert respond(settings, "run-1", now=MON)["digest_items"] == 1
    seed(settings, [(post("k5", "Concert", "Test School concert"), ITEMS[2][1])], run_id="run-2")
    same_day = respond(settings, "run-2", now=MON + timedelta(hours=2))
    assert same_day["cases_opened"] == 1 and same_day["digest_items"] == 0
    next_day = respond(settings, "run-3", now=MON + timedelta(days=1))
    assert next_day["digest_items"] == 1
    digests = [m for m in mail.messages() if m["To"] == "office@school.test"]
    assert len(digests) == 2 and "Concert" in digests[1].get_body(("plain",)).get_content()


def test_a_run_killed_mid_send_is_retried_after_the_lease(tmp_path: Path, sinks) -> None:
    mail, hooks = sinks
    settings = make_settings(tmp_path, mail.port, hooks.base_url, sending_lease_seconds=300)
    seed(settings, ITEMS[:1])
    with Warehouse.open(settings.database.path) as wh:
        from mentions.respond import open_cases

        open_cases(wh.con, settings, "run-1", MON)
        assert len(ob.claim(wh.con, settings, MON)) == 3  # ... and the process dies here
    assert send_outbox(settings, now=MON + timedelta(seconds=10))["alerts_sent"] == 0
    assert send_outbox(settings, now=MON + timedelta(seconds=301))["alerts_sent"] == 3
    assert len(mail.messages()) == 2 and len(hooks.posts()) == 1


def test_payload_shapes() -> None:
    msg = Claimed("m1", "digest", "teams", "p", "p", "3 mentions", "body",
                  {"kind": "digest", "items": [{"title": "a <b>", "source": "s", "case_id": 1, "link": "https://x"}]},
                  0)  # fmt: skip
    assert slack_payload(msg)["text"].endswith("• a &lt;b&gt; (s, case 1) https://x")
    card = teams_payload(msg)["attachments"][0]["content"]
    assert card["body"][0]["text"] == "3 mentions" and "actions" not in card


def test_demo_run_leaves_owned_cases_and_alerts(tmp_path: Path) -> None:
    """The demo pipeline (without Prefect) plus respond: the wiring the nightly flow gets."""
    import uuid

    from mentions import pipeline
    from mentions.demo import write_demo_profile
    from mentions.demo.alerts import DemoAlerts
    from mentions.demo.server import FixtureServer
    from mentions.settings import load_settings
    from scrapers.base import build_sources, safe_fetch

    with FixtureServer() as base_url, DemoAlerts(tmp_path / "alerts") as alerts:
        profile = alerts.add_routing(write_demo_profile(base_url, tmp_path / "demo.toml"))
        settings = load_settings(profile)
        settings.database.path = tmp_path / "demo.duckdb"
        run_id = str(uuid.uuid4())
        states = pipeline.begin_run(settings, run_id, "nightly")
        results = [safe_fetch(s, states.get(s.name, {})) for s in build_sources(settings)]
        analysed = pipeline.analyse(settings, results)
        pipeline.store(settings, run_id, results, analysed)
        out = respond(settings, run_id, posts=analysed.posts)
        report = alerts.report()
    assert out["alerts_failed"] == 0 and out["alerts_sent"] > 0
    urgent = rows(
        settings,
        "SELECT label, assignee, due FROM v_open_cases WHERE label <> 'neutral'",
    )
    assert {label for label, _, _ in urgent} == {"inappropriate", "media_enquiry"}
    assert all(assignee and due for _, assignee, due in urgent)
    assert any(line.startswith("mail to slt@demo.invalid") for line in report)
    assert any(line.startswith("webhook /teams/comms") for line in report)


def test_one_bad_webhook_url_fails_alone(tmp_path: Path, sinks, monkeypatch) -> None:
    """A webhook env var with a stray newline (httpx.InvalidURL, not an HTTPError) fails only its
    own message: the other hooks in the pass are recorded sent, never posted again."""
    mail, hooks = sinks
    monkeypatch.setenv("MENTIONS_TEST_WEBHOOK_SLT", f"{hooks.base_url}/{SECRET_PATH}\n")
    settings = make_settings(tmp_path, mail.port, hooks.base_url)
    seed(settings, ITEMS[:2])
    out = respond(settings, "run-1", now=MON)
    assert out["alerts_failed"] == 1 and out["alerts_sent"] == 5
    hooked = rows(settings, "SELECT channel, status FROM outbox WHERE channel <> 'email'")
    assert sorted(hooked) == [("slack", "pending"), ("teams", "sent")]
    assert SECRET_PATH not in str(out)
    respond(settings, "run-2", now=MON + timedelta(hours=1))
    assert [p["path"] for p in hooks.posts()] == ["/teams"]


def test_one_unbuildable_email_fails_alone(tmp_path: Path, sinks, monkeypatch) -> None:
    """An email that cannot be built fails alone; emails already sent in the pass stay sent."""
    import notify.email as ne

    mail, hooks = sinks
    real = ne.render

    def render(template, payload):
        if payload.get("kind") != "digest" and "Journalist" in str(payload.get("title")):
            raise KeyError("broken template value")
        return real(template, payload)

    monkeypatch.setattr(ne, "render", render)
    settings = make_settings(tmp_path, mail.port, hooks.base_url)
    seed(settings, ITEMS[:2])
    out = respond(settings, "run-1", now=MON)
    assert out["alerts_failed"] == 2 and out["alerts_sent"] == 4  # head + comms emails fail
    respond(settings, "run-2", now=MON + timedelta(hours=1))
    assert sorted(m["To"] for m in mail.messages()) == ["dsl@school.test", "slt@school.test"]


def test_a_late_failed_pass_does_not_unsend_a_sent_message(tmp_path: Path, sinks) -> None:
    """Pass A outlives its lease, pass B re-claims and sends; A's late failure must not make the
    sent row pending again (which would send it a third time)."""
    from notify import Result

    mail, hooks = sinks
    settings = make_settings(tmp_path, mail.port, hooks.base_url, sending_lease_seconds=60)
    seed(settings, ITEMS[:1])
    with Warehouse.open(settings.database.path) as wh:
        from mentions.respond import open_cases

        open_cases(wh.con, settings, "run-1", MON)
        slow = ob.claim(wh.con, settings, MON)  # pass A: stuck on a server slower than its timeout
    expired = MON + timedelta(seconds=ob.lease_seconds(settings, [m.channel for m in slow]) + 1)
    assert send_outbox(settings, now=expired)["alerts_sent"] == 3  # pass B
    failed = [Result(m.message_id, False, "smtp: timed out") for m in slow]
    with Warehouse.open(settings.database.path) as wh:
        ob.record(wh.con, settings, slow, failed, expired + timedelta(seconds=30))
    assert rows(settings, "SELECT DISTINCT status FROM outbox") == [("sent",)]
    assert send_outbox(settings, now=MON + timedelta(days=1))["alerts_sent"] == 0


def test_a_late_pass_leaves_alone_rows_another_pass_holds(tmp_path: Path, sinks) -> None:
    """Pass A outlives its lease and pass B re-claims the rows: A's late failure must not make
    them pending while B is still sending them, or B's success would be lost and sent again."""
    from notify import Result

    mail, hooks = sinks
    settings = make_settings(tmp_path, mail.port, hooks.base_url, sending_lease_seconds=60)
    seed(settings, ITEMS[:1])
    with Warehouse.open(settings.database.path) as wh:
        from mentions.respond import open_cases

        open_cases(wh.con, settings, "run-1", MON)
        pass_a = ob.claim(wh.con, settings, MON)
        expired = MON + timedelta(
            seconds=ob.lease_seconds(settings, [m.channel for m in pass_a]) + 1
        )
        pass_b = ob.claim(wh.con, settings, expired)
        assert {m.message_id for m in pass_b} == {m.message_id for m in pass_a}
        late = expired + timedelta(seconds=30)
        ob.record(
            wh.con,
            settings,
            pass_a,
            [Result(m.message_id, False, "smtp: timed out") for m in pass_a],
            late,
        )
        assert wh.con.execute("SELECT DISTINCT status FROM outbox").fetchall() == [("sending",)]
        ob.record(
            wh.con, settings, pass_b, [Result(m.message_id, True, None) for m in pass_b], late
        )
        assert wh.con.execute("SELECT DISTINCT status FROM outbox").fetchall() == [("sent",)]


class _SlowSmtp:
    """An SMTP server that answers every command just inside the client's timeout (a busy or
    tarpitting server): each email of a pass costs several waits, none of which times out."""

    def __init__(self, delay: float):
        self.delay = delay
        self.received: list[bytes] = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        await asyncio.sleep(self.delay)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        await asyncio.sleep(self.delay)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        await asyncio.sleep(self.delay)
        self.received.append(envelope.content)
        return "250 OK"


def test_the_lease_outlasts_a_pass_on_a_slow_smtp_server(tmp_path: Path, sinks) -> None:
    """A second run starting while a slow pass is still sending must not claim (and send) the
    same messages: the lease covers the whole pass, however short sending_lease_seconds is."""
    from aiosmtpd.controller import Controller

    _mail, hooks = sinks
    slow, port = _SlowSmtp(delay=0.3), free_port()
    controller = Controller(slow, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = make_settings(tmp_path, port, hooks.base_url, sending_lease_seconds=1)
        settings.routing.smtp.timeout_seconds = 1.0  # every reply comes just inside it
        seed(settings, ITEMS[:1])
        with Warehouse.open(settings.database.path) as wh:
            from mentions.respond import open_cases

            open_cases(wh.con, settings, "run-1", MON)
            claimed = ob.claim(wh.con, settings, MON)  # pass A
        started = time.monotonic()
        results = ob.deliver(settings, claimed)
        took = timedelta(seconds=time.monotonic() - started)
        with Warehouse.open(settings.database.path) as wh:
            assert ob.claim(wh.con, settings, MON + took) == []  # run B, as pass A ends
            ob.record(wh.con, settings, claimed, results, MON + took)
    finally:
        controller.stop()
    assert took > timedelta(seconds=settings.routing.outbox.sending_lease_seconds)
    channels = [m.channel for m in claimed]
    assert took.total_seconds() <= ob.pass_seconds(settings, channels)
    assert all(r.ok for r in results) and len(slow.received) == channels.count("email") == 2
    assert rows(settings, "SELECT DISTINCT status FROM outbox") == [("sent",)]


def test_a_lease_is_computed_for_its_batch(tmp_path: Path) -> None:
    """A big batch on a slow channel gets a lease as long as its worst pass; a small one keeps
    sending_lease_seconds, so a run killed mid-send is retried soon."""
    settings = make_settings(tmp_path, 25, "http://127.0.0.1:9")  # smtp and webhook timeouts: 3 s
    lease = settings.routing.outbox.sending_lease_seconds
    assert ob.lease_seconds(settings, ["email"]) == lease == 600
    assert ob.lease_seconds(settings, ["email"] * 1000) > 1000 * 3 * ob.SMTP_WAITS_PER_EMAIL
    assert ob.lease_seconds(settings, ["slack"] * 1000) > 1000 * 3 * ob.WEBHOOK_WAITS_PER_POST
    queued = [
        Outgoing(f"k{i}", "alert", "email", "head", "head@school.test", "s", "b")
        for i in range(300)
    ]
    with Warehouse.open(settings.database.path) as wh:
        ob.queue(wh.con, queued, MON)
        assert len(ob.claim(wh.con, settings, MON)) == 300
        (until,) = wh.con.execute("SELECT DISTINCT lease_until FROM outbox").fetchall()[0]
    assert until == MON + timedelta(seconds=ob.lease_seconds(settings, ["email"] * 300))


def test_rows_claimed_before_the_lease_column_keep_their_old_lease(tmp_path: Path) -> None:
    """Migration 003 on a database a pass left mid-send: the row is claimable 600 s after its
    claim (the fixed lease it was claimed under), as before the upgrade."""
    from warehouse.db import migrations

    settings = make_settings(tmp_path, 25, "http://127.0.0.1:9")
    con = duckdb.connect(str(settings.database.path))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied TIMESTAMPTZ NOT NULL)")  # fmt: skip
    for version, name, sql in migrations()[:2]:
        con.execute(sql)
        con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, MON])
    con.execute(
        "INSERT INTO outbox (message_id, dedupe_key, kind, channel, person, recipient, subject, "
        "body, payload, status, next_attempt, claimed_at, created) VALUES ('m1', 'k1', 'alert', "
        "'email', 'head', 'head@school.test', 's', 'b', '{}', 'sending', ?, ?, ?)",
        [MON, MON, MON],
    )
    con.close()
    with Warehouse.open(settings.database.path) as wh:
        assert wh.schema_version() >= 3
        assert ob.claim(wh.con, settings, MON + timedelta(seconds=599)) == []
        assert [m.message_id for m in ob.claim(wh.con, settings, MON + timedelta(seconds=600))] == [
            "m1"
        ]


def test_a_resent_email_keeps_its_message_id(tmp_path: Path, monkeypatch) -> None:
    """At-least-once delivery relies on a resend carrying the same Message-ID."""
    import notify.email as ne
    from notify.email import build_email

    monkeypatch.setattr(ne, "render", lambda template, payload: "<p>html</p>")

    settings = make_settings(tmp_path, 25, "http://127.0.0.1:9")
    msg = Claimed("3f2a9c", "alert", "email", "head", "head@school.test", "Subject", "body",
                  {"title": "t"}, 0)  # fmt: skip
    first, again = build_email(settings, msg), build_email(settings, msg)
    assert first["Message-ID"] == again["Message-ID"] == "<3f2a9c@school-mentions.local>"


def test_a_non_ascii_smtp_password_never_reaches_the_outbox(tmp_path: Path, monkeypatch) -> None:
    """smtplib cannot send a non-ASCII password and its error quotes the character: that text
    must not land in the outbox, the audit log or the run summary."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    class Accept:
        async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
            return "250 OK"

    port = free_port()
    controller = Controller(
        Accept(),
        hostname="127.0.0.1",
        port=port,
        auth_require_tls=False,
        authenticator=lambda *args: AuthResult(success=True),
    )
    monkeypatch.setenv("MENTIONS_SMTP_USERNAME", "alerts")
    monkeypatch.setenv("MENTIONS_SMTP_PASSWORD", "pässwörd-Zq")
    controller.start()
    try:
        settings = make_settings(tmp_path, port, "http://127.0.0.1:9")
        assert settings.secrets.smtp_password is not None
        seed(settings, ITEMS[2:])
        out = respond(settings, "run-1", now=MON)
    finally:
        controller.stop()
    assert out["alerts_failed"] == 1 and out["delivery_errors"]
    dump = (
        str(out)
        + str(rows(settings, "SELECT last_error FROM outbox"))
        + str(rows(settings, "SELECT detail FROM audit_log"))
    )
    assert "\\xe4" not in dump and "ä" not in dump and "position" not in dump
