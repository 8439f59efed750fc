"""Hand-written policy rules that sit beside the trained model.

Rules are used where they are sharper than a model trained on a few hundred examples:

* ``privacy_hits`` finds posts that name or locate a pupil (a name with a year group, "a year 8
  girl called...", a home address, a phone number). School policy makes these a privacy breach
  even when the post is friendly, so a hit overrides the model's label.
* ``enquiry_features`` turns journalist phrasing into a few numbers the media-enquiry model
  weighs together with the words; they inform the model rather than decide alone.
* ``subreason_hint`` recognises unmistakable threats and impersonation so that the sub-reason
  does not depend on the model having seen the exact wording.
"""

from __future__ import annotations

import re

from analysis.enquiry import extract_outlet, parse_deadline

# Common first names among pupils of an east London Islamic school, plus common English ones. A
# deployment adds the school's protected pupil list (``protected_names``) on top.
FIRST_NAMES = frozenset(
    """
    aisha ayesha yusuf yousuf ibrahim maryam mariam zainab hamza sumaiya abdullah fatima fatimah
    bilal khadija musa imran safiya safia muhammad mohammed mohammad ahmed ahmad ali omar umar
    usman uthman hasan hassan hussain husain adam idris ismail isa yahya zakariya zakaria ayaan
    rayyan zayn zain amir amira hana hannah halima hafsa ruqayyah ruqaya sara sarah noor nur
    layla leila inaya anaya jannat tahmina nusrat shamima rahima salma sana samira sadia tasnim
    tanvir rahim karim arif asif faisal farhan junaid kamran nabil rashid saif shahid tariq
    yasin yaseen zaid zayd abdul abdur abu mustafa mahmud mahmoud jamal kabir rumana shirin
    nadia maya mia emily olivia amelia isla ava grace jack oliver harry george noah leo charlie
    jacob thomas james william daniel joshua ryan liam ella lily chloe sophie jessica lucy
    """.split()
)
_ROLE_WORDS = (
    r"(?:journalist|journo|reporter|producer|researcher|correspondent|editor|writer|broadcaster)"
)

_PRIVACY_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "pupil called by name",
        re.compile(
            r"\b(?:year\s?\d{1,2}\s+)?(?:girl|boy|pupil|student|lad|kid|child|son|daughter)\s+"
            r"(?:called|named)\s+[A-Z][a-z]+",
            re.IGNORECASE,
        ),
    ),
    (
        "year-group pupil called",
        re.compile(
            r"\byear\s?\d{1,2}\s+(?:girl|boy|pupil|student|lad|kid|child)\s+(?:called|named)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "home address",
        re.compile(
            r"\b(?:home address(?:es)?|home postcodes?|address is|lives at|living at|lives at number|"
            r"lives (?:just )?(?:on|off|in) [A-Z]\w+ (?:Street|Road|Lane|Avenue|Close|Way|Estate)|"
            r"(?:mobile|phone)(?: number)? is)\b"
        ),
    ),
    ("class list", re.compile(r"\bclass list\b", re.IGNORECASE)),
]
_YEAR_GROUP = re.compile(r"\byear\s?\d{1,2}\b", re.IGNORECASE)
_CAP_NAME = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][a-z]+)\b")

_ENQUIRY_PHRASES = re.compile(
    r"#?journorequest|#?prrequest|#?mediarequest|looking (?:to|for)(?: \w+)? (?:speak|talk|hear|"
    r"case stud|parents|teachers|people|families|contacts?)|(?:request(?:ing)?|ask(?:ing)?) for "
    r"(?:a )?comment|for (?:a )?comment|(?:give|invite)\w*(?: \w+){0,3} (?:a )?(?:comment|respon)|"
    r"case stud(?:y|ies)|interview|spokes(?:person|man|woman)|on the record|press (?:office|contact)|"
    r"handles? media|get in touch|contact me|(?:dm|email|message) me|dms? (?:are )?open|drop me a line|"
    r"would love to (?:hear|speak|talk)|like to (?:hear|speak|talk|interview|ask)|(?:willing|happy) to "
    r"(?:chat|talk|speak)|(?:speak|talk) (?:to|with) (?:me|us)|hear from you|on camera|as a guest|"
    r"for (?:a|my|our) (?:piece|feature|story|article|report|documentary|segment|programme)",
    re.IGNORECASE,
)
_SELF_ROLE = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are|as)\s+(?:a |an |the )?(?:\w+\s){0,2}"
    + _ROLE_WORDS
    + r"|\b"
    + _ROLE_WORDS
    + r"\s+(?:at|for|with|from)\b|\b"
    + _ROLE_WORDS
    + r"(?:\s+\w+)?\s+here\b"
    + r"|\bhere\b.{0,3}$|\b(?:i|we) (?:produce|write for|work for|am writing|are writing|'m writing)",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"\b(?:out now|is out|read (?:my|our|the) (?:piece|story|article)|published (?:today|in)|"
    r"seen by|was approached for comment|declined to comment|said (?:it|the)|told the|"
    r"according to|reports?\b.{0,20}\bsaid)\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")

_SUBREASON_HINTS: list[tuple[str, re.Pattern[str]]] = [
    (
        "threat",
        re.compile(
            r"\b(?:burn (?:it|\w+(?: \w+)?) down|watch (?:your|yer) back|one eye open|we know (?:your|where)|"
            r"get what'?s coming|(?:kill|stab|shoot|bomb)(?:bed|ing|ed)?\b|brick through|smash (?:the place|it) up|"
            r"you'?ve been warned|you'?ll regret|waiting (?:for you )?outside)",
            re.IGNORECASE,
        ),
    ),
    (
        "impersonation",
        re.compile(
            r"\b(?:this is (?:the )?head|message from the head|on behalf of the school|official account|"
            r"(?:i run|run) the official|admissions team here|posting as|new account,? old one was hacked)",
            re.IGNORECASE,
        ),
    ),
]


def privacy_hits(text: str, protected_names: frozenset[str] = frozenset()) -> list[str]:
    """Why ``text`` identifies or locates a pupil; empty when it does not."""
    hits = [name for name, pattern in _PRIVACY_PATTERNS if pattern.search(text)]
    if _YEAR_GROUP.search(text):
        # A first name + surname next to a year group ("Yusuf Ahmed in Year 8") names a pupil.
        for m in _CAP_NAME.finditer(text):
            if m.group(1).lower() in FIRST_NAMES and m.group(2).lower() not in {"year"}:
                hits.append(f"pupil named with year group: {m.group(0)}")
                break
    low = text.lower()
    hits += [f"protected name: {n}" for n in protected_names if n.lower() in low]
    return hits


def enquiry_features(text: str) -> list[float]:
    """Signals of a journalist asking (phrases, self-described role, outlet, contact, deadline)."""
    return [
        min(len(_ENQUIRY_PHRASES.findall(text)), 3) / 3.0,
        1.0 if _SELF_ROLE.search(text) else 0.0,
        1.0 if extract_outlet(text) else 0.0,
        1.0 if _EMAIL.search(text) else 0.0,
        1.0 if parse_deadline(text) else 0.0,
        1.0 if _PUBLISHED.search(text) else 0.0,
    ]


ENQUIRY_FEATURE_NAMES = (
    "enquiry phrase",
    "journalist says who they are",
    "outlet named",
    "email given",
    "deadline given",
    "already published",
)


def enquiry_phrase(text: str) -> str | None:
    m = _ENQUIRY_PHRASES.search(text)
    return m.group(0) if m else None


def subreason_hint(text: str) -> tuple[str, str] | None:
    for reason, pattern in _SUBREASON_HINTS:
        if m := pattern.search(text):
            return reason, m.group(0)
    return None
