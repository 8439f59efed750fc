"""Does a post mention the school? Aliases, weak aliases, exclusions and location hints.

Text is normalised (accents stripped, case folded, punctuation to spaces) and searched with one
Aho-Corasick automaton for all terms at once, so the cost does not grow with the number of
aliases. A hit counts only on word boundaries ("DHL" must not match inside "ADHLER").

The decision:
- any alias hit is a mention;
- otherwise a weak alias hit ("DHL", "Latifiah") is a mention only if a location hint or a
  context word also appears and no exclusion ("courier", "parcel") does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower-case ASCII-ish words separated by single spaces, padded with one space each side."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " " + _NON_WORD.sub(" ", stripped.casefold()).strip() + " "


@dataclass(frozen=True, slots=True)
class Match:
    aliases: tuple[str, ...]
    weak_aliases: tuple[str, ...]
    locations: tuple[str, ...]
    context: tuple[str, ...]
    fields: tuple[str, ...]  # where the hits were: "title", "text"

    @property
    def terms(self) -> list[str]:
        return [*self.aliases, *self.weak_aliases, *self.locations]


class Matcher:
    KINDS = ("alias", "weak", "exclusion", "location", "context")

    def __init__(
        self,
        aliases: Iterable[str],
        *,
        weak_aliases: Iterable[str] = (),
        exclusions: Iterable[str] = (),
        location_hints: Iterable[str] = (),
        context_words: Iterable[str] = (),
    ):
        self._automaton = ahocorasick.Automaton()
        groups = zip(
            self.KINDS,
            (aliases, weak_aliases, exclusions, location_hints, context_words),
            strict=True,
        )
        entries: dict[str, list[tuple[str, str]]] = {}
        for kind, terms in groups:
            for term in terms:
                norm = normalise(term)
                if norm.strip():
                    entries.setdefault(norm, []).append((kind, term))
        if not any(kind == "alias" for v in entries.values() for kind, _ in v):
            raise ValueError("at least one alias is needed")
        for norm, kinds in entries.items():
            # Padded with spaces so a hit is always a whole word sequence.
            self._automaton.add_word(norm, kinds)
        self._automaton.make_automaton()

    @classmethod
    def from_school(cls, school) -> Matcher:  # school: mentions.settings.School
        return cls(
            school.aliases,
            weak_aliases=school.weak_aliases,
            exclusions=school.exclusions,
            location_hints=school.location_hints,
            context_words=school.context_words,
        )

    def _hits(self, text: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {k: set() for k in self.KINDS}
        for _end, kinds in self._automaton.iter(normalise(text)):
            for kind, term in kinds:
                found[kind].add(term)
        return found

    def match(self, title: str, text: str = "") -> Match | None:
        by_field = {"title": self._hits(title or ""), "text": self._hits(text or "")}
        hits = {k: by_field["title"][k] | by_field["text"][k] for k in self.KINDS}
        if not hits["alias"]:
            if not hits["weak"] or hits["exclusion"]:
                return None
            if not (hits["location"] or hits["context"]):
                return None
        fields = tuple(f for f, h in by_field.items() if h["alias"] or h["weak"] or h["location"])
        return Match(
            aliases=tuple(sorted(hits["alias"])),
            weak_aliases=tuple(sorted(hits["weak"])),
            locations=tuple(sorted(hits["location"])),
            context=tuple(sorted(hits["context"])),
            fields=fields,
        )
