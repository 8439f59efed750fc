"""Email over SMTP: one connection per delivery pass, STARTTLS / implicit TLS / plain (local
relays), login only when ``MENTIONS_SMTP_USERNAME`` / ``_PASSWORD`` are set.

A connection or login failure fails every email of the pass at once (each is retried later by the
outbox) instead of waiting out the timeout once per message.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate

from mentions.settings import Settings
from notify import Claimed, Result
from notify.messages import render

_TEMPLATE = {"digest": "digest.html.j2"}


def build_email(settings: Settings, msg: Claimed) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.routing.smtp.from_address
    email["To"] = msg.recipient
    email["Subject"] = msg.subject
    email["Date"] = formatdate(localtime=False)
    # The outbox id as Message-ID: if a crash makes the outbox send a message again, mail
    # clients and servers see the same message.
    # (Not make_msgid: it adds the time, pid and a random number, so every send would differ.)
    email["Message-ID"] = f"<{msg.message_id}@school-mentions.local>"
    email["X-Mentions-Kind"] = msg.kind
    if msg.case_id is not None:
        email["X-Mentions-Case"] = str(msg.case_id)
    email.set_content(msg.body)
    email.add_alternative(
        render(_TEMPLATE.get(msg.kind, "alert.html.j2"), msg.payload), subtype="html"
    )
    return email


def _connect(settings: Settings) -> smtplib.SMTP:
    cfg = settings.routing.smtp
    if cfg.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            cfg.host, cfg.port, timeout=cfg.timeout_seconds, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
        if cfg.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    user, password = settings.secrets.smtp_username, settings.secrets.smtp_password
    if user is not None and password is not None:
        smtp.login(user.get_secret_value(), password.get_secret_value())
    return smtp


def _describe(exc: BaseException) -> str:
    # The exception text names the server and its reply, never our credentials.
    if isinstance(exc, UnicodeError):
        # smtplib sends AUTH as ASCII; its error quotes the character it could not encode and its
        # position, which would put part of the password in the outbox, audit log and summary.
        return f"smtp: {type(exc).__name__}: a non-ASCII character in the login or message"
    return f"smtp: {type(exc).__name__}: {exc}"[:500]


def send_emails(settings: Settings, messages: Sequence[Claimed]) -> list[Result]:
    if not messages:
        return []
    try:
        smtp = _connect(settings)
    except Exception as exc:  # noqa: BLE001 - e.g. UnicodeEncodeError from a non-ASCII password
        error = _describe(exc)
        return [Result(m.message_id, False, error) for m in messages]
    results: list[Result] = []
    try:
        for msg in messages:
            try:
                email = build_email(settings, msg)
            except Exception as exc:  # noqa: BLE001
                # A message that cannot be built fails alone: raising would fail the whole pass,
                # and the emails already sent in it would be recorded as failed and sent again.
                results.append(Result(msg.message_id, False, _describe(exc)))
                continue
            try:
                smtp.send_message(email)
                results.append(Result(msg.message_id, True))
            except smtplib.SMTPServerDisconnected as exc:
                results.append(Result(msg.message_id, False, _describe(exc)))
                break
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                results.append(Result(msg.message_id, False, _describe(exc)))
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    done = {r.message_id for r in results}
    results += [
        Result(m.message_id, False, "smtp: connection lost before sending")
        for m in messages
        if m.message_id not in done
    ]
    return results
