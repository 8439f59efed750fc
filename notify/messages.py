"""What people are told: subjects, plain-text bodies and the structured payload that the email
HTML, the Slack blocks and the Teams card are rendered from. Pure functions, no I/O.

Messages carry the excerpt, the link, the label and why, the due time in school time and the
command that acknowledges the case. They never carry secrets (webhook URLs, SMTP credentials).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from analysis.due import format_local
from mentions.settings import Settings
from notify import Outgoing

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABEL_TEXT = {
    "inappropriate": "Inappropriate content",
    "media_enquiry": "Media enquiry",
    "neutral": "Mention",
}
EXCERPT_CHARS = 400
DIGEST_MAX_ITEMS = 200

# Autoescape for *.html.j2 only: the .txt bodies are plain text and must not get &amp; in them.
_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


_ACRONYMS = {"slt": "SLT", "dsl": "DSL", "ddsl": "DDSL", "it": "IT", "sen": "SEN", "senco": "SENCo"}


def role_text(role: str | None) -> str:
    """``slt_on_duty`` -> ``SLT on duty``, ``head_teacher`` -> ``Head teacher`` (display only)."""
    words = [w for w in (role or "").replace("-", "_").split("_") if w]
    out = [_ACRONYMS.get(w.lower(), w.lower()) for w in words]
    if out and out[0] not in _ACRONYMS.values():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def reason_text(subreason: str | None) -> str:
    """``privacy_breach`` -> ``Privacy breach`` (display only)."""
    text = (subreason or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def source_text(name: str | None) -> str:
    """A source id as people read it: ``rss:Community board`` -> ``Community board (news
    feed)``, ``reddit:search:r/london`` -> ``Reddit search: r/london``. Unknown kinds unchanged."""
    name = name or ""
    kind, sep, rest = name.partition(":")
    if not sep or not rest:
        return name
    rest = re.sub(r":(?=\S)", ": ", rest)
    if kind == "rss":
        return f"{rest} (news feed)"
    if kind == "web":
        return f"{rest} (web page)"
    if kind == "reddit":
        mode, sep, where = rest.partition(": ")
        if not sep:
            return f"Reddit: {rest}"
        return f"Reddit {mode}: " + ("all of Reddit" if where == "all" else where)
    return name


_env.filters.update(role_text=role_text, reason_text=reason_text, source_text=source_text)


def safe_link(url: str | None) -> str:
    """Only http(s) links become hrefs (rows stored before URLs were checked included)."""
    return url if url and url.lower().startswith(("http://", "https://")) else ""


def render(template: str, payload: dict[str, Any]) -> str:
    return _env.get_template(template).render(**payload)


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def one_line(text: str, limit: int = 200) -> str:
    """Header-safe: email headers may not contain line breaks."""
    return excerpt(text, limit)


def channels_for(settings: Settings, person_id: str) -> list[tuple[str, str]]:
    """(channel, recipient) for every way a person can be reached."""
    person = settings.routing.people.get(person_id)
    if person is None:
        return []
    out: list[tuple[str, str]] = []
    if person.email:
        out.append(("email", person.email))
    if person.webhook or person.webhook_env:
        out.append((person.webhook_kind, person_id))
    return out


def case_payload(
    settings: Settings, case: dict[str, Any], kind: str, *, reason: str | None = None
) -> dict[str, Any]:
    """The fields every channel renders for one case. ``case`` is a row of cases joined to the
    post (title, text, url, source_name, explanation, details)."""
    tz = settings.school.tz
    details = case.get("details") or {}
    deadline = details.get("deadline")
    assignee = settings.routing.people.get(case.get("assignee") or "")
    deadline_local = None
    if case["label"] == "media_enquiry" and deadline:
        from analysis.due import parse_deadline

        parsed = parse_deadline(deadline)
        deadline_local = format_local(parsed, tz) if parsed else str(deadline)
    return {
        "kind": kind,
        "school": settings.school.name,
        "case_id": int(case["case_id"]),
        "label": case["label"],
        "label_text": LABEL_TEXT.get(case["label"], case["label"]),
        "subreason": case.get("subreason"),
        "about_pupils": bool(case.get("about_pupils")),
        "title": one_line(case.get("title") or case.get("url") or "(untitled)"),
        "excerpt": excerpt(case.get("text")),
        "link": safe_link(case.get("url")),
        "source": case.get("source_name") or "",
        "explanation": case.get("explanation") or "",
        "role": case["role"],
        "assignee_name": assignee.name if assignee else None,
        "due": _iso(case["due"]),
        "due_local": format_local(case["due"], tz),
        "outlet": details.get("outlet") if case["label"] == "media_enquiry" else None,
        "contact": details.get("contact") if case["label"] == "media_enquiry" else None,
        "deadline_local": deadline_local,
        "ack_command": f"mentions cases ack {int(case['case_id'])}",
        "show_command": f"mentions cases show {int(case['case_id'])}",
        "reason": reason,
    }


def _iso(value: datetime) -> str:
    return value.isoformat()


def _to_people(
    settings: Settings,
    people: Iterable[str],
    dedupe_key: Callable[[str, str], str],
    message: Outgoing,
) -> tuple[list[Outgoing], list[str]]:
    """``message`` once per person and channel they can be reached on, each with its own dedupe
    key. Returns (messages, people with no channel)."""
    out: list[Outgoing] = []
    unreachable: list[str] = []
    for person in people:
        reach = channels_for(settings, person)
        if not reach:
            unreachable.append(person)
        for channel, recipient in reach:
            out.append(
                replace(
                    message,
                    dedupe_key=dedupe_key(person, channel),
                    channel=channel,
                    person=person,
                    recipient=recipient,
                )
            )
    return out, unreachable


def case_messages(
    settings: Settings,
    case: dict[str, Any],
    kind: str,
    people: Iterable[str],
    *,
    dedupe_suffix: str = "",
    reason: str | None = None,
) -> tuple[list[Outgoing], list[str]]:
    """Messages about one case to ``people``. Returns (messages, people with no channel)."""
    payload = case_payload(settings, case, kind, reason=reason)
    prefix = {"escalation": "ESCALATION ", "reassigned": "Reassigned ", "relabelled": "Relabelled "}
    what = payload["label_text"] + (f" ({payload['subreason']})" if payload["subreason"] else "")
    subject = one_line(
        f"{prefix.get(kind, '')}[{what}] {settings.school.name}: {payload['title']} "
        f"- case {payload['case_id']}, respond by {payload['due_local']}",
        250,
    )
    body = render("alert.txt.j2", payload)
    return _to_people(
        settings,
        dict.fromkeys(people),
        lambda person, channel: f"{kind}:{payload['case_id']}:{person}:{channel}{dedupe_suffix}",
        Outgoing(
            dedupe_key="",
            kind=kind,
            channel="",
            person="",
            recipient="",
            subject=subject,
            body=body,
            payload=payload,
            case_id=payload["case_id"],
        ),
    )


def digest_messages(
    settings: Settings, digest_id: str, day: str, cases: Sequence[dict[str, Any]]
) -> tuple[list[Outgoing], list[str]]:
    """One digest of neutral cases for every person of the digest role."""
    tz = settings.school.tz
    shown = cases[:DIGEST_MAX_ITEMS]
    payload = {
        "kind": "digest",
        "school": settings.school.name,
        "day": day,
        "digest_id": digest_id,
        "role": settings.routing.digest_role,
        "more": max(len(cases) - len(shown), 0),
        "items": [
            {
                "case_id": int(c["case_id"]),
                "title": one_line(c.get("title") or c.get("url") or "(untitled)"),
                "link": safe_link(c.get("url")),
                "source": c.get("source_name") or "",
                "excerpt": excerpt(c.get("text"), 200),
                "due_local": format_local(c["due"], tz),
            }
            for c in shown
        ],
    }
    subject = one_line(f"{settings.school.name}: {len(cases)} mention(s), digest {day}", 250)
    body = render("digest.txt.j2", payload)
    return _to_people(
        settings,
        settings.routing.roles[settings.routing.digest_role].people,
        lambda person, channel: f"digest:{digest_id}:{person}:{channel}",
        Outgoing(
            dedupe_key="",
            kind="digest",
            channel="",
            person="",
            recipient="",
            subject=subject,
            body=body,
            payload=payload,
            digest_id=digest_id,
        ),
    )
