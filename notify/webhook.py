"""Chat webhooks: Slack incoming webhooks and Microsoft Teams via Workflows (an Adaptive Card).

Webhook URLs are bearer secrets: they come from the environment variable a person's
``webhook_env`` names (or a literal ``webhook`` for local receivers), are resolved only here, at
send time, and are scrubbed from every error message.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import httpx

from mentions.settings import Settings
from notify import Claimed, Result


def _slack_escape(text: str) -> str:
    # Slack mrkdwn control characters; user text must not become links or mentions.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _lines(payload: dict[str, Any]) -> list[str]:
    if payload.get("kind") == "digest":
        return [
            f"{i['title']} ({i['source']}, case {i['case_id']}) {i['link']}"
            for i in payload.get("items", [])
        ]
    lines = [
        f"Why: {payload.get('explanation', '')}",
        f"Respond by: {payload.get('due_local', '')}",
        f"Acknowledge: {payload.get('ack_command', '')}",
    ]
    if payload.get("deadline_local"):
        lines.insert(1, f"Journalist's deadline: {payload['deadline_local']}")
    return lines


def slack_payload(msg: Claimed) -> dict[str, Any]:
    p = msg.payload
    e = _slack_escape
    if msg.kind == "digest":
        text = e(msg.subject) + "\n" + "\n".join(f"• {e(line)}" for line in _lines(p))
        return {"text": text}
    link = p.get("link") or ""
    title = e(p.get("title", ""))
    header = f"*{e(msg.subject)}*"
    body = f"<{link}|{title}>\n>{e(p.get('excerpt', ''))}\n" if link else f"{title}\n"
    return {
        "text": e(msg.subject),  # the notification / fallback text
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": header}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "\n".join(e(x) for x in _lines(p))},
            },
        ],
    }


def teams_payload(msg: Claimed) -> dict[str, Any]:
    """The message shape a Teams Workflows "post to a channel when a webhook request is
    received" flow accepts: an Adaptive Card attachment."""
    p = msg.payload
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": msg.subject, "weight": "Bolder", "wrap": True},
    ]
    if msg.kind != "digest":
        body.append({"type": "TextBlock", "text": p.get("excerpt", ""), "wrap": True})
    body += [{"type": "TextBlock", "text": line, "wrap": True} for line in _lines(p)]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if p.get("link"):
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open the post", "url": p["link"]}]
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def webhook_url(settings: Settings, person_id: str) -> str | None:
    person = settings.routing.people.get(person_id)
    if person is None:
        return None
    if person.webhook_env:
        return os.environ.get(person.webhook_env) or None
    return person.webhook


def _scrub(text: str, url: str) -> str:
    return text.replace(url, "<webhook URL>") if url else text


def send_webhooks(settings: Settings, messages: Sequence[Claimed]) -> list[Result]:
    results: list[Result] = []
    if not messages:
        return results
    timeout = settings.routing.outbox.webhook_timeout_seconds
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for msg in messages:
            url = webhook_url(settings, msg.person)
            if not url:
                person = settings.routing.people.get(msg.person)
                where = f"${person.webhook_env}" if person and person.webhook_env else "webhook"
                results.append(Result(msg.message_id, False, f"{msg.channel}: {where} is not set"))
                continue
            try:
                body = slack_payload(msg) if msg.channel == "slack" else teams_payload(msg)
                response = client.post(url, json=body)
            except Exception as exc:  # noqa: BLE001
                # Not only httpx.HTTPError: a URL with a stray newline from the environment raises
                # httpx.InvalidURL. Escaping here would fail the whole pass, so the hooks already
                # posted in it would be recorded as failed and posted again.
                error = _scrub(f"{msg.channel}: {type(exc).__name__}: {exc}", url)
                results.append(Result(msg.message_id, False, error[:500]))
                continue
            if 200 <= response.status_code < 300:  # Slack: 200 "ok"; Teams Workflows: 202
                results.append(Result(msg.message_id, True))
            else:
                reply = _scrub(response.text[:200], url)
                results.append(
                    Result(
                        msg.message_id, False, f"{msg.channel}: HTTP {response.status_code} {reply}"
                    )
                )
    return results
