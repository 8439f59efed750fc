"""The classifier interface, and the transparent rule-based baseline behind it.

Every classifier takes (title, text) pairs in batches and returns one ``Classification`` each:
a label (exactly ``neutral``, ``inappropriate`` or ``media_enquiry``), a sub-reason for
inappropriate items, a confidence, a short explanation and the model version. Callers (the flow,
``mentions classify``) only ever use ``load_classifier()`` and ``classify_batch``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

Label = Literal["neutral", "inappropriate", "media_enquiry"]
LABELS: tuple[Label, ...] = ("neutral", "inappropriate", "media_enquiry")
SUBREASONS = (
    "defamation",
    "discrimination",
    "abuse",
    "threat",
    "harassment_bullying",
    "privacy_breach",
    "confidentiality_breach",
    "impersonation",
)


@dataclass(frozen=True, slots=True)
class Classification:
    label: Label
    subreason: str | None
    confidence: float
    explanation: str
    model_version: str
    details: dict[str, Any] = field(default_factory=dict)  # e.g. outlet, contact, deadline


def account_name(name: str) -> str:
    """An author name as the profile's ``own_accounts`` hold it: "@Latifiah", "u/Latifiah" and
    "latifiah" are one account."""
    return name.strip().removeprefix("@").removeprefix("u/").lower()


def own_channel(
    url: str, author: str | None, sites: Sequence[str], accounts: Sequence[str]
) -> str | None:
    """Which of the school's own sites (host names) or accounts (``account_name`` form)
    published a post, or None."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    for site in sites:
        if host == site or host.endswith("." + site):
            return f"site {site}"
    name = account_name(author or "")
    return f"account {name}" if name and name in accounts else None


def spare_own_channel(c: Classification, channel: str) -> Classification:
    """The school speaking on its own site or account is not impersonating it, however official
    it sounds (text alone cannot tell "Statement from the Headteacher" from a fake one)."""
    if c.subreason != "impersonation":
        return c
    return Classification(
        "neutral",
        None,
        0.9,
        f"the school's own {channel}: not impersonation (the model read: {c.explanation})",
        c.model_version,
        {**c.details, "own_channel": channel, "model_label": "inappropriate/impersonation"},
    )


class Classifier(Protocol):
    version: str

    def classify_batch(self, items: Sequence[tuple[str, str]]) -> list[Classification]: ...


def _words(*terms: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(terms) + r")\b", re.IGNORECASE)


# Baseline word lists, checked in order: the first rule that fires decides.
_MEDIA = _words(
    r"#?journorequest",
    r"#?prrequest",
    r"looking to speak (?:to|with)",
    r"request(?:ing)? (?:for )?comment",
    r"for comment",
    r"case stud(?:y|ies)",
    r"(?:i'?m|we'?re) (?:a )?(?:journalist|reporter|producer|researcher)",
    r"(?:dm|email) me",
    r"on deadline",
    r"interview(?:s)? with",
    r"press office",
)
_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "threat",
        _words(
            r"burn (?:it|the school) down",
            r"(?:kill|shoot|stab|bomb|hurt)(?:ing)? (?:them|you|him|her|the|every)",
            r"watch your back",
            r"you'?ll regret",
        ),
    ),
    (
        "privacy_breach",
        _words(
            r"(?:lives|lives at|address is|home address)",
            r"year \d+ (?:boy|girl|pupil|student) (?:called|named)",
            r"(?:pupil|student|boy|girl) (?:called|named) [A-Z][a-z]+",
            r"(?:phone|mobile) number is",
        ),
    ),
    (
        "discrimination",
        _words(r"terrorists?", r"paki", r"go back to", r"raghead", r"jihadi", r"extremist factory"),
    ),
    (
        "defamation",
        _words(
            r"abuses? (?:the )?(?:children|kids|pupils)",
            r"paedo(?:phile)?s?",
            r"fraud(?:sters?)?",
            r"stealing (?:money|funds)",
            r"covering up",
        ),
    ),
    (
        "harassment_bullying",
        _words(r"everyone (?:laugh|hates)", r"loser", r"fat (?:cow|pig)", r"nobody likes"),
    ),
    (
        "confidentiality_breach",
        _words(r"leaked (?:document|email|minutes)", r"internal (?:memo|email)", r"confidential"),
    ),
    ("impersonation", _words(r"official account", r"(?:i am|this is) the head ?teacher")),
    (
        "abuse",
        _words(
            r"fuck\w*",
            r"shit\w*",
            r"bastards?",
            r"cunts?",
            r"scum",
            r"wankers?",
            r"idiots?",
            r"morons?",
            r"dickheads?",
        ),
    ),
]
BASELINE_VERSION = "baseline-rules-1"


class BaselineClassifier:
    """Rules and word lists. Transparent and fast; the trained model replaces it."""

    version = BASELINE_VERSION

    def classify_one(self, title: str, text: str) -> Classification:
        body = f"{title}\n{text}"
        if m := _MEDIA.search(body):
            return Classification(
                "media_enquiry", None, 0.7, f"enquiry phrase: {m.group(0)!r}", self.version
            )
        for reason, pattern in _RULES:
            if m := pattern.search(body):
                return Classification(
                    "inappropriate", reason, 0.6, f"{reason} word: {m.group(0)!r}", self.version
                )
        return Classification("neutral", None, 0.5, "no rule matched", self.version)

    def classify_batch(self, items: Sequence[tuple[str, str]]) -> list[Classification]:
        return [self.classify_one(t, x) for t, x in items]


_LOADED: dict[str, Classifier] = {}


def load_classifier(
    model_path: str | None = None, protected_names: frozenset[str] = frozenset()
) -> Classifier:
    """The classifier the product uses: the trained model shipped in analysis/models/.

    Loaded once per process and path, never per item. A missing or corrupt artefact raises
    ``mentions.errors.ClassifierError``: the product never falls back to the baseline silently.
    ``protected_names`` (the school's pupil list) makes any post naming one a privacy breach.
    """
    from analysis.model import DEFAULT_MODEL, load_model  # numpy / sklearn only when needed
    from mentions.errors import ClassifierError

    key = str(model_path or DEFAULT_MODEL)
    if key not in _LOADED:
        model = load_model(key)
        try:  # arrays that do not fit the code fail here, not on the first real post
            model.classify_batch([("", "Darul Hadis Latifiah open day")])
        except Exception as exc:
            raise ClassifierError(f"classifier model {key} does not work: {exc}") from None
        _LOADED[key] = model
    model = _LOADED[key]
    if protected_names:
        model = copy.copy(model)  # shares the arrays; only the name list differs
        model.protected_names = frozenset(protected_names)
    return model
