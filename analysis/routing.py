"""Who handles a labelled mention: label (+ sub-reason, + "is it about pupils?") -> roles -> people.

Pure decisions over the profile's ``[routing]`` table, no I/O. The most specific rule wins
(``inappropriate.threat`` before ``inappropriate``); the first role of the rule owns the case (its
first person is the assignee, its deputy is escalated to), every person of every role is alerted.
An inappropriate item whose text mentions pupils also goes to the DSL role whatever the sub-reason:
safeguarding concerns must not depend on the classifier picking the right sub-reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mentions.settings import Person, Routing

# When a profile has no rule for a label at all (rules are validated, so only a custom table that
# drops one), the case still gets an owner: nothing found is ever dropped.
_FALLBACK = {"neutral": "digest_role", "inappropriate": "head_role", "media_enquiry": "head_role"}


@dataclass(frozen=True, slots=True)
class Route:
    label: str
    subreason: str | None
    roles: tuple[str, ...]  # every role that hears about it; roles[0] owns the case
    assignee: str | None  # person id, None when the owning role has nobody yet
    deputy: str | None
    notify: tuple[str, ...]  # person ids alerted (urgent) or sent the digest (neutral)
    about_pupils: bool
    urgent: bool

    @property
    def role(self) -> str:
        return self.roles[0]


@lru_cache(maxsize=16)
def _pupil_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def about_pupils(routing: Routing, text: str | None) -> bool:
    pattern = _pupil_pattern(tuple(routing.pupil_words))
    return bool(text and pattern and pattern.search(text))


def role_people(routing: Routing, role: str) -> tuple[str, ...]:
    return tuple(routing.roles[role].people) if role in routing.roles else ()


def route(
    routing: Routing, label: str, subreason: str | None = None, text: str | None = None
) -> Route:
    """Decide the roles and people for one item. ``text`` (title + body) is only read for pupil
    words."""
    roles = list(
        routing.rules.get(f"{label}.{subreason}")
        or routing.rules.get(label)
        or [getattr(routing, _FALLBACK.get(label, "head_role"))]
    )
    pupils = label == "inappropriate" and about_pupils(routing, text)
    if pupils and routing.pupil_role and routing.pupil_role not in roles:
        roles.append(routing.pupil_role)
    owner = routing.roles[roles[0]]
    notify: list[str] = []
    for role in roles:
        for person in role_people(routing, role):
            if person not in notify:
                notify.append(person)
    return Route(
        label=label,
        subreason=subreason,
        roles=tuple(roles),
        assignee=owner.people[0] if owner.people else None,
        deputy=owner.deputy,
        notify=tuple(notify),
        about_pupils=pupils,
        urgent=label in routing.urgent_labels,
    )


def escalation_people(routing: Routing, deputy: str | None) -> tuple[str, ...]:
    """The deputy of the owning role and the head teacher(s), each once."""
    people = [deputy] if deputy else []
    for person in role_people(routing, routing.head_role):
        if person not in people:
            people.append(person)
    return tuple(people)


def person(routing: Routing, person_id: str | None) -> Person | None:
    return routing.people.get(person_id) if person_id else None
