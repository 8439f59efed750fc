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
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis.enquiry import extract_outlet, parse_deadline

# First names (data/first_names.txt, see its header). A deployment adds the school's protected
# pupil list (``protected_names``) on top.
FIRST_NAMES = frozenset(
    line
    for line in (Path(__file__).with_name("data") / "first_names.txt")
    .read_text(encoding="utf-8")
    .split("\n")
    if line and not line.startswith("#")
)
_ROLE_WORDS = (
    r"(?:journalist|journo|reporter|producer|researcher|correspondent|editor|writer|broadcaster|"
    r"phd (?:student|researcher|candidate))"
)

# Patterns in lower case are matched against the lower-cased text (faster than re.IGNORECASE);
# "home address" needs the capitals of a street name and sees the text as written.
_PRIVACY_PATTERNS: list[tuple[str, re.Pattern[str], bool]] = [
    (
        "pupil called by name",
        re.compile(
            r"\b(?:year\s?\d{1,2}\s+)?(?:girl|boy|pupil|student|lad|kid|child|son|daughter)\s+"
            r"(?:called|named)\s+[a-z][a-z]+"
        ),
        True,
    ),
    (
        "year-group pupil called",
        re.compile(
            r"\byear\s?\d{1,2}\s+(?:girl|boy|pupil|student|lad|kid|child)\s+(?:called|named)\b"
        ),
        True,
    ),
    (
        "home address",
        re.compile(
            r"\b(?:home address(?:es)?|home postcodes?|address is|"
            # not "lives at (serious) risk", "practically lives at the library"
            r"(?=l)(?<!practically )(?<!basically )(?<!virtually )lives at(?!\s+(?:(?:grave|serious|"
            r"real|great|greater|significant|increased|further|unnecessary|immediate|no)\s+)?"
            r"(?i:risk|stake)\b)|"
            r"living at|"
            r"lives at number|"
            r"(?:live|lives|living|stays?) at (?:number )?\d{1,4}[a-z]?,? [A-Z]\w+ (?:Street|"
            r"St|Road|Rd|"
            r"Lane|Avenue|Close|Way|Court|Gardens|Estate|Grove|Drive|Crescent|Place|Terrace)|"
            r"lives (?:just )?(?:on|off|in) [A-Z]\w+ (?:Street|Road|Lane|Avenue|Close|Way|Estate)|"
            # someone else's number ("his mobile is 07700...", "Reece's phone number is"), not a
            # journalist's or the school's own ("my work mobile is", "the school office phone is")
            r"(?=[MmPp])(?:(?<=\b[Hh]is )|(?<=\b[Hh]er )|(?<=\b[Tt]heir )|(?<=[a-z]'s )"
            r"(?<![Ss]chool's )(?<![Oo]ffice's )(?<![Aa]cademy's )(?<![Cc]ollege's ))"
            r"(?i:mobile|phone)(?: number)?(?: is|:)\s*(?:\+44\s?|0)\d{3,})\b"
        ),
        False,
    ),
    ("class list", re.compile(r"\bclass list\b"), True),
    (
        # "it was the Robertson twins in 10C"
        "family of pupils named with year group",
        re.compile(
            r"\b[Tt]he [A-Z][a-z]+ (?:twins|brothers|sisters|(?:boys|girls|kids|lads)(?![^.!?]{0,80}"
            r"\b(?:won|win|winners?|champions?|cup|finals?|team|squad|match|through to|house points)"
            r"\b))\b[^.!?]{0,25}?"
            r"\b(?:[Ii]n|[Ff]rom)\s+(?:[Yy]ear\s?\d{1,2}|[Yy]\d{1,2}|\d{1,2}[A-Z]{1,2}|[SP][1-7])\b"
            # (not "the Smith brothers, who were in Year 11 back in 1998")
            r"(?![^.!?]{0,40}\b(?:19\d\d|20[01]\d|back in|years ago|used to)\b)"
        ),
        False,
    ),
    (
        # "shoutout to @mila.k.x0 from Brighton Aldridge Academy": a personal handle at a school
        "handle placed at a school",
        re.compile(
            r"(?<![\w@])@(?!(?:mr|mrs|miss|ms|dr|sir)[._]?[a-z]|y\d)(?![\w.]*(?:school|academy|primary|"
            r"college|pta|official|club|dance|drama|sport|fc\b|_pe|pe\d|team|music|news|office|"
            r"high|hs\b|year\d|yr\d|class\d|ks[1-5]|_u\d|u\d\ds\b|under\d))[a-z][\w.]*\d[\w.]*\s+"
            r"(?:from|at|in)\s+"
            r"(?:(?!\b(?:at|for|visit\w*|with)\b)[^.!?@]){0,40}?\b(?:academy|school|primary|high|"
            r"grammar|college|juniors?|infants?|year\s?\d{1,2})\b(?!\s+class of\b)"
        ),
        True,
    ),
    (
        # "his snap is aidenp_07", "her insta: @lily.r": a child's account, or a staff member's
        "social media handle given",
        re.compile(
            r"\b(?:his|her|their)\s+(?:snap(?:chat)?|insta(?:gram)?|tik\s?tok|twitter|fb|facebook)"
            r"(?:\s+(?:handle|name|account|username))?\s*(?:is|:|=|-)\s*(?:@[\w.]+|"
            r"[\w.]*[\d_][\w.]*)|"
            r"(?=[stfi])(?<!follow )(?<!on )(?<!our )(?<!my )(?<!school )(?<!school's )(?<!official )(?<!'s )(?<!pta )(?<!council )"
            r"(?<![\w'])(?:snap(?:chat)?|insta(?:gram)?|tik\s?tok|twitter|fb|facebook)"
            r"(?:\s+(?:handle|name|account|username))?\s*(?:is|:|=)\s*@?[a-z][\w.]*[\d_][\w.]*|"
            # "follow him on insta @finlay.rob07", "the boy with the insta @reece.tk_07"
            r"\b(?:(?:him|her|them) on|with(?: the)?|his|her|their) (?:snap(?:chat)?|insta(?:gram)?|"
            r"tik\s?tok)\s*:?\s*@(?![\w.]*(?:school|academy|primary|college|pta|official|club|dance|"
            r"drama|sport|fc\b))[a-z][\w.]*[\d_][\w.]*"
        ),
        True,
    ),
    (
        # "their mum lives opposite us on Sidney Street", "lives just off watney street"
        "home street given",
        re.compile(
            r"\b(?:(?:lives?|living|stays?)(?:\s+with\s+(?:his|her|their)\s+\w+)?|they'?re|he'?s|"
            r"she'?s)\s+(?:just\s+)?(?:off|near|opposite(?:\s+us)?(?:\s+on)?|above|behind|by|"
            r"on|in|next\s+to|round\s+the\s+corner\s+from)\s+"
            # "anyone who lives on the road": no particular street
            r"(?!(?:the|this|that|our|your|my|a|his|her|their|its)\s+(?:same\s+|"
            r"own\s+)?(?:street|road|lane|estate|close|way)\b)"
            r"(?:[\w'-]+\s+){1,5}?"
            r"(?:street|(?<!\bto )st(?!\s+\w)|road|rd|lane|avenue|close|way|court|gardens|estate)\b"
        ),
        True,
    ),
]
# A full name and a house address: "Name inside is Callum Reid, 14 Holly Grove" (the first
# name is checked against FIRST_NAMES in privacy_hits: not "Oakfield Juniors, 22 Park Road",
# "Bright Sparks Tuition, 3 Mill Lane", "the Red Lion, 12 Market Street"), not in a court report.
_NAME_ADDRESS = re.compile(
    r"\b([A-Z][a-z]+) (?!(?:Primary|School|Academy|College|Church|Hall|Centre|Center|Library|"
    r"Nursery|Surgery|Club|Park|House|Chapel|Mosque|Temple|Office|Hotel|Arms|Inn|Studio|"
    r"Studios|Shop|Cafe)\b)([A-Z][a-z]+)(?:-[A-Z][a-z]+)?,? (?:of |at )?\d{1,4}[a-z]?,? "
    r"[A-Z]\w+ "
    r"(?:Street|St|Road|Rd|Lane|Avenue|Close|Way|Court|Gardens|Grove|Drive|Crescent|Place|"
    r"Terrace)\b"
    r"(?![^.!?]{0,80}\b(?:jailed|sentenced|charged|convicted|fined|remanded|appeared|pleaded|"
    r"admitted|court)\b)"
)
_TITLE_BEFORE = re.compile(
    r"\b(?:mr|mrs|ms|miss|dr|sir|ustadh|ustadha|maulana|imam|st|saint|cllr|prof|rev|fr)\.?"
    r"\s+(?:[a-z]+\s+)?$"
)
_PHOTO_OF_PUPILS = re.compile(
    r"\b(?:photos?|pictures?|pics?|videos?|footage|clips?|selfies?)\s+of\s+(?:[\w'()]+\s+){0,3}?"
    r"(?:kids|pupils|boys|girls|students|children|lads|year\s?\d{1,2}|reception(?!\s+(?:area|"
    r"desk|office))|nursery|"
    r"class(?!\s+of\s+(?:19|20|')\d)\s?\d{0,2})\b|"
    r"\b(?:kid|boy|girl|pupil|child|lad)\s+in\s+(?:the|that|this)\s+(?:video|photo|pic|clip)\s+is\b"
)
_TAG_THEM = re.compile(
    r"\b(?:tag|name|identify)\s+(?:them|him|her)\b|\bif you know (?:them|him|her|who)\b"
)
_WORD = re.compile(r"[a-z]+")
# A surname: "Tanner", "O'Neil", "Price-Evans"
# (also O'Hare, McCann, MacDonald)
_SURNAME = r"((?:Mc|Mac|O'|Fitz|De|Di|Da|La|Le)?[A-Z][a-z']+(?:-[A-Za-z][a-z']+)*)"
_CAP_NAME = re.compile(r"\b(?=([A-Z][a-z]+)\s+" + _SURNAME + r"\b)")
# A year group or a class code: "Year 8", "yr 8", "Y8", "4J", "9B" (not "5K run", "4G pitch").
_YEAR_OR_CLASS = re.compile(
    r"\b(?:[Yy]ear|YEAR|[Yy]r|Y)\s?\d{1,2}\b|\b(?:\d(?![DGK]\b)|\d\d(?!K\b))[A-Z]{1,2}\b|"
    # Scottish and Northern Irish years (P7, S4), sixth form, "Form 2", "Class 4"
    r"\b[SP][1-7]\b|\b(?:[Uu]pper|[Ll]ower) [Ss]ixth\b|\b[Ff]orm\s?\d{1,2}\b|"
    r"\b[Cc]lass\s?\d{1,2}\b|"
    r"(?<!\bto )(?<!\bat )\bReception\b(?!\s+(?:desk|office|area|staff|team|by|"
    r"before))(?![^.!?]{0,30}\b(?:forms?|by (?:mon|tue|wed|thu|fri)\w*day)\b)"
)
# (The text may be title-cased: "ignore aisha from year 10" is read as "Ignore Aisha From Year 10".)
_YEAR_CODE = r"(?:[Yy]ear|[Yy]r|Y)\s?\d{1,2}|(?:\d(?![DGK]\b)|\d\d(?!K\b))[A-Z]{1,2}|[SP][1-7]"
_NAME_IN_YEAR = re.compile(
    r"\b([A-Za-z]+)\s+(?:[Ff]rom|[Ii]n)\s+(?:[Tt]he\s+)?(?:[Cc]lass\s+|[Ff]orm\s+)?"
    r"(" + _YEAR_CODE + r")\b|"
    # "Tyler (Y10)", "Priya (8R)"; "Isla in Mrs Reid's P4 class"
    r"\b([A-Za-z]+)\s*\(\s*(?!12A\s*\))(" + _YEAR_CODE + r")\s*\)|"
    r"\b([A-Za-z]+)\s+(?:[Ff]rom|[Ii]n)\s+((?:[Mm]rs?|[Mm]iss|[Mm]s)\.?\s+[A-Z][a-z]+(?:'s|\u2019s)"
    r"\s+(?:(?:" + _YEAR_CODE + r")\s+)?(?:[Cc]lass|[Ff]orm)\b)"
)
# What may stand between a name and the year group after it ("Jamie Clarke in Year 8", "Ben
# Arkwright, Year 8", "Aiden Price (Year 11)", "Sami, who is in 9B"), and between a year group
# and the name after it ("Year 8 pupil Jamie Clarke", "Year 8's Jamie Clarke"). Anything else
# ("Harry Kane scored again, the Year 4 boys...") is no evidence the name is a pupil's.
_GAP_AFTER_NAME = re.compile(
    r"^[\s,(\-\u2013]*(?:(?:who'?s|who\s+is|is|was|from|in|of|now\s+in|starting|starts|"
    r"going\s+into|moving\s+(?:up\s+)?(?:to|into))\s+){0,2}(?:the\s+|our\s+)?$",
    re.IGNORECASE,
)
_GAP_BEFORE_NAME = re.compile(
    r"^(?:'s|\u2019s)?\s*(?:(?:pupil|student|girl|boy|lad|kid|child|star|captain|prefect)\s*)?"
    r"[,:\-\u2013]?\s*$",
    re.IGNORECASE,
)
# Words that make a capitalised pair (or a pair followed by one) a place or an institution.
_INSTITUTION = frozenset(
    """academy school primary high college church park road street lane house hall centre
    center day fair trust grammar junior juniors infant infants secondary community court green
    hill way avenue close farm nursery society foundation library museum stadium""".split()
)
_NOT_SURNAME = _INSTITUTION | frozenset(
    "year in at and on from is was the class form group team set".split()
)
# Words near the name that make it an adult's: staff, visitors, public figures.
_ADULT_NEAR = re.compile(
    r"\b(?:teacher|teaching|teaches|head|headteacher|headmaster|headmistress|deputy|senco|"
    r"governor|coach|tutor|principal|assistant|staff|ta|lsa|miss|sir|mr|mrs|ms|dr|chair|manager|"
    r"leader|lead|hoy|author|poet|writer|mp|cllr|councillor|mayor|minister|visitor|speaker|guest|"
    r"actor|player|footballer|olympian|documentary|teachers|tutors|governors|reps?|"
    r"(?:year|class|phase|form|subject|parent) leads)\b",
    re.IGNORECASE,
)
# Words that make the names near them adults' for the rules in _child_identified: roles (plural
# too), staff and governing groups, reunions ("former pupils", not "sixth former").
_ROLE_NEAR = re.compile(
    r"\b(?:teacher|teaching|teaches|head|headteacher|headmaster|headmistress|deputy|senco|"
    r"governor|coach|tutor|principal|assistant|staff|chair|manager|leader|lead|author|poet|"
    r"writer|mp|"
    r"cllr|councillor|mayor|minister|visitor|speaker|guest|actor|player|footballer|caretaker|cook|"
    r"receptionist|office|governing|pta|committee|board|trustee|volunteer|reunion|alumni|"
    r"(?<!sixth )(?<!sixth-)former|officer|premium|protection|safeguarding|grandparent|squad|euros|"
    r"qualified|class of)s?\b",
    re.IGNORECASE,
)
# How far (characters) around the name and year group to look for adult words.
_AROUND = 25


def _pupil_named(cased: str) -> str | None:
    """A first name + surname next to a year group or class ("Jamie Clarke in Year 8", "Year 8
    pupil Jamie Clarke", "Daisy Okonkwo in 4J"), or a first name put in one ("ignore Aisha from
    year 10"): in a school that identifies a child. Titles and adult words mark an adult.
    ``cased`` is the post as ``privacy_hits`` reads names in it."""
    if not _YEAR_OR_CLASS.search(cased) and not _TEACHERS_CLASS.search(cased):
        return None  # every rule below needs a year group or a teacher's class (most posts)
    for m in _CAP_NAME.finditer(cased):
        first, second = m.group(1).lower(), m.group(2).lower()
        if first not in FIRST_NAMES or second in _NOT_SURNAME:
            continue
        start, end = m.start(), m.start() + len(m.group(1)) + 1 + len(m.group(2))
        following = re.match(r"\W*(\w+)", cased[end : end + 30])
        if _TITLE_BEFORE.search(cased[max(0, start - 20) : start].lower()) or (
            following and following.group(1).lower() in _INSTITUTION
        ):
            continue  # "Mr Ali", "St John Fisher", "Emma Watson Primary"
        after = _YEAR_OR_CLASS.search(cased, end, end + 30)
        if after and _GAP_AFTER_NAME.match(cased[end : after.start()]):
            span = (start, after.end())
        else:
            before = [
                y
                for y in _YEAR_OR_CLASS.finditer(cased, max(0, start - 30), start)
                if _GAP_BEFORE_NAME.match(cased[y.end() : start])
            ]
            if not before:
                continue
            span = (before[-1].start(), end)
        around = _TEACHERS_CLASS.sub(" ", cased[max(0, span[0] - _AROUND) : span[1] + _AROUND])
        if not _ADULT_NEAR.search(around):
            return f"pupil named with year group: {m.group(1)} {m.group(2)}"
    for m in _NAME_IN_YEAR.finditer(cased):
        name, year = (g for g in m.groups() if g is not None)
        if name.lower() in FIRST_NAMES and not _TITLE_BEFORE.search(
            cased[max(0, m.start() - 25) : m.start()].lower()
        ):
            around = cased[max(0, m.start() - _AROUND) : m.end() + _AROUND]
            if m.group(3) and re.search(r"(?:[,:]|\band)\s*$", cased[: m.start()]):
                # "Name (Y7)" as an item of a list headed by who they are
                sentence_start = max(cased.rfind(c, 0, m.start()) for c in ".!?\n") + 1
                around = cased[sentence_start : m.end() + _AROUND]
            if not _ADULT_NEAR.search(_TEACHERS_CLASS.sub(" ", around)):
                return f"pupil named with year group: {name.title()}, {year}"
    return None


_NAME = r"([A-Za-z]+)(?:\s+" + _SURNAME + r")?"
# "The kid who started the fire is Reece Tanner", "the yr 11 who got expelled is jayden cole"
_CHILD_WHO = (
    r"\b(?:kid|boy|girl|lad|lass|pupil|student|child|sixth[- ]former|(?:year|yr|y)\s?\d{1,2})\s+"
    r"(?:who|that)\b"
)
_CHILD_WHO_LOWER = re.compile(_CHILD_WHO)  # a cheap first look at the lower-cased text
_KID_WORDS = r"\b(?:kid|boy|girl|lad|lass|pupil|student|child)\b"
_CHILD_THEN_NAME = re.compile(
    _KID_WORDS + r"(?!'s|\s+(?:premium|protection|council|"
    r"union|voice|finance|services|nurse|midwife|paramedic|doctor|social worker|minder|care))"
    r"[^.?!]{0,80}?(?:\bis|\bwas|\bit'?s|\bname(?:'s| is)|\bcalled|\bnamed)\s+([A-Z][a-z]+)\s+"
    + _SURNAME
)
_KID_LOWER = re.compile(_KID_WORDS)
# Three or more full names where pupils are the subject: a leavers' list, a team sheet
_PUPILS_CONTEXT = re.compile(
    r"\b(?:leavers?|hoodies?|(?<!former )pupils|kids|(?<!')children(?!'s)|y(?:ear\s?)?\d{1,2}|"
    r"form\s?\d|nativity|reception)\b",
    re.IGNORECASE,
)
_CHILD_WHO_IS = re.compile(
    _CHILD_WHO + r"[^.?!]{0,120}?\b(?:is|was|'s|name is|name's)\s+(?:called\s+|named\s+)?" + _NAME,
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_NAME_THEN_YEAR = re.compile(
    r"\b([A-Z][a-z]+)\s+"
    + _SURNAME
    + r"\b[^.?!]{0,40}?\b(?:he|she)(?:'s| is) in (?:[Yy]ear|[Yy]r) ?\d{1,2}\b"
)
# "the student who founded the paper in 1972 was...", "went on to", "now a doctor": an adult now
_PAST = re.compile(
    r"\b(?:19\d\d|20[01]\d|used to|went on|grew up|inspired|back in the day|"
    r"(?<!sixth )(?<!sixth-)former)\b",
    re.IGNORECASE,
)
# "Reece Tanner, 13," (a child's age after a full name)
_NAME_AGE = re.compile(
    r"\b([A-Z][a-z]+)\s+" + _SURNAME + r"(?:,\s+(?:aged\s+)?(\d{1,2})(?=\s*[,;)]|\s+(?:from|of|"
    r"who|was|is|has|had|and|in|at|got|did)\b)"
    r"|\s*\(\s*(?:aged\s+)?(\d{1,2})\s*[,)]|,?\s+aged\s+(\d{1,2})\b)"
)
# "eight-year-old Grace Lomax"
_AGED_NAME = re.compile(
    r"\b(?:[4-9]|1[0-7]|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen)[- ]year[- ]old\s+([A-Z][a-z]+)\s+" + _SURNAME,
    re.IGNORECASE,
)
# "Happy 11th birthday to (our little superstar) Isla Mackenzie"
_BIRTHDAY_NAME = re.compile(
    r"\b(?:[4-9]|1[0-7])(?:st|nd|rd|th) birthday,?(?: to)?(?: (?:our|my|the) (?:[\w-]+ ){0,3}?"
    r"(?:superstar|star|girl|boy|man|"
    r"lady|princess|prince|son|daughter|grandson|granddaughter|nephew|niece|monkey|legend)"
    r"(?: in the (?:world|universe|galaxy))?)?,?\s+"
    r"(?-i:([A-Z][a-z]+)\s+(?!(?:Academy|School|Primary|College|Nursery|Preschool|Pre-School|"
    r"Street|Road|Park|Hall|Centre|Club)\b)" + _SURNAME + r"\b)"
    r"(?!\s+(?:[A-Z][a-z]+\s+)?(?:preschool|pre-school|nursery|academy|school|primary|"
    r"photography|studios?|dance|tuition|childcare|club|ltd|hair|beauty|bakery|cafe)\b)"
    r"(?!,? (?:our|the|my) (?:[\w-]+ ){0,2}(?:head\w*|teacher|governor|chair|manager|founder|"
    r"owner|director)\b)",
    re.IGNORECASE,
)
# "my grandson Leo Brandon", "our daughter Amy Shaw"
_CHILD_OF = re.compile(
    r"\b(?:son|daughter|grandson|granddaughter|nephew|niece|stepson|stepdaughter|[Ll]ittle)\s+"
    r"([A-Z][a-z]+)\s+" + _SURNAME
)
# "L to R: Ava, Noah, Freddie P and Sienna": a photo caption naming children
_CAPTION = re.compile(r"\b(?:l to r|l-r|left to right|front row|back row)\b")  # lower case
# "Year 5, Mrs Shah's class": the teacher names the class, the pupil is still a pupil
_TEACHERS_CLASS = re.compile(
    r"\b(?:mr|mrs|miss|ms)\.?\s+\w+'s\s+(?:[a-z]{0,4}\s?\d{1,2}[a-z]{0,2}\s+)?(?:class|form)\b",
    re.IGNORECASE,
)
# "Tyler Brennan's mum" in a post that gives a year group
_NAME_FAMILY = re.compile(
    r"\b([A-Z][a-z]+)\s+" + _SURNAME + r"(?:'s|\u2019s)\s+(?:mum|mam|mom|dad|mother|father|parents|"
    r"nan|nana|gran|grandma|brother|sister|family|carer)\b"
)


# A child's health, special needs or care status: special-category data, a breach with a name.
_HEALTH = re.compile(
    r"\b(?:epilep\w*|autis\w*|adhd|diabet\w*|asthma\w*|allerg\w*|ehcp|dyslexi\w*|dyspraxi\w*|"
    r"self[- ]harm\w*|eating disorder|anorexi\w*|cancer|leukaemia|wheelchair|tourette'?s|"
    r"on the spectrum|reduced timetable|(?<!worked )(?<!works )(?<!working )in care|"
    r"foster(?:ed| care)|(?<!from )social services|"
    r"child protection|sen (?:support|plan)|seizures?)\b"
    r"(?!\s+(?:uk|research|action|awareness|acceptance|charity|appeal|society|trust|"
    r"foundation|week|month|racing|basketball|rugby|tennis|base|unit|hub)\b)",
    re.IGNORECASE,
)
# Words after a name that make it an adult's: a parent ("her daughter is in Year 2", "mum of
# two"), a teacher with a class ("Sian Roberts and her Year 2 class"), a public figure talking
# about their own condition; roles the school rules do not list.
_ADULT_AFTER = re.compile(
    r"^(?:\W{0,3}(?:our|the|a|my)?\s*(?:lollipop|crossing patrol|nursery nurse|school nurse))|"
    r"^\s+and\s+(?:her|his|their)\s+(?:(?:year|yr)\s?\d+\s+|reception\s+|new\s+)?(?:class|form)\b|"
    r"^[^.?!]{0,60}?\b(?:(?:her|his|their) (?:own )?(?:son|daughter|kids|children|little ones|"
    r"grandchildren)|(?:mum|mam|mom|dad|mother|father|parent) (?:of|to))\b|"
    r"^[^.?!]{0,15}?\b(?:talk\w*|spoke|speak\w*|open(?:ed|s|ing)? up|opened|went public)\s+"
    r"(?:\w+\s+){0,2}about (?:his|her|their|being)\b",
    re.IGNORECASE,
)
_ADULT_BEFORE = re.compile(r"\b(?:(?:para)?lympian|nursery nurse|lollipop \w+)\W*$", re.IGNORECASE)
_BENEFICIARY = re.compile(
    r"\b(?:rais\w*|donat\w*|collect\w*|fundrais\w*|money|£[\d,.]+|in aid of)\b[^.?!]{0,25}"
    r"\b(?:for|to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "Lily-Rose Hughes", "Noah W": a first name (maybe double-barrelled) and a surname or an initial
_NAME_OR_INITIAL = re.compile(
    r"(?<![\w-])(?=([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+"
    r"([A-Z](?:[a-z'-]+(?:[A-Z][a-z]+)?|\.?(?=[\s,.;:!?)]|$))))"
)
_INSTITUTION_AFTER = re.compile(r"\W*(?:" + "|".join(sorted(_INSTITUTION)) + r")\b", re.I)
_CHILD_CONTEXT = re.compile(
    r"\b(?:kid|boy|girl|lad|lass|pupil|student|child|son|daughter|grandson|granddaughter|"
    r"little|class|classmate|form|nursery|reception|year\s?\d{1,2}|yr\s?\d{1,2})s?\b",
    re.IGNORECASE,
)
_NAME_PAIR = re.compile(r"\b(?=([A-Z][a-z]+)\s+[A-Z][a-z'-])")  # overlapping: "Little Noor Rahman"


def _full_name(m: re.Match[str]) -> bool:
    """Groups 1 and 2 of ``m`` read as a first name (the first part of a double-barrelled one)
    and a surname ("Reece Tanner", "Lily-Rose Hughes", not "Heath Year")."""
    return (
        m.group(1).split("-")[0].lower() in FIRST_NAMES and m.group(2).lower() not in _NOT_SURNAME
    )


def _child_identified(text: str, cased: str, low: str) -> str | None:
    """A child singled out by what they did, their age or their family, with their name
    (``cased`` and ``low``: the post as ``privacy_hits`` reads it)."""
    # Most posts have none of these: cheap first looks decide which patterns run at all.
    who = _CHILD_WHO_LOWER.search(low)
    # The rules for a full name ("Reece Tanner") need a capitalised first name before another
    # capitalised word.
    full = any(m.group(1).lower() in FIRST_NAMES for m in _NAME_PAIR.finditer(cased))
    for m in _CHILD_WHO_IS.finditer(cased) if who else ():
        first, last = m.group(1), m.group(2)
        if (
            first.lower() in FIRST_NAMES
            and (first[0].isupper() or cased is not text)
            and not _ROLE_NEAR.search(m.group(0))
            and not _PAST.search(m.group(0))
        ):
            return f"pupil identified by name: {first}" + (f" {last}" if last else "")
    for m in _NAME_AGE.finditer(cased) if full and _DIGIT.search(cased) else ():
        if (
            _full_name(m)
            and 4 <= int(age := m.group(3) or m.group(4) or m.group(5)) <= 17
            and not _ROLE_NEAR.search(cased[max(0, m.start() - 25) : m.start()])
            and not _TITLE_BEFORE.search(cased[max(0, m.start() - 20) : m.start()].lower())
        ):
            return f"child named with age: {m.group(1)} {m.group(2)}, {age}"
    if full and _KID_LOWER.search(low):
        for m in _CHILD_THEN_NAME.finditer(cased):
            if _full_name(m) and not _ROLE_NEAR.search(m.group(0)) and not _PAST.search(m.group(0)):
                return f"pupil identified by name: {m.group(1)} {m.group(2)}"
    if full and cased.count(",") >= 2 and _PUPILS_CONTEXT.search(cased):
        full_names = [m.group(1) for m in _CAP_NAME.finditer(cased) if _full_name(m)]
        if len(full_names) >= 3 and not _ADULT_NEAR.search(cased) and not _ROLE_NEAR.search(cased):
            return f"pupils listed by name: {', '.join(full_names[:3])}"
    for m in _AGED_NAME.finditer(cased) if "old" in low else ():
        if m.group(1).lower() in FIRST_NAMES and m.group(1)[0].isupper():
            return f"child named with age: {m.group(1)} {m.group(2)}"
    for m in _BIRTHDAY_NAME.finditer(cased) if "birthday" in low else ():
        if m.group(1).lower() in FIRST_NAMES and m.group(1)[0].isupper():
            return f"child named with age: {m.group(1)} {m.group(2)}"
    for m in _CHILD_OF.finditer(cased) if full else ():
        if _full_name(m):
            tail = cased[m.end() : m.end() + 60]
            if re.match(r",?\s*\(?(?:1[89]|[2-9]\d)\b", tail) or _ROLE_NEAR.search(tail):
                continue
            return f"child named by a relative: {m.group(1)} {m.group(2)}"
    for m in _CAPTION.finditer(low):
        window = cased[m.end() : m.end() + 80]
        names = [w for w in re.findall(r"\b[A-Z][a-z]+\b", window) if w.lower() in FIRST_NAMES]
        if (
            len(names) >= 2
            and not _ADULT_NEAR.search(window)
            and not _ROLE_NEAR.search(cased[max(0, m.start() - 80) : m.start()])
        ):
            return f"children named in a photo caption: {', '.join(names[:3])}"
    for m in _NAME_THEN_YEAR.finditer(cased) if full else ():
        if _full_name(m):
            return f"pupil named, then put in a year group: {m.group(1)} {m.group(2)}"
    health = list(_HEALTH.finditer(cased))
    if health and _CHILD_CONTEXT.search(cased):
        for m in _NAME_OR_INITIAL.finditer(cased):
            start = m.start()
            end = start + len(m.group(1)) + 1 + len(m.group(2))
            around = cased[max(0, start - 25) : end + 25]
            if (
                _full_name(m)
                and any(
                    (gap := max(h.start() - end, start - h.end())) <= 60
                    or (
                        gap <= 90  # further, but in the same sentence
                        and not re.search(
                            r"[.?!]\s", cased[min(end, h.start()) : max(start, h.end())]
                        )
                    )
                    for h in health
                )
                and not _TITLE_BEFORE.search(cased[max(0, start - 20) : start].lower())
                and not re.search(r"\bysgol\s+$", cased[max(0, start - 8) : start], re.I)
                and not _ADULT_AFTER.search(cased[end : end + 90])
                and not _ADULT_BEFORE.search(cased[max(0, start - 25) : start])
                # "raised £400 for Marie Curie" (a charity), not "for Noah Whitcombe's wheelchair"
                and not (
                    _BENEFICIARY.search(cased[max(0, start - 40) : start])
                    and not (m.group(2).endswith("'s") or cased.startswith("'s", end))
                )
                and not _INSTITUTION_AFTER.match(cased, end)
                and not _ROLE_NEAR.search(around)
                and not _ADULT_NEAR.search(_TEACHERS_CLASS.sub(" ", around))
            ):
                return (
                    f"child's health or care disclosed with their name: {m.group(1)} {m.group(2)}"
                )
    if full and _YEAR_OR_CLASS.search(cased):
        for m in _NAME_FAMILY.finditer(cased):
            if _full_name(m) and not _ROLE_NEAR.search(cased[max(0, m.start() - 25) : m.start()]):
                return f"pupil's family named: {m.group(1)} {m.group(2)}"
    return None


class _LowerPattern:
    """A regex matched against the lower-cased text: 2-3x faster than ``re.IGNORECASE`` for these
    long alternations. Patterns must be written in lower case; matches come back lower-cased."""

    def __init__(self, pattern: str):
        self._re = re.compile(pattern)
        self.pattern = pattern

    def search(self, text: str) -> re.Match[str] | None:
        return self._re.search(text.lower())

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._re.finditer(text.lower())

    def findall(self, text: str) -> list[Any]:
        return self._re.findall(text.lower())


def _lower_re(pattern: str, word_start: bool = False) -> _LowerPattern:
    # word_start: every match begins at the start of a word ("(?<!\w)"), so the engine skips
    # mid-word positions: 2-4x faster on the long alternations.
    return _LowerPattern(rf"(?<!\w)(?:{pattern})" if word_start else pattern)


_ENQUIRY_PHRASES = _lower_re(
    r"#?journorequest|#?prrequest|#?mediarequest|looking (?:to|for)(?: \w+)? (?:speak|talk|hear|"
    r"case stud|parents|teachers|people|families|contacts?)|(?:request(?:ing)?|ask(?:ing)?) for "
    r"(?:a )?comment|for (?:a )?comment|(?:give|invite)\w*(?: \w+){0,3} (?:a )?(?:comment|respon)|"
    r"case stud(?:y|ies)|interview(?!ed)|spokes(?:person|man|woman)|on the record|"
    r"off (?:the )?record|put (?:me|us) in touch with|"
    r"press (?:office|contact)|"
    r"handles? media|get in touch|contact me|(?:dm|email|message) me|dms? (?:are )?open|"
    r"drop me a line|"
    r"would love to (?:hear|speak|talk)|like to (?:hear|speak|talk|interview|ask)|(?:willing|"
    r"happy) to "
    r"(?:chat|talk|speak)|(?:speak|talk) (?:to|with) (?:me|us)|hear from you|on camera|as a guest|"
    r"looking into|if you'?ve been affected|in confidence|keen to (?:chat|speak|talk|hear)|"
    r"for (?:a|an|my|our|the) (?:\w+ )?(?:piece|feature|story|article|report|documentary|segment|"
    r"programme|podcast|package|bulletin)|(?:could|can|would|willing to) (?:\w+ )?comment|"
    r"(?:i'?m|we'?re|i am|we are) (?:making|producing|working on|putting together|researching|"
    r"writing) (?:a |an )?(?:\w+ )?(?:podcast|documentary|film|programme|story|piece|feature|"
    r"article|report|series)|(?:value|love|appreciate) a (?:quick )?chat|\bpm me\b|"
    r"(?:can|could) (?:i|we) (?:ask|speak|talk)(?! about how)|(?:put|ask) (?:some )?questions to|"
    r"(?:statement|comment|response) from the school|(?:phone )?number for the (?:head|press)|"
    r"(?:press|media) (?:enquiry|request|query)|comments? needed|(?:got|have|any) contacts? at|"
    r"(?:want|like|hoping) to (?:do|write|run|feature) |comms (?:person|team|officer)|"
    r"number in my (?:profile|bio)|need(?:s|ed)? (?:a )?comment|"
    r"(?:doing|writing|working on|putting together) an? (?:[\w-]+ ){0,2}?(?:story|piece|feature|"
    r"article|then-and-now|report|segment|follow-up|package|documentary|podcast)|"
    r"(?:able|willing) to confirm|(?:could|can) (?:\S+ ){0,3}confirm|(?:pls|please) dm|"
    r"dm (?:pls|please)|handles? (?:press|media|comms)|wants? (?:\w+ )?stories|will credit|"
    r"comment or message|get in contact|looking for an? (?:parent|teacher|family|pupil|student|mum|"
    r"dad|head|headteacher|governor|school|someone|anyone)|statement request|request for (?:a )?"
    r"statement|please respond|(?:i'?m|we'?re|i am|we are) reporting on|(?:get|have|grab) (?:a )?"
    r"(?:quick )?(?:comment|statement)|(?:i'?m|we'?re|i am|we are) covering|keen to include|"
    r"(?:the )?school'?s side|(?:join|speak to) us (?:live )?on air|live on air|who(?:'s| is) the "
    r"best person to (?:contact|speak|talk|ask)|who should (?:we|i) (?:talk|speak) to|(?:have|"
    r"got) a "
    r"contact for|before (?:we|i) publish|fact-?checking|talk me through|pitching (?:a|an|my) "
    r"(?:\w+ )?(?:piece|story|feature|idea)|(?:up for|willing to|happy to) talking|"
    r"(?:doing|writing) a follow[ -]?up|value (?:\d+ minutes|your time|some of your time)|"
    r"(?:like|care|want) to respond|writing (?:it|this) up|"
    r"tomorrow'?s (?:edition|paper|programme|show|bulletin)|email in bio|"
    # "documentary team seeking former pupils", "quotes by Thurs", "can I ring the head"
    r"seeking (?:former |current |ex-?)?(?:pupils|students|parents|teachers|families|"
    r"heads|headteachers|nqts|ects|contributors|case stud)(?! to (?:come|join|stand|volunteer|help|"
    r"apply|attend|sign|book))|quotes? by (?:mon|tue|wed|thu|fri|sat|sun|\d|noon|midday|eod|end|"
    r"close|tomorrow|tonight|this|first)|"
    r"(?:can|could|may) (?:i|we) (?:ring|call|phone) (?:you|the (?:head\w*|press office|comms)|"
    r"someone|whoever)|voice notes? welcome",
    word_start=True,
)
_SELF_ROLE = _lower_re(
    r"\b(?:i'?m|i am|we'?re|we are|as)\s+(?:a |an |the )?(?:\w+\s){0,2}"
    + _ROLE_WORDS
    + r"|\b"
    + _ROLE_WORDS
    + r"\s+(?:at|for|with|from)\b|\b"
    + _ROLE_WORDS
    + r"(?:\s+\w+)?\s+here\b"
    + r"|^\W*(?:\w+\s){0,2}"
    + _ROLE_WORDS
    + r"\b|\b"
    + _ROLE_WORDS
    + r"\s+(?:looking|working|researching|seeking|investigating|keen)\b"
    + r"|\bhere\b.{0,3}$|\b(?:i|we) (?:produce|write for|work for|am writing|are writing|'m writing)",
    word_start=True,
)
_PUBLISHED = _lower_re(
    r"\b(?:out now|is out|read (?:my|our|the) (?:piece|story|article)|published (?:today|in)|"
    r"seen by|was approached for comment|declined to comment|said (?:it|the)|told the|"
    r"according to|reports?\b.{0,20}\bsaid|full interview (?:on|at|here)|listen (?:again|back))\b",
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")

# First-person (or "someone should") intent to harm a person or the school. These are threats
# whatever the model thinks: outside reporting / condemning language they make a post
# inappropriate (see STRONG_THREAT in analysis/model.py), and they fix the sub-reason.
_PERSON = r"(?:him|her|them|you|u|ya|that \w+)\b"
_HARM_TARGET = (
    r"(?:him|her|them|you|u|ya|that|the|this|those|these|every|any|his|your|their|mr|mrs|ms|miss|"
    r"sir|ustadh|teachers?|staff|head\w*|everyone|some(?:one|body)|[a-z]+'s)\b"
)
# Violent verbs take any person or place as object ("hurt the head teacher"); everyday verbs
# only a person ("get him", not "get the bus").
_HARM = (
    r"(?:(?:hurt|kill|murder|stab|shank|knife|batter|punch|slap|strangle|torch|petrol bomb|"
    r"firebomb|burn down|smash up|beat up|kick the shit out of)\s+"
    # (not "I'm going to kill this Year 9 ICT project")
    r"(?!(?:this|that|the|my|our)\s+(?:(?!(?:after|in|at|on|from|during|before|with|when|if|"
    r"for)\b)[\w-]+\s+){0,3}(?:project|homework|essay|coursework|"
    r"assignment|exam|test|paper|revision|presentation|workout|bottle|cake|pizza|game|quiz)\b)"
    + _HARM_TARGET
    + r"|(?:get|find|come for|beat|shoot|bomb|burn|smash|sort out|do|deck|bang out|merk|jump)\s+"
    + _PERSON
    + r")"
)
# What a call to others asks for: violent verbs only (and their -ing forms), a person or place.
_CALL_HARM = (
    r"(?<!watch us )(?<!watch them )(?:hurt(?:ing)?|kill(?:ing)?|murder(?:ing)?|stab(?:bing)?|"
    r"shank(?:ing)?|knif(?:e|ing)|batter(?:ing)?|punch(?:ing)?|slap(?:ping)?|strangl(?:e|ing)|"
    r"torch(?:ing)?|deck(?:ing)?|merk(?:ing)?|jump(?:ing)?|smash(?:ing)?|petrol bomb(?:ing)?|"
    r"firebomb(?:ing)?|(?:beat|beating|smash|smashing) up|(?:sort|sorting) out|(?:burn|burning) "
    r"down|kick(?:ing)? the shit out of)\s+" + _HARM_TARGET + r"|(?:beat|beating) "
    r"(?:him|her|them|that \w+) up\b|(?:do|doing) (?:him|her|them|that \w+) (?:over|in)\b|"
    # everyday verbs only with him / her / that teacher, not "get them signed up", "do you know"
    r"(?:get|find|jump|deck|merk|bang out) (?:him|her|that \w+)\b(?!\s+(?:to|signed|a|an|some|"
    r"home|back|on|in|into|ready|dressed|registered|booked|up|off|out|a lift)\b)"
)
_STRONG_THREAT = _lower_re(
    r"\b(?:(?:i['’]?ll|i will|i['’]?m (?:going to|gonna)|im (?:going to|gonna)|i['’]?m gunna|"
    r"we['’]ll|we will|we['’]?re (?:going to|gonna)|i swear i['’]?ll|i['’]?d (?:happily|gladly))\s+"
    r"(?:(?:really|actually|personally|literally|f\w*ing|properly|seriously|happily)\s+)?"
    + _HARM
    + r"|some(?:one|body|1) (?:should|needs? to|ought to|oughta|wants? to|has to|gotta|"
    r"is (?:going|gonna) to|will) (?:go (?:and |n )?)?(?:hurt|kill|murder|stab|batter|beat up|"
    r"shoot|bomb|burn|torch|petrol bomb|firebomb|blow up|attack)\b|"
    # a call to others: "anyone wanna go down there after school and batter that teacher?"
    r"(?:anyone|any1|anybody|who(?:'?s| is)?) (?:wanna|want to|wants to|fancy|fancies|up for|"
    r"coming to)\b[^.?!]{0,50}?\b(?:"
    + _CALL_HARM
    + r")(?![^.?!]{0,12}\d+\s*-\s*\d)"  # ("...watch us batter them 5-0" is a match)
    r"|(?:me and|my) (?:his |her |their )?(?:uncles|brothers|cousins|lads|boys|mates|family) "
    r"(?:will|'ll|are (?:gonna|going to)) (?:sort (?:him|her|them)|sort it (?:out )?(?:ourselves|"
    r"themselves|myself)(?=[^.?!]{0,40}\b(?:he|she|they|him|her|them)\b)|deal with (?:him|her|them)|"
    r"pay (?:him|her|them) a visit)"
    r"(?![^.?!]{0,40}\b(?:through|via|formally|properly|the governors|complaint|card|flowers|"
    r"get well|in hospital)\b)|"
    r"(?:wait|wait till|wait until|just wait till|just wait until) (?:i|we) (?:see|get|catch|find) "
    + _PERSON
    + r"|(?=g)(?<!kids )(?<!kid )(?<!teens )(?<!teenagers )(?<!children )(?<!child )(?<!pupils )"
    r"(?<!people )(?<!students )(?<!someone )(?<!kid is )(?<!child is )(?<!someone is )"
    r"(?<!keeps )(?<!keep )(?<!kept )"
    r"(?:(?<!going to )(?<!gonna )(?:getting|get|gets)|gonna get|going to get) (?:stabbed|merked|"
    r"shanked|jumped|"
    r"his head kicked|her head kicked|done in|a beating|a kicking)|"
    # "battered" is also what teams get: not "St Mungo's are getting battered", "we're gonna get
    # battered", "getting battered 38-0 / by Stonyhurst / at rugby"
    r"(?=g)(?<!are )(?<!were )(?<!we're )(?<!they're )(?<!we )(?<!they )(?<!we'll )"
    r"(?<!we're gonna )(?<!they're gonna )(?<!we're going to )(?<!they're going to )"
    r"(?<!we are )(?<!we will )(?<!we are going to )(?<!we are gonna )(?<!we'll probably )"
    r"(?<!boys )(?<!girls )(?<!lads )(?<!team )"
    r"(?:getting|get|gets|gonna get|going to get) battered"
    r"(?!\s+(?:\d|by\b|again\b|at (?:home|rugby|football|netball|hockey|cricket|rounders|"
    r"basketball|chess|sports day)\b|in the (?:cup|final|league|match|game|semis?|tournament)\b))|"
    r"watch (?:your|yer|ur) back|you'?(?:ll| will) (?:regret|pay for|be sorry)|"
    r"(?:we|i) know where (?:you|he|she|they) (?:live|lives|park|parks)|you'?ve been warned)",
)


def strong_threat(text: str) -> str | None:
    """The words of an unmistakable threat in ``text`` (first-person intent to harm a person or
    the school, "someone should burn...", "watch your back"), or None."""
    m = _STRONG_THREAT.search(text)
    return m.group(0) if m else None


# Prejudice without a slur: gender identity sneered at ("is 'transitioning'") or called unfit
# near children, a school said to be for one faith or people and "not" another.
_POLITE_PREJUDICE = (
    r"(?=[iwhstbn])(?<!what )(?<!pupil )(?<!child )(?<!student )(?<!someone )(?<!person )"
    r"(?:is|who'?s|he'?s|she'?s|they'?re|being|now) ['\"\u2018\u201c](?:transitioning|"
    r"non-binary|gender ?fluid|they/them)(?=['\"\u2019\u201d])(?![^.!?]{0,60}\b(?:brilliant|"
    r"supportive|amazing|proud|respect\w*|accepting)\b)|"
    r"confused about what (?:they|he|she) (?:are|is)(?=\s*(?:[.,!?;]|$|now\b|any ?more\b))|"
    r"(?:(?:is|who'?s|he'?s|she'?s|they'?re) transitioning|(?:transgender|trans) (?:teacher|"
    r"woman|man|person|staff|tutor)s?)\b[^.!?]{0,40}[.!?]?[^.!?]{0,40}\b(?:(?:not appropriate|"
    r"inappropriate) (?:around|for|near)|(?<!not )confus\w+ (?:for )?(?:the |our |young |small )*(?:girls|"
    r"boys|children|kids|pupils)|(?:shouldn'?t|should not) be (?:teaching|allowed|around|near))"
    # (the prejudice reported and condemned: "...inappropriate for children. That's bigotry")
    r"(?![^.!?]{0,40}[.!?]?[^.!?]{0,40}\b(?:bigot\w*|transphob\w*|prejudice\w*|discriminat\w*|"
    r"hateful|nonsense|disgusting|shameful)\b)|"
    r"should be for (?!(?:all|every|everyone|any)\b)(?:\w+ ){0,3}(?:families|children|kids|people)\b"
    r"[^.!?]{0,40}\bnot "
    r"(?:for )?(?:muslims|jews|hindus|sikhs|christians|catholics|immigrants|foreigners|"
    r"travell?ers|gypsies|poles|africans|asians)(?!\s+(?:only|alone)\b)"
)


_SUBREASON_HINTS: list[tuple[str, re.Pattern[str]]] = [
    ("threat", _STRONG_THREAT),
    (
        "threat",
        _lower_re(
            r"\b(?:burn (?:it|\w+(?: \w+)?) down|burn\b.{0,50}\bdown\b|torch(?:ed|ing)?\b|"
            r"watch (?:your|yer) back|one eye open|we know (?:your|where)|"
            r"(?:wants?|needs?|had better|better|ought|should) (?:to )?(?:be |start |keep )?"
            r"(?:look|looking|watch|watching) over (?:his|her|their|your) shoulders?"
            r"(?![^.!?]{0,40}\b(?:revers\w*|pull(?:ing)? out|driv\w*|cycl\w*|overtak\w*|"
            r"changing lanes|turning)\b)|"
            r"get what'?s coming|"
            # (not "a child will get killed on that crossing": someone harmed, not threatened)
            r"(?=[ksb])(?<!get )(?<!gets )(?<!got )(?<!getting )(?<!be )(?<!been )(?<!being )"
            r"(?<!was )(?<!were )"
            r"(?<!photo )(?:kill|stab|shoot|bomb)(?:bed|ing|ed)?\b(?!\s+(?:it\b|practice|drills?|hoops|"
            r"(?:a|the|this|that|my|our|their) (?:(?!(?:after|in|at|on|from|during|before|with|"
            r"when|if|for)\b)[\w-]+ ){0,3}(?:film|video|scene|photos?|exam|test|"
            r"paper|mock|interview|project|homework|essay|coursework|assignment|revision|"
            r"presentation|quiz)s?\b))|"
            # (but someone addressed or singled out will "get killed" / "be killed": a threat)
            r"(?:you|u|he|she|they|that \w+)(?:'ll|'re|'s| will| are| is)?(?: (?:gonna|going to))? "
            r"(?:get|be) (?:killed|stabbed|shot)\b(?![^.!?]{0,30}\b(?:road|crossing|traffic|cars?|"
            r"driv\w*|bus(?:es)?)\b)|brick through|"
            r"smash (?:the place|it) up|"
            r"you'?ve been warned|you'?ll regret|waiting (?:for you )?outside|head kicked in|"
            r"lesson (?:he|she|they|you) (?:won'?t|will never) forget|swear down|"
            r"(?:give|gave) (?:him|her|them|you) a (?:slap|kicking|beating|hiding|smack)|"
            r"(?:wait|waiting) for (?:him|her|them|that \w+) (?:after|outside)|(?:wait|"
            r"waiting) for "
            r"(?:him|her|that \w+) (?:in the car park|at the gates?)|(?:he|she|him|her|they|"
            r"them|you|head|"
            r"teacher|man|woman|bloke|prick|mr \w+|mrs \w+|miss \w+|sir) (?:needs?|"
            r"deserves?) a (?:good )?(?:kicking|slap|hiding|beating|smack)|"
            r"(?:he|she|they|hes|shes)(?:'?s|'?ve| has| have) been warned(?!\s+(?:about|for|"
            r"by|not|twice|before))|or we'?re coming in|"
            r"should be (?:strung up|hanged|shot|lynched)|"
            r"i'?ll do (?:him|her|them|that (?:head|teacher|man|woman|guy|bloke|prick))|"
            r"i know (?:his|her|their|your) "
            r"(?:car|house|address|kids?)|"
            r"kick(?:ing)? (?:his|her|their|your) head in|in an ambulance|make (?:him|her|"
            r"them|you) pay|"
            r"(?:i'?ll|i will|we'?ll|we will) (?:find|get|hurt|come for) (?:you|him|her|them|"
            r"out where)|"
            # veiled menace: no violent word, the threat is in the tone
            r"better hope (?:i|we) (?:don'?t|never) (?:sees?|bumps? into|catch(?:es)?|"
            r"runs? into|meets?)|(?:(?:wants?|needs?|ought) to|better) watch (?:themselves|himself|herself|"
            r"yourselves|yourself|their backs?|his back|her back)(?!\s+(?:on|in|at|back|"
            r"perform|sing|play))(?![^.!?]{0,50}\b(?:ice|icy|frost|roads?|traffic|pond|lake|river|"
            r"water|speed (?:checks?|cameras?)|slippy|slippery|wet floor)\b)|keep \w+ing\b[^.?!]{0,40}\band see "
            r"what happens(?:\s+to\s+(?:you|him|her|them))?(?=\s*(?:[.!?,]|$|then|next))|"
            r"patience (?:runs|is running|has run|will run|wears|is wearing) (?:out|thin) "
            r"with (?:that|this|the|him|her|them|mr|mrs|miss|ms|sir)\b(?! (?:council|traffic|"
            r"school|trust|bus|road))|"
            r"(?:people|we|they|round here)[^.?!]{0,20}long memories(?! of)|"
            r"(?:be a )?(?:shame|pity) if (?:something|anything) (?:happened|"
            r"were to happen) to (?:him|her|them|you|your|his|her)\b|know (?:which|"
            r"what) car (?:he|she)|"
            r"(?:he|she|they|you|him|her)(?:'ll| will)? won'?t be (?:walking|smiling|laughing|"
            r"so (?:brave|cocky|smug))\b|"
            r"(?:coming (?:down|round|up) there|(?:i'?m|we'?re) coming (?:down|round|"
            r"up) to the school)[^.?!]{0,5}[.?!][^.?!]*won'?t be pretty|"
            r"(?:i'?m|i am|we'?re|we are) coming (?:down|round|up) (?:there|"
            r"to the school)(?!\s+(?:for|on|to (?:see|watch|the)|at|with))|"
            # an ultimatum: "you have until Friday to reverse it. After that it won't be emails"
            r"(?:after that|or else|otherwise|if not),? (?:it )?(?:won['\u2019]?t|will not) "
            r"(?:just |only )?be "
            r"(?:just |only )?(?:emails|"
            r"words|letters|reviews|complaints|posts|messages|talking|polite)"
            # (escalating to Ofsted, the governors or a solicitor is a civil next step)
            r"(?![^?!]{0,80}?\b(?:to|with|through|via|involv\w*|contact\w*|report\w*|be|a|an|"
            r"my|our|"
            r"formal)\s+(?:the\s+|my\s+|our\s+|a\s+|an\s+)?(?:ofsted|governors?|complaint|council|"
            r"the la|local authority|solicitors?|lawyers?|formal|mp|tribunal|appeal|press|"
            r"papers?|bbc|"
            r"trust|dfe|ombudsman|courts?|diocese|union|petition|protest|legal|escalat\w*)\b)"
            r"(?![^.?!]{0,60}\b(?:app|parentmail|dojo|seesaw|website|portal|online|"
            r"council vote)\b))",
            word_start=True,
        ),
    ),
    (
        "impersonation",
        _lower_re(
            r"\b(?:this is (?:the )?head|message from the head|on behalf of the school|"
            r"official account|"
            r"(?:i run|run) the official|admissions team here|posting as|"
            r"new account,? old one was hacked|"
            r"(?:i'?m|we'?re|i am|i run|i'?ll be)\b[^.?!]{0,60}posting fake|"
            r"(?:the )?real school (?:doesn'?t|does not|has no)(?![^.]{0,80}\b(?:report|"
            r"ignore|block|scam))|from the desk of|"
            r"message this page|names? and (?:form|class|year group|dates? of birth|dob|address)"
            r"(?:es)?\b)",
            word_start=True,
        ),
    ),
    (
        "harassment_bullying",
        _lower_re(
            r"\b(?:make (?:his|her|their) life hell|until (?:she|he|they) (?:quits?|breaks?|"
            r"cracks?|"
            r"leaves?|resigns?)|(?:i'?ll|i will|gonna|going to|we'?ll) keep (?:on )?(?:tagging|"
            r"messaging|emailing|ringing|calling|posting|texting|sharing) (?:you|him|her|them|"
            r"his|their|mr|mrs|miss|ms|sir|the head|that|about)\b|"
            r"(?:for|on|to|make|start\w*) (?:the|a|our|my) meme page|whenever i "
            r"(?:like|want)|(?:he|she|you|him|her) (?:will|'ll|is going to|needs to|"
            r"has to)(?: have to)? answer for what|(?:spam|flood) (?:his|her|their|the)|"
            r"(?:spam|flood)\w* .{0,30}\b(?:inbox|"
            r"dms|phone|mentions)|(?<!i'll )(?<!i will )(?<!and i'll )pass it (?:on|round)(?!\s+to\s+"
            r"(?:the\s+)?(?:mrs?|miss|ms|dr|sir|office|head\w*|school|teachers?|class teacher|pta|"
            r"admin|staff|lost property|reception|police|council|organisers?|committee)\b)|"
            r"tag (?:him|her|them)|"
            # a call to hand round someone's accounts or to spread a clip of them
            r"(?:drop|send|post|share|leak|find) (?:his|her|their) (?:snap|snapchat|insta|"
            r"instagram|tiktok|number|addy|socials)\b(?![^.!?]{0,20}\b(?:to me|to us|please|pls|"
            r"newsletter|website)\b)|(?:reshare|repost|share|spread) (?:it|this|"
            r"that|the (?:video|vid|clip))\b[^.!?]{0,12}(?:she|he|they) (?:deserves? it|deserved it|"
            r"had it coming)\b|"
            r"everyone (?:laugh|share|comment)|such a loser|keep (?:messaging|ringing|phoning)|"
            r"reminding .{0,40} that everyone hates|(?:don'?t stop|keep (?:going|at it|it up)) "
            r"(?:until|till|til) (?:he|she|they)|(?:all|everyone|everybody) (?:go and |go )?tell "
            r"(?:him|her|them) (?:how|that|what)|tell (?:him|her|them) (?:how|that) "
            r"(?:\w+ )?(?:useless|ugly|fat|pathetic|worthless|stupid|thick|a failure|a loser))",
            word_start=True,
        ),
    ),
    (
        "discrimination",
        _lower_re(
            r"\b(?:p[a*]kis?|ragheads?|towelheads?|muzz(?:ie|y)s?|sand (?:people|n\w+)|"
            r"terror(?:ist)? (?:factory|training|camp)|suicide bombers?|londonistan|"
            r"send them (?:all )?back|#banislam|islam is (?:a )?(?:cancer|disease)|never integrate|"
            r"(?:pack|send|ship) them (?:all )?(?:off )?back|back to (?:bangladesh|pakistan|"
            r"where they came from)|(?:go|send \w+|goes|going) back where (?:they|you) came from|"
            r"(?:can'?t|don'?t|refuse to|won'?t|never) (?:even )?(?:bother to )?(?:speak|learn) "
            r"(?:proper )?english|(?:aren'?t|not|never be) (?:real )?british|foreigners|"
            # stereotypes: a group said to be unfit for something
            r"(?:women|woman|girls|gays?|lesbians?|trans (?:people|kids|women|men)|muslims?|jews|"
            r"immigrants|travell?ers|gypsies|disabled (?:people|kids|staff)|old (?:people|teachers|"
            r"staff)|blacks|asians|poles) (?:just |simply |really )?(?:(?:can'?t|cannot|shouldn'?t|"
            r"should not)(?!\s+(?:wait|stop|believe|get enough|help|thank|resist|miss|win|access|"
            r"afford|get (?:in|into|to|on|up|out)|have to|be expected to|be made to|be forced to)\b)|"
            r"don'?t belong|"
            r"aren'?t fit|are (?:all )?(?:lazy|thick|dirty|thieves|criminals|useless))|"
            + _POLITE_PREJUDICE
            + r")\b",
            word_start=True,
        ),
    ),
]


# -- offence signals: weighed by the offence and sub-reason heads, and named in explanations -------
_OFFENCE_SIGNALS: list[tuple[str, re.Pattern[str]]] = [
    (
        # News reporting quotes threats, slurs and allegations without making them.
        "reporting language",
        _lower_re(
            r"\b(?:police (?:said|say|were called|have|are)|(?:court|jury|tribunal|inquest) "
            r"(?:heard|was told)|(?:was|were|has been|have been) (?:charged|arrested|jailed|"
            r"sentenced|convicted|cautioned|bailed)|(?=[acj])(?<!be )(?<!n't )(?<!not )(?<!get )(?<!gets )"
            r"(?:arrested|charged|jailed) (?:after|over|"
            r"following|on suspicion)|(?=[bgtymwp])(?<!my )(?<!our )(?<!his )(?<!her )(?<!their )(?<!your )"
            r"(?:boy|girl|teen|teenager|youth|man|woman|pupil),? \d{1,2},(?![^.!?]{0,30}\b(?:my (?:son|"
            r"daughter|boy|girl|kid)|sits next to|in (?:my|his|her) class)\b)|pleaded (?:guilty|not guilty)|(?:a|the) "
            r"(?:spokes(?:person|man|woman)|school) (?:said|told|confirmed)|according to|alleged"
            r"(?:ly)?|allegations?|accused of|prosecutors?|appeared (?:at|in) (?:court|\w+ "
            r"(?:magistrates|crown))|appealed for witnesses|denies|denied|is being treated as|"
            r"reported (?:it|itself|this)|told the (?:bbc|advertiser|standard|\w+ (?:news|times)))",
        ),
    ),
    (
        # Someone condemning abuse (and often quoting it) is not abusing anyone.
        "condemnation",
        _lower_re(
            r"\b(?:(?:is|are|was|so) (?:disgusting|vile|shameful|appalling|unacceptable|sickening)|"
            r"disgusting|shameful|vile (?:racism|abuse|comments)|hate crime|islamophob\w*|"
            r"solidarity|stand with|report (?:it|them|the posts?|this)|reported (?:it|them|the)|"
            r"don'?t share|nobody deserves|is not free speech|tell mama|needs to stop|"
            r"(?:it'?s|is) (?:a )?(?:scam|fake|hoax|false|untrue)|(?:it'?s|is|that'?s|this is) "
            r"(?:just |pure |blatant )?(?:racist|racism|islamophobic|bigoted|bigotry|hateful|"
            r"hate)\b|"
            r"(?:has|have|needs?|must) to stop|why do people|not acceptable|condemn\w*|"
            r"report and block|block and report|(?:absolutely |truly |just )(?:sickening|horrible|"
            r"awful|vile|disgraceful)|shouldn'?t have to (?:see|hear|read|put up with)|"
            r"(?:appalling|disgraceful|shameful|disgusting|sickening|horrible|awful|sad) "
            r"(?:that|how) (?:someone|people|a parent|parents|anyone|they|he|she)\b|"
            r"(?:horrible|awful|sad|sickening|shocking) to "
            r"(?:see|read|hear)|these are (?:children|kids|schoolchildren))",
            word_start=True,
        ),
    ),
    (
        "slur or identity hostility",
        _lower_re(
            r"\b(?:p[a*]kis?|ragheads?|towelheads?|sand (?:people|n\w+)|jihadis?|terrorists?|"
            r"muzz(?:ie|y)s?|suicide bombers?|never integrate|grooming gangs?|(?:pack|"
            r"ship) them (?:all )?(?:off )?"
            r"back|back to (?:bangladesh|pakistan)|"
            r"terror(?:ist)? (?:factory|training|camp)|invaders?|londonistan|savages?|"
            r"deport|send them (?:all )?back|ban (?:islam|the burka|these)|#banislam|"
            r"breed(?:ing)?|cancer on|disease|inferior|backward|don'?t belong|muslims (?:are|"
            r"shouldn'?t)|islam is|" + _POLITE_PREJUDICE + r")\b",
        ),
    ),
    (
        "accusation stated as fact",
        _lower_re(
            r"\b(?:steal(?:ing|s)?|stole|pocket(?:ing|s)|embezzl\w+|launder\w*|fraud\w*|crooks?|"
            r"thie(?:f|ves)|crimin\w+|corrupt|brib\w+|fiddl\w+|fak(?:ed|ing) (?:their|the)|"
            r"cover(?:s|ed|ing)? (?:it )?up|covered up|drug dealer|abuser|criminal record|"
            r"sleeping with|falsif\w+|funnell?ing|nonces?|paedos?|pedos?|paedophiles?|groomers?|"
            r"backhanders?|kickbacks?|on the take|(?<!strike )(?<!crisis )(?<!cuts )(?<!snow )"
            r"(?<!flu )(?<!covid )(?<!outbreak )(?<!storm )(?<!nothing )"
            r"(?:hits|slaps|beats|grabs|kicks|punches) "
            r"(?:the |those |little )?(?:kids|children|pupils|students|boys|girls)\b(?!['\u2019]|\s+"
            r"(?:from|across|hardest|most|worst|nationwide)\b|[^.!?]{0,20}\d+\s*[-\u2013]\s*\d))\b",
        ),
    ),
    (
        "leaked internal document",
        _lower_re(
            r"\b(?:(?=l)(?<!roof )(?<!still )(?<!not asking for )(?<!gas )(?<!water )(?<!pipe )(?<!tap )"
            r"(?<!boiler )leak(?:ed|s)?(?!\s+(?:every time|when it rains|again|into|through|in the "
            r"(?:roof|ceiling|hall|toilets?|classroom))\b)|confidential|"
            r"internal (?:email|memo|report|document|briefing)|"
            # (minutes the governors publish are public: "the minutes are on the website")
            r"(?=[mbgt])(?<!published )(?<!public )(?:meeting|governors'?|board|trustees'?) minutes"
            r"(?![^.!?]{0,60}\b(?:(?:are|is) (?:now )?(?:on|up on) the (?:school )?website|"
            r"(?:are|were|is|was|been) (?:now )?published|publicly available|available (?:on|at|"
            r"to download)|(?:at|on) \S+\.(?:sch\.uk|org\.uk|co\.uk|com|org)\b))|not meant for|"
            r"didn'?t want (?:it )?out|don'?t want parents to see|"
            r"got hold of|got a copy|passed me|sent me the|screenshot of the|here it is|in full|"
            r"full text|staff (?:briefing|bulletin|room|salary|salaries)|register|log\b|hr file|"
            r"staff drive|(?:shared|staff) drive (?:with no|without (?:a )?)password|(?:got|took|"
            r"copied|downloaded|nicked|screenshotted|leaked)\b[^.!?]{0,40}\b(?:on|from|off) the "
            r"shared drive|(?:straight |direct(?:ly)? )?from the (?:\w+ )?(?:shared|staff) drive|"
            r"(?:inadequate|requires improvement|special measures|outstanding|failed)\b[^!?]{0,80}"
            r"\b(?:report|results?|outcome|judgement)(?:'s| is)? not (?:out|published|public) "
            r"(?:yet|for|until)|(?:report|results?|outcome|judgement)(?:'s| is)? not "
            r"(?:out|published|public) (?:yet|for|until)(?=[^!?]{0,80}\b(?:inadequate|requires "
            r"improvement|special measures|outstanding|failed)\b)|"
            r"spreadsheet|mock paper|disciplinary letter|whistleblow\w*|(?:staff|teachers'?) "
            r"(?:whatsapp|group chat|chat)|(?:didn'?t|don'?t|did not|do not) want (?:this|it) "
            r"(?:getting |to get )?out|not supposed to (?:see|share|have)|meant to be (?:private|"
            r"confidential|secret|internal)|(?:safeguarding|internal|private|confidential) "
            r"(?:report|file|record|notes)|here'?s the full|(?:list|report|letter|minutes|"
            r"file|email|notes|register|document|paper)s? "
            r"(?:was |were |got )?left on the (?:photocopier|printer)|(?:told (?:us|staff|"
            r"teachers)|(?:staff|we|teachers) "
            r"(?:were|was|have been|got) told) not to (?:tell|share|say)|"
            r"before it'?s (?:published|announced|public)|"
            r"draft (?:ofsted|inspection) (?:report|outcome|judgement)|draft (?:slt|"
            r"governors'?|board|staff) minutes)\b",
            word_start=True,
        ),
    ),
    (
        "speaks as the school",
        _lower_re(
            r"(?:\b(?:this is|i'?m|i am|message from|speaking (?:on behalf of|for)|on behalf of|"
            r"posting as|regards,|signed,?|- ?)\s*(?:the )?(?:head|headteacher|head teacher|"
            r"principal|school office|admissions|governors|admin\b|the school)|\bofficial\b|"
            r"\bstatement from\b|\bdear parents\b|bank (?:card )?details|sort code|gift card|"
            r"paypal|new account|message from the (?:\w+ )?office|posting on behalf of|"
            r"response from "
            r"(?:the )?(?:[\w']+ ){0,3}(?:primary|academy|school)\b|"
            r"as (?:the )?(?:headteacher|head teacher|principal)(?: of(?: [\w'&-]+){1,4}?)?,? i\b|"
            r"(?:i'?m|i am|this is) (?:mr|mrs|miss|ms|dr)\.? [\w'-]+,? (?:the )?(?:head|"
            # (a subject lead speaking for themselves, "I'm Miss Ahmed, head of maths"; a photo
            # caption, "this is Mrs Khan, the head, presenting the cup")
            r"headteacher|principal|deputy head)\b(?!\s+of\s+(?:maths|english|science|history|"
            r"geography|pe|music|art|drama|department|faculty|computing|languages|mfl|re|dt)\b)"
            r"(?![^.!?]{0,30}\b(?:presenting|receiving|handing|cutting|"
            r"opening|at my|of my|she'?s|he'?s|retiring|in the (?:photo|picture|middle))\b)|"
            # a role claimed with a name: "I'm Mr Okoro, Year 9 science at...", "this is Mrs
            # Lennon, P3 teacher at...", "I am Sarah Grieve, deputy headteacher at..."
            r"(?:i'?m|i am|this is) (?:(?:mr|mrs|miss|ms|dr)\.? [\w'-]+,?|(?!(?:a|an|just|only|also|"
            r"not|still|so|now|currently|actually)\b)[\w'-]+(?: (?!(?:former|retired|ex|a|an|the)\b)"
            r"[\w'-]+)?,) (?:the )?"
            r"(?:year \d{1,2} (?:\w+ )?(?:teacher|tutor|science|maths|english|lead)|[ps]\d teacher|"
            r"(?:class |form |reception )?teacher (?:at|of|for)|senco (?:at|of|for)|"
            r"deputy head(?:teacher)? (?:at|of)|headteacher (?:at|of))\b(?!\s+(?:my|our)\b)"
            r"(?![^.!?]{0,40}\b(?:she'?s|he'?s|retiring|retired|presenting|receiving|collecting|"
            r"accepting|who (?:has|is|was)|legend|best teacher|in the (?:photo|picture))\b)"
            r"(?![^.!?]{0,100}\b(?:sponsor me|please sponsor|views (?:are )?my own|my own views|"
            r"personal capacity)\b)|"
            # "#PennockHillOfficial"
            r"#(?!(?:un|its|it|not|now|nowits|makeit|madeit|finally)official\b)\w+official\b)",
            word_start=True,  # and "ex-head" is not the head speaking
        ),
    ),
]
_OFFENCE_SIGNALS += [
    (f"{reason} wording", pattern)
    for reason, pattern in _SUBREASON_HINTS
    if reason in ("threat", "harassment_bullying") and pattern is not _STRONG_THREAT
]
_OFFENCE_SIGNALS.append(("threat intent", _STRONG_THREAT))
# A parent's complaint, decision or concern: the register of civil criticism ("worst school",
# "disgraceful handling", "I'm withdrawing my son"), which is neutral by policy. A separate
# column for the heads to weigh; unlike reporting / condemnation it does not excuse a threat.
_OFFENCE_SIGNALS.append(
    (
        "complaint context",
        _lower_re(
            r"\b(?:complain\w*|withdraw(?:ing|n)? (?:my|our|him|her|them)|(?:pull|pulled|pulling|"
            r"take|taking|took|move|moving|moved) (?:(?:my|our) (?:\w+ )?(?:out|to)|"
            r"(?:him|her|them) out of)|"
            r"(?:i'?ve |we'?ve )?(?:written|writing) to|emailed|no (?:reply|response|answer)|"
            r"homework|detentions?|timetable|(?:would(?:n'?t| not)|do not|don'?t) recommend|"
            r"value for money|parents deserve|petition|crossing|road safety|speeding|traffic|"
            r"shut (?:it )?down|clos(?:e|ed|ing) (?:it )?down|"
            # harsh words about how the school is run, not about a person
            r"(?:worst|terrible|awful|appalling|disgraceful|shambolic|dreadful|poor|pathetic|"
            r"ridiculous|shocking|outrageous|unacceptable|extortionate) (?:\w+ )?(?:school|"
            r"decision|"
            r"handling|response|communication|service|management|leadership|admissions?|process|"
            r"value|polic(?:y|ies)|results|reply|organisation|admin|website|teaching|fees?|prices?|"
            r"uniform|rules|homework|timetable)|badly (?:run|managed|handled|organised)|"
            r"(?:fees?|fee rise|prices?|decision|handling|response|communication|policy|admin|"
            r"office|"
            r"uniform|homework|rules|timetable) (?:is|are|was|were) (?:a |an |just |absolutely |"
            r"totally )?(?:disgrace|joke|shambles|scandal|ridiculous|outrageous|unacceptable|"
            r"rip-?off|farce|terrible|awful|appalling))\b",
            word_start=True,
        ),
    )
)
OFFENCE_SIGNAL_NAMES = tuple(name for name, _ in _OFFENCE_SIGNALS)


_NEGATED = _lower_re(r"(?:\bnot|n't|\bnever|\bno one'?s?|\bnobody'?s?)\s+(?:\S+\s+){0,3}$")


def offence_signals(text: str) -> list[tuple[str, str]]:
    """(signal name, matched words) for each offence signal present in ``text``.

    An accusation under a negation ("I'm not saying they're crooks") does not count."""
    out = []
    low = text.lower()  # every pattern is a _LowerPattern: lower-case the text once
    for name, pattern in _OFFENCE_SIGNALS:
        if name != "accusation stated as fact":
            if m := pattern._re.search(low):
                out.append((name, m.group(0)))
            continue
        for m in pattern._re.finditer(low):
            if _NEGATED._re.search(low[: m.start()][-40:]):
                continue
            out.append((name, m.group(0)))
            break
    return out


CALMING_SIGNALS = ("reporting language", "condemnation")
CONTEXT_SIGNALS = ("complaint context",)
HOSTILE_SIGNALS = tuple(
    n for n in OFFENCE_SIGNAL_NAMES if n not in CALMING_SIGNALS and n not in CONTEXT_SIGNALS
)


def offence_features(text: str, signals: list[tuple[str, str]] | None = None) -> list[float]:
    """0/1 columns: each calming signal, then each hostile signal twice, once when it stands
    alone and once when it sits in reporting or condemning language (a linear model cannot
    form that interaction itself: "burn it down" is a threat, "was charged after saying he
    would burn it down" is news)."""
    fired = {n for n, _ in (offence_signals(text) if signals is None else signals)}
    calm = any(n in fired for n in CALMING_SIGNALS)
    out = [1.0 if n in fired else 0.0 for n in CALMING_SIGNALS]
    for n in HOSTILE_SIGNALS:
        out += [1.0 if n in fired and not calm else 0.0, 1.0 if n in fired and calm else 0.0]
    # complaint wording counts as civil only without a swear word or insult next to it
    civil = any(n in fired for n in CONTEXT_SIGNALS) and not abusive_word(text)
    return out + [1.0 if n in fired and civil else 0.0 for n in CONTEXT_SIGNALS]


N_OFFENCE_FEATURES = len(CALMING_SIGNALS) + 2 * len(HOSTILE_SIGNALS) + len(CONTEXT_SIGNALS)


_APOS = str.maketrans("\u2019\u2018", "''")


def _fold(text: str) -> str:
    """``text`` without accents and with straight apostrophes ("Róisín’s" -> "Roisin's"): the
    name list and the patterns are plain ASCII, phone keyboards are not."""
    if text.isascii():
        return text
    text = text.translate(_APOS)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def privacy_hits(text: str, protected_names: frozenset[str] = frozenset()) -> list[str]:
    """Why ``text`` identifies or locates a pupil; empty when it does not."""
    text = _fold(text)
    low = text.lower()
    hits = [
        name
        for name, pattern, lower in _PRIVACY_PATTERNS
        if (m := pattern.search(low if lower else text))
        and not (
            name == "social media handle given"
            and _ADULT_NEAR.search(low[max(0, m.start() - 50) : m.start()])
        )
    ]
    # All-lower-case or all-capitals posts are read title-cased ("Jamie Clarke In Year 8").
    cased = text.title() if text.islower() or text.isupper() else text
    if (
        any(
            m.group(1).lower() in FIRST_NAMES and m.group(2).lower() not in _NOT_SURNAME
            for m in _NAME_ADDRESS.finditer(cased)
        )
        and "home address" not in hits
    ):
        hits.append("home address")
    named = _pupil_named(cased) or _child_identified(text, cased, low)
    if named:
        hits.append(named)
    if _PHOTO_OF_PUPILS.search(low):
        # A photo or video of pupils with a first name, or with a call to name them.
        names = [w for w in _WORD.findall(low) if w in FIRST_NAMES]
        if names or _TAG_THEM.search(low):
            hits.append("photo of pupils identified" + (f": {names[0]}" if names else ""))
    hits += [f"protected name: {n}" for n in protected_names if _fold(n).lower() in low]
    return hits


@dataclass(frozen=True, slots=True)
class _EnquiryScan:
    phrases: tuple[str, ...]  # every enquiry phrase, in order (lower case)
    role: str | None  # the journalist saying what they are
    published: bool  # reads as a piece already published


@lru_cache(maxsize=4096)
def _scan_enquiry(text: str) -> _EnquiryScan:
    # The features, the rule and the explanation all need these, for every post: one pass of
    # each long pattern instead of two or three (the cache holds a few batches of posts).
    low = text.lower()
    role = _SELF_ROLE._re.search(low)
    return _EnquiryScan(
        tuple(m.group(0) for m in _ENQUIRY_PHRASES._re.finditer(low)),
        role.group(0) if role else None,
        _PUBLISHED._re.search(low) is not None,
    )


def enquiry_features(text: str) -> list[float]:
    """Signals of a journalist asking (phrases, self-described role, outlet, contact, deadline)."""
    scan = _scan_enquiry(text)
    return [
        min(len(scan.phrases), 3) / 3.0,
        1.0 if scan.role else 0.0,
        1.0 if extract_outlet(text) else 0.0,
        1.0 if _EMAIL.search(text) else 0.0,
        1.0 if parse_deadline(text) else 0.0,
        1.0 if scan.published else 0.0,
    ]


ENQUIRY_FEATURE_NAMES = (
    "enquiry phrase",
    "journalist says who they are",
    "outlet named",
    "email given",
    "deadline given",
    "already published",
)


_WORK_DESCRIBED = re.compile(
    r"(?:for|doing|writing|working on|putting together) (?:a|an|my|our|the) "
)
_PRESS_ASK = re.compile(
    r"comment|statement|respon|story|piece|feature|article|report|segment|package|documentary|"
    r"podcast|"
    r"case stud|on air|on camera|on the record|spokes|press|media|publish|fact-?check|"
    r"school'?s side|"
    r"will credit|keen to include|edition|paper|bulletin|follow[ -]?up|then-and-now|speak|"
    r"talk|hear from|"
    r"looking (?:to|for)(?: \w+)? (?:speak|talk|hear|case|parents|teachers|families)|"
    r"dms? (?:are )?open"
)
_REQUEST_TAG = _lower_re(r"#(?:journo|pr|media)request\b")


def enquiry_rule(text: str) -> str | None:
    """A journalist saying who they are (or tagging #journorequest) *and* asking (an enquiry
    phrase or an email address) in a post that is not a published piece: a media enquiry
    whatever the model thinks. Returns the reason."""
    scan = _scan_enquiry(text)
    if scan.published:
        return None
    asks = [p for p in scan.phrases if not p.startswith("#")]
    tag = _REQUEST_TAG.search(text) if scan.role is None else None
    role = scan.role or (tag.group(0) if tag else None)
    press = [p for p in asks if _PRESS_ASK.search(p)]
    if not role and len(set(asks)) >= 3 and press:
        # Three different ways of asking ("looking for parents", "for a piece", "dms open")
        # are an enquiry even when the journalist does not say what they are.
        return "enquiry phrases " + ", ".join(repr(p) for p in asks[:3])
    # "for a piece", "doing a piece" say what someone is working on, not that they ask.
    requests = [p for p in asks if not _WORK_DESCRIBED.match(p)]
    outlet = extract_outlet(text) if not role and requests and press else None
    if outlet:
        # Naming the paper and asking is as plain as saying "I'm a reporter" ("doing a story
        # for @PlymouthLive, pls dm", "comment needed for the Wiltshire Times asap").
        return f"outlet {outlet!r}, asking {requests[0]!r}"
    if not role:
        return None
    email = _EMAIL.search(text) if not asks else None
    ask = asks[0] if asks else (email.group(0) if email else None)
    if not ask:
        return None
    return f"journalist {role.strip()!r} asking {ask!r}"


def enquiry_phrase(text: str) -> str | None:
    phrases = _scan_enquiry(text).phrases
    return phrases[0] if phrases else None


_ABUSIVE_WORDS = _lower_re(
    # (not Dickens, Arsenal, a pig's ear of a timetable, a rat run or a witch costume)
    r"\b(?:f+u+c*k\w*|fck\w*|shit\w*|cunts?|twats?|pricks?|wank\w*|bitch\w*|bastards?|"
    r"(?=d)(?<!moby )dick(?:s|heads?|ish)?(?! whittington| turpin)|arse(?:s|holes?|d)?|ass(?:hole)?s?|"
    r"piss\w*|crap|bollocks|scum\w*|"
    r"idiots?|morons?|imbeciles?|cretins?|clowns?|muppets?|tossers?|retard\w*|vermin|"
    r"(?=p)(?<!guinea )(?<!little )pigs?(?!['\u2019]s (?:ear|breakfast)| in blankets)|"
    r"(?=r)(?<!year of the )rats?(?![- ]runs?\b)|(?=w)(?<!as a )(?<!as the )witch(?! hunt|,? and the wardrobe)|cow|"
    r"losers?|slags?|whores?|"
    r"prats?|melts?|thick|brain ?dead|useless|waste of space|go to hell|rot in hell|"
    r"disgrace of a)\b",
)


def abusive_word(text: str) -> str | None:
    """A swear word or insult in ``text`` (what makes criticism uncivil), or None."""
    m = _ABUSIVE_WORDS.search(text)
    return m.group(0) if m else None


# A quoted span: 'useless cow', "waste of space", ‘…’, “…”, «…» (an apostrophe inside a word,
# as in 'a slag who's useless', does not close it).
_QUOTED = re.compile(
    r"(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w)){1,80}'(?!\w)|\"[^\"\n]{1,80}\"|"
    r"\u2018(?:[^\u2019\n]|(?<=\w)\u2019(?=\w)){1,80}\u2019|\u201c[^\u201d\n]{1,80}\u201d|"
    r"\u00ab[^\u00bb\n]{1,80}\u00bb"
)
# Someone else said it: "someone on here called Mrs Okafor a ...", "people calling the teachers".
_ATTRIBUTED = re.compile(
    r"\b(?:someone|somebody|people|parents?|they|he|she|a (?:man|woman|boy|girl|lad|parent)|"
    r"kids|pupils|students|lads|boys|girls|fans|supporters|crowd|comments?|thread|posts?|"
    r"messages?|trolls?|others|anyone|whoever|one of)\b"
    r"(?:\s+[\w']+){0,8}?\s+(?:called|calling|shouted|shouting|wrote|writing|posted|posting|"
    r"dm'?d|dmed|chanting|chanted|singing|sang|messaging|texting|dming|sending|sent|"
    r"saying|said|says|describ\w+|labell?(?:ed|ing)|branded|branding|messaged|texted|sprayed|"
    r"spray[- ]?painted|daubed|scrawled|left|commenting|commented|tweeted|shared|reposting|"
    r"reposted|spreading)\b|"
    r"\b(?:posts?|comments?|messages?|tweets?) like\b",
    re.IGNORECASE,
)
# Condemnation said around the quote ("... is vile", "Out of order.", "Gutted someone called").
_CONDEMNING = re.compile(
    r"\b(?:vile|awful|disgust\w*|disgrace\w*|shameful|shame on|appalling|sickening|horrible|"
    r"nasty|cruel|out of order|not on|not ok(?:ay)?|unacceptable|should be ashamed|gutted|"
    r"upsetting|heartbreaking|please (?:stop|remove|delete|report)|report(?:ed)? it|sicken\w*|"
    r"shocking|human being|have a word with yourself|put up with|(?:don'?t|do not) share|"
    r"reported (?:it |this |them )?to (?:the )?(?:police|admins?|mods|moderators?|school|"
    r"platform|facebook)|cowards?|stop it|hope the police|grow up|deserve better(?! than)|"
    r"(?:it|this|that)(?:'s| has| have) been reported|that'?s a threat|"
    r"reported (?:every|all|each|the) (?:comments?|posts?|messages?|accounts?))\b",
    re.IGNORECASE,
)


# A quote the writer asserts: "Mr Hughes is 'a useless prat'", "she's a 'slag'"
_ASSERTED = re.compile(
    r"(?:\b(?:is|are|was|were)|'s)(?:\s+(?:such|just|really|an? (?:absolute|total|complete)))?"
    r"(?:\s+(?:a|an|the))?\s*$",
    re.IGNORECASE,
)
_ENDORSED = re.compile(
    r"\b(?:(?:they|he|she|you|it|that|which)(?:'re|'s| are| is| was)? (?:not wrong|right|true|"
    r"spot on|correct|got a point)|"
    r"had it coming|about time|can'?t (?:say i'?d )?blame|fair (?:play|enough|point)|"
    r"(?:were|was|are|is)n'?t wrong|\btbf\b|"
    r"well said|agreed?|deserves? it|"
    r"(?:doesn'?t|don'?t) deserve it|\bgood\b[.!]|not the worst idea|said no one|oh wait|"
    r"to be fair|"
    r"(?:took|taking) (?:so )?long|finally someone|someone (?:had|needed) to say|everyone knows|"
    r"we all know|(?:can'?t|cannot) handle the truth|\blol\b)",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def quotes_abuse_to_condemn(text: str) -> bool:
    """Condemning abuse by quoting what someone else said ("disgusting that someone called our
    head a 'useless cow'"): neutral by policy. True when, outside the quotes, the words are
    attributed to someone else and condemned, and nothing abusive or hostile is left; a writer
    who puts their own insult in quotes ("Miss Reid is a 'stupid bitch'. Disgusting.") gets no
    pass. (Cached: both the encoder gate and the threshold ask, for the same posts.)"""
    if not _QUOTED.search(text):
        return False
    for q in _QUOTED.finditer(text):
        # the clause the quote ends ("... and Miss Reid is a 'total witch'"): the writer's claim
        clause = re.split(r"[.!?;:,]|\b(?:and|but)\b", text[: q.start()])[-1]
        if _ASSERTED.search(clause) and not _ATTRIBUTED.search(clause):
            return False
    outside = _QUOTED.sub(" ", text)
    outside_signals = offence_signals(outside)
    return (
        _ATTRIBUTED.search(outside) is not None
        and (
            _CONDEMNING.search(outside) is not None
            or any(n == "condemnation" for n, _ in outside_signals)
        )
        and abusive_word(outside) is None
        and not any(n in HOSTILE_SIGNALS for n, _ in outside_signals)
        and not _ENDORSED.search(outside)
    )


# The hint patterns that are also offence signals, by signal name: their matches are in the
# post's signals already.
_HINT_SIGNAL = {
    id(pattern): name
    for name, pattern in _OFFENCE_SIGNALS
    if any(p is pattern for _, p in _SUBREASON_HINTS)
}


def subreason_hint(
    text: str, signals: list[tuple[str, str]] | None = None
) -> tuple[str, str] | None:
    """(sub-reason, the words) for unmistakable wording of one, or None. ``signals`` (from
    ``offence_signals(text)``) saves matching the patterns both share again."""
    low = text.lower()
    found = dict(signals) if signals is not None else {}
    for reason, pattern in _SUBREASON_HINTS:
        if signals is not None and id(pattern) in _HINT_SIGNAL:
            words = found.get(_HINT_SIGNAL[id(pattern)])
            if words is not None:
                return reason, words
        elif m := pattern._re.search(low):
            return reason, m.group(0)
    return None
