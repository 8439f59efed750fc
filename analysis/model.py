"""The trained classifier at run time: features, the three linear heads, and the artefact format.

A post goes through three small linear models over the same features: TF-IDF of word 1-2 grams
(stored vocabulary) and hashed character 2-5 grams, plus the score of the alt-profanity-check
linear SVM (trained on ~200k labelled comments; shipped here as plain arrays, see
analysis/data/export_profanity_lexicon.py). The school's own names are removed first: every
matched post names the school, so the name is no evidence either way.

* the *media head* (is a journalist asking?) also sees the enquiry rule features;
* the *offence head* (is it inappropriate?) is a logistic regression trained on OLID plus the
  school-context examples; it also sees the offence rule signals (reporting language,
  condemnation, slurs, accusations, leaks, speaking as the school, threat / harassment wording),
  each hostile signal split by whether it sits in reporting / condemning language;
* the *sub-reason head* picks one of the eight sub-reasons for inappropriate posts.

Posts the offence head is unsure of are also read by the offence encoder (analysis/encoder.py,
a small fine-tuned transformer); inside its band P(offensive) is a blend of the two.

Rules sit beside the heads where they are sharper: privacy rules override the label (naming a
pupil is a breach even when polite); a journalist who says so and asks is a media enquiry;
threat / harassment / slur wording outside reporting language lowers the offence threshold and
fixes the sub-reason, as do impersonation phrases. The artefact is plain arrays (``.npz``) plus
JSON metadata, not a pickle: it loads with any scikit-learn that has ``CountVectorizer`` and
``FeatureHasher``, and cannot run code when opened.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from analysis import classifier_rules as rules
from analysis.classify import SUBREASONS, Classification
from analysis.encoder import OffenceEncoder, blend, load_encoder
from analysis.enquiry import extract_enquiry
from mentions.errors import ClassifierError

MODELS_DIR = Path(__file__).with_name("models")
DEFAULT_MODEL = MODELS_DIR / "classifier.npz"
CHAR_FEATURES = 2**18
WORD_TOKEN_PATTERN = r"(?u)#?\b\w[\w']*\b|[!?]"

_URL = re.compile(r"https?://\S+|\bURL\b")
_MENTION_PLACEHOLDER = re.compile(r"@USER\b")
# Masked swearing ("f***ing", "sh*t") should look like the word it hides.
_MASKS = [
    (re.compile(p, re.IGNORECASE), r)
    for p, r in [
        (r"\bf[*#@]+(?:c?k)?(?=ing|ed|er|s|\b)", "fuck"),
        (r"\bfkn\b", "fucking"),
        (r"\bsh[*#]t", "shit"),
        (r"\bc[*#]{2,3}t", "cunt"),
        (r"\bp[*#]ki", "paki"),
        (r"\ba[*#]se", "arse"),
    ]
]


# The school's own names carry no information in deployment (every matched post names the
# school), but OLID never mentions them and the school-context data does, mostly next to abuse:
# the model learnt "latifiah" (and then "the school") as a sign of offence. Names are removed
# before features are taken. ("DHL" alone stays: it is usually the courier.)
SCHOOL_NAMES = re.compile(
    r"\b(?:the\s+)?(?:darul[\s-]+hadi(?:s|th)[\s-]+latifi?ah|dhl school|latifi?ah(?:'s)?)"
    r"(?:\s+school\b)?(?:\s*\(e1\)|\s+(?:in|on)\s+(?:cannon street road|tower hamlets)\b)?",
    re.IGNORECASE,
)
# The borough is where the school is, so it is no evidence either: the model had learnt
# "tower hamlets" as a sign of offence from the school-context rows that name it.
_BOROUGH = re.compile(r"\b(?:in\s+)?tower\s+hamlets\b|#towerhamlets\b", re.IGNORECASE)


def normalise(title: str, text: str) -> str:
    body = f"{title}. {text}" if title else text
    # Each substitution runs only where its telltale is present: most posts have none, and the
    # ten passes over every post cost a twentieth of the classifier's time.
    low = body.lower()
    if "http" in low or "URL" in body:
        body = _URL.sub(" ", body)
    if "latif" in low or "hadi" in low or "dhl" in low:
        body = SCHOOL_NAMES.sub(" ", body)
    if "hamlets" in low:
        body = _BOROUGH.sub(" ", body)
    if "@USER" in body:
        body = _MENTION_PLACEHOLDER.sub(" ", body)
    if "*" in body or "#" in body or "@" in body or "fkn" in low:
        for pattern, repl in _MASKS:
            body = pattern.sub(repl, body)
    return " ".join(body.split())


PROFANITY_SCALE = 1.0
_SHUT_DOWN = re.compile(r"\bshut(\s+(?:\w+\s+)?)down\b", re.IGNORECASE)


class ProfanityScorer:
    """The linear profanity model of alt-profanity-check, rebuilt from plain arrays.

    Unigram TF-IDF (l2) -> five linear SVMs -> five sigmoid calibrations, averaged: the same
    numbers as ``profanity_check.predict_prob`` without the package or its pickles. See
    analysis/data/export_profanity_lexicon.py.
    """

    def __init__(
        self,
        vocabulary: Sequence[str],
        token_pattern: str,
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        a: np.ndarray,
        b: np.ndarray,
    ):
        self.vocabulary = list(vocabulary)
        self.token_pattern = token_pattern
        self.idf = np.asarray(idf, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.a = np.asarray(a, dtype=np.float64)
        self.b = np.asarray(b, dtype=np.float64)
        self.counter = CountVectorizer(
            vocabulary={t: i for i, t in enumerate(self.vocabulary)},
            token_pattern=token_pattern,
            lowercase=True,
            dtype=np.float32,
        )

    @classmethod
    def from_npz(cls, z: Any, meta: dict[str, Any], prefix: str = "") -> ProfanityScorer:
        return cls(
            meta["vocabulary"],
            meta["token_pattern"],
            z[f"{prefix}idf"],
            z[f"{prefix}coef"],
            z[f"{prefix}intercept"],
            z[f"{prefix}a"],
            z[f"{prefix}b"],
        )

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            f"{prefix}idf": self.idf,
            f"{prefix}coef": self.coef,
            f"{prefix}intercept": self.intercept,
            f"{prefix}a": self.a,
            f"{prefix}b": self.b,
        }

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        x = self.counter.transform(texts).tocsr() @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        x = sparse.diags(1.0 / norms) @ x
        d = np.asarray(x @ self.coef.T, dtype=np.float64) + self.intercept
        return (1.0 / (1.0 + np.exp(self.a * d + self.b))).mean(axis=1)

    @staticmethod
    def features(p: np.ndarray) -> np.ndarray:
        """Probability and its logit, the two extra columns the heads see."""
        p = np.clip(p, 1e-3, 1 - 1e-3)
        return (np.column_stack([p, np.log(p / (1 - p))]) * PROFANITY_SCALE).astype(np.float32)


class CharNgramCounter:
    """Counts of hashed character 2-5-grams within words: exactly the matrix of scikit-learn's
    ``HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=CHAR_FEATURES,
    alternate_sign=False, norm=None)``, about 4x faster.

    A word's n-grams never depend on its neighbours, and posts repeat words, so each word's
    hashed n-gram indices are computed once and kept (up to ``MAX_CACHED_WORDS``; then the cache
    starts again). The words a batch brings that are not known yet are hashed together, in one
    call of scikit-learn's ``FeatureHasher`` (its hashing runs in compiled code)."""

    MAX_CACHED_WORDS = 100_000

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}
        self._hasher = FeatureHasher(
            n_features=CHAR_FEATURES, input_type="string", alternate_sign=False, dtype=np.float32
        )

    @staticmethod
    def _grams(word: str) -> list[str]:
        padded = f" {word} "
        grams: list[str] = []
        for n in (2, 3, 4, 5):
            if len(padded) <= n:  # a short word gives itself once, as scikit-learn does
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
        return grams

    def _learn(self, words: list[str]) -> None:
        hashed = self._hasher.transform(self._grams(w) for w in words)
        # FeatureHasher sums repeats ("aa" twice in " aaa "): expand them back into indices.
        counts = hashed.data.astype(np.int64)
        for k, word in enumerate(words):
            lo, hi = hashed.indptr[k], hashed.indptr[k + 1]
            self._cache[word] = np.repeat(hashed.indices[lo:hi], counts[lo:hi]).astype(np.int32)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        posts = [text.lower().split() for text in texts]
        new = list({w: None for words in posts for w in words if w not in self._cache})
        if len(self._cache) + len(new) > self.MAX_CACHED_WORDS:
            self._cache.clear()  # start again, with every word of this batch
            new = list({w: None for words in posts for w in words})
        if new:
            self._learn(new)
        parts: list[np.ndarray] = []
        indptr = [0]
        for words in posts:
            size = indptr[-1]
            for w in words:
                found = self._cache[w]
                parts.append(found)
                size += len(found)
            indptr.append(size)
        cols = np.concatenate(parts) if parts else np.zeros(0, np.int32)
        x = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), cols, indptr),
            shape=(len(texts), CHAR_FEATURES),
        )
        x.sum_duplicates()
        return x


class Featurizer:
    """TF-IDF (sublinear tf, per-block l2) over word n-grams and hashed character n-grams, plus
    the profanity model's score."""

    def __init__(
        self,
        vocabulary: Sequence[str],
        word_idf: np.ndarray,
        char_idf: np.ndarray,
        profanity: ProfanityScorer | None = None,
    ):
        self.profanity = profanity
        self.vocabulary = list(vocabulary)
        self.word = CountVectorizer(
            vocabulary={t: i for i, t in enumerate(self.vocabulary)},
            ngram_range=(1, 2),
            token_pattern=WORD_TOKEN_PATTERN,
            lowercase=True,
            dtype=np.float32,
        )
        self.char = CharNgramCounter()
        self.word_idf = np.asarray(word_idf, dtype=np.float32)
        self.char_idf = np.asarray(char_idf, dtype=np.float32)

    @property
    def n_word(self) -> int:
        return len(self.vocabulary)

    def counts(self, texts: Sequence[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        return self.word.transform(texts).tocsr(), self.char.transform(texts)

    @staticmethod
    def weight(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
        # log(1 + tf) x idf, each row scaled to unit length: on the CSR arrays directly (the
        # same numbers as sparse products with diagonal matrices, a third of the time).
        data = np.log1p(counts.data.astype(np.float32)) * idf[counts.indices]
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=counts.shape[0]))
        norms[norms == 0] = 1.0
        data = (data / norms[rows]).astype(np.float32)
        return sparse.csr_matrix(
            (data, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape
        )

    def extra(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if self.profanity is None:
            return sparse.csr_matrix((len(texts), 0), dtype=np.float32)
        # The profanity model reads "shut down" as "shut up" ("should be shut down": 0.98, with
        # "closed down": 0.04): it is shown "close down", a civil demand.
        texts = [_SHUT_DOWN.sub(r"close\1down", t) for t in texts]
        return sparse.csr_matrix(ProfanityScorer.features(self.profanity.proba(texts)))

    def assemble(
        self, wc: sparse.csr_matrix, cc: sparse.csr_matrix, texts: Sequence[str]
    ) -> sparse.csr_matrix:
        return sparse.hstack(
            [
                self.weight(wc, self.word_idf),
                self.weight(cc, self.char_idf),
                self.extra(texts),
            ],
            format="csr",
        )

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        wc, cc = self.counts(texts)
        return self.assemble(wc, cc, texts)


@dataclass
class LinearHead:
    coef: np.ndarray  # (n_classes or 1, n_features)
    intercept: np.ndarray
    classes: list[str]

    def scores(self, x: sparse.csr_matrix, extra: np.ndarray | None = None) -> np.ndarray:
        """Decision scores for ``x``; ``extra`` holds the last columns of the matrix the head
        was trained on (rule features), given apart so the big matrix is not copied to add
        them."""
        if extra is None:
            return np.asarray(x @ self.coef.T) + self.intercept
        n = x.shape[1]
        return np.asarray(x @ self.coef[:, :n].T) + extra @ self.coef[:, n:].T + self.intercept

    def proba(self, x: sparse.csr_matrix, extra: np.ndarray | None = None) -> np.ndarray:
        s = self.scores(x, extra)
        if s.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-s[:, 0]))
            return np.column_stack([1.0 - p, p])
        s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)


HOSTILE_HINTS = ("threat", "harassment_bullying", "discrimination")
HOSTILE_HINT_THRESHOLD = 0.25
# First-person intent to harm ("I will hurt the head", "someone should burn it", "watch your
# back") outside reporting / condemning language is a threat unless the offence head is very sure
# it is not: the head learnt from OLID tweets, where such wording is rare.
STRONG_THREAT_THRESHOLD = 0.03
# Civil criticism: complaint wording, no hostile signal, no swearing or insult.
CIVIL_THRESHOLD = 0.9


def civil_criticism(text: str, signals: Sequence[tuple[str, str]]) -> bool:
    """Complaint wording about how the school is run, with no swearing, insult or hostile
    wording: neutral by policy unless the offence head is very sure. The encoder is not asked:
    it reads "is the worst school" as an insult (0.95)."""
    return (
        any(n in rules.CONTEXT_SIGNALS for n, _ in signals)
        and not any(n in rules.HOSTILE_SIGNALS for n, _ in signals)
        and not rules.abusive_word(text)
    )


# Posts with these policy signals are left to the heads and rules trained for them: the
# offence encoder learnt offensive *tone* from OLID, and a polite impersonation ("I run the
# official account now, DM me"), a calm slur, a leak or a threat without a swear word ("I'll be
# waiting outside the gates for that teacher") is not offensive in tone. (Cost on held-out OLID:
# 0.0008 macro-F1; without it school-context inappropriate recall fell to 0.92.)
ENCODER_SKIP_SIGNALS = frozenset(
    {
        "speaks as the school",
        "leaked internal document",
        "slur or identity hostility",
        "threat wording",
        "threat intent",
        "harassment_bullying wording",
    }
)

# What an explanation may show: words people can read as a reason. Stop-word-only n-grams
# ("should be", "full of"), punctuation, numbers, filler and the school's own names and place
# ("east", "tower hamlets") say nothing to the member of staff reading the alert.
_FILLER = frozenset(
    """
    i'm im i've i'd i'll you're youre you've you'll he's she's it's its that's thats there's
    what's who's let's don't dont doesn't didn't can't cant won't isn't aren't wasn't weren't
    haven't hasn't i'ma u ur ya yeah yes ok okay oh lol lmao rt via url user thread just really
    honestly literally actually got get gets getting go going gonna want wanna say said says
    know think thing things like one ones people way day today tomorrow yesterday time
    """.split()
)
_PLACE_WORDS = frozenset(
    "darul hadis hadith latifiah latifia latifiah's dhl school school's schools tower hamlets "
    "east london e1".split()
)
_UNSHOWN = frozenset(ENGLISH_STOP_WORDS) | _FILLER


def explainable(term: str) -> bool:
    """Whether a vocabulary n-gram may be shown as a reason in an explanation."""
    tokens = term.split()
    if any(t in _PLACE_WORDS or not any(c.isalpha() for c in t) for t in tokens):
        return False
    return not all(t.lstrip("#") in _UNSHOWN for t in tokens)


class TrainedClassifier:
    """The policy-grade classifier: three linear heads plus the policy rules."""

    def __init__(
        self,
        featurizer: Featurizer,
        media: LinearHead,
        offence: LinearHead,
        subreason: LinearHead,
        metadata: dict[str, Any],
        offence_threshold: float = 0.5,
        media_threshold: float = 0.5,
        protected_names: frozenset[str] = frozenset(),
        encoder: OffenceEncoder | None = None,
    ):
        self.featurizer = featurizer
        self.encoder = encoder
        self.media = media
        self.offence = offence
        self.subreason = subreason
        self.metadata = metadata
        self.version = str(metadata.get("version", "unknown"))
        self.offence_threshold = offence_threshold
        self.media_threshold = media_threshold
        self.protected_names = protected_names
        self._no_privacy = np.array([c != "privacy_breach" for c in subreason.classes])
        self._explainable = np.fromiter(
            (explainable(t) for t in featurizer.vocabulary), dtype=bool, count=featurizer.n_word
        )
        # The word-block weights explanations read (negated for neutral posts), taken once: a
        # negated copy of the whole row per post cost a fifth of the run time.
        n = featurizer.n_word
        self._media_words = media.coef[0, :n].copy()
        self._offence_words = offence.coef[0, :n].copy()
        self._neutral_words = -self._offence_words

    # -- matrices the heads read; training builds the same ones --------------------------------
    @staticmethod
    def media_features(texts: Sequence[str]) -> np.ndarray:
        return np.array([rules.enquiry_features(t) for t in texts], dtype=np.float32)

    @staticmethod
    def offence_features(
        texts: Sequence[str], signals: Sequence[list[tuple[str, str]]] | None = None
    ) -> np.ndarray:
        if signals is None:
            signals = [rules.offence_signals(t) for t in texts]
        return np.array(
            [rules.offence_features(t, s) for t, s in zip(texts, signals, strict=True)],
            dtype=np.float32,
        ).reshape(len(texts), rules.N_OFFENCE_FEATURES)

    @staticmethod
    def media_matrix(x: sparse.csr_matrix, texts: Sequence[str]) -> sparse.csr_matrix:
        feats = TrainedClassifier.media_features(texts)
        return sparse.hstack([x, sparse.csr_matrix(feats)], format="csr")

    @staticmethod
    def offence_matrix(
        x: sparse.csr_matrix,
        texts: Sequence[str],
        signals: Sequence[list[tuple[str, str]]] | None = None,
    ) -> sparse.csr_matrix:
        feats = TrainedClassifier.offence_features(texts, signals)
        return sparse.hstack([x, sparse.csr_matrix(feats)], format="csr")

    def word_block(self, x: sparse.csr_matrix) -> sparse.csr_matrix:
        return x[:, : self.featurizer.n_word]

    @staticmethod
    def subreason_matrix(
        word_block: sparse.csr_matrix,
        texts: Sequence[str],
        signals: Sequence[list[tuple[str, str]]] | None = None,
    ) -> sparse.csr_matrix:
        return TrainedClassifier.offence_matrix(word_block, texts, signals)

    # -- scoring ------------------------------------------------------------------------------
    def predict_proba(
        self,
        texts: Sequence[str],
        signals: Sequence[list[tuple[str, str]]] | None = None,
        offence_feats: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix, np.ndarray]:
        """P(media) and P(offensive) per normalised text, the feature matrix, and the encoder's
        P(offensive) where it read the post (NaN where the linear head was sure enough).
        ``offence_feats``: ``offence_features(texts, signals)`` if the caller has them."""
        if signals is None:
            signals = [rules.offence_signals(t) for t in texts]
        if offence_feats is None:
            offence_feats = self.offence_features(texts, signals)
        x = self.featurizer.transform(texts)
        p_media = self.media.proba(x, self.media_features(texts))[:, 1]
        p_off = self.offence.proba(x, offence_feats)[:, 1]
        p_enc = np.full(len(texts), np.nan)
        if self.encoder is not None:
            policy = np.array(
                [
                    any(n in ENCODER_SKIP_SIGNALS for n, _ in s)
                    or civil_criticism(t, s)
                    or rules.quotes_abuse_to_condemn(t)
                    for t, s in zip(texts, signals, strict=True)
                ],
                dtype=bool,
            )
            read = np.flatnonzero(self.encoder.in_band(p_off) & ~policy)
            if len(read):
                p_enc[read] = self.encoder.proba([texts[i] for i in read])
                p_off[read] = blend(p_off[read], p_enc[read], self.encoder.linear_weight)
        return p_media, p_off, x, p_enc

    def _top_words(self, x: sparse.csr_matrix, i: int, coef: np.ndarray, k: int = 3) -> list[str]:
        # Contribution of each word n-gram present = tf-idf value x weight; the biggest positive
        # ones are what pushed the decision. Character n-grams are not shown: people can't read
        # "ffen" as a reason. Reads row ``i`` of the CSR arrays directly: slicing a sparse row
        # per post cost a fifth of the run time.
        lo, hi = x.indptr[i], x.indptr[i + 1]
        cols, vals = x.indices[lo:hi], x.data[lo:hi]
        keep = cols < self.featurizer.n_word
        cols, vals = cols[keep], vals[keep]
        keep = self._explainable[cols]
        cols, vals = cols[keep], vals[keep]
        contrib = vals * coef[cols]
        out: list[str] = []
        for j in np.argsort(-contrib):
            if contrib[j] <= 0 or len(out) == k:
                break
            term = self.featurizer.vocabulary[cols[j]]
            # "worst" and "the worst": show one of them
            if not any(term in o.split() or o in term.split() for o in out):
                out.append(term)
        return out

    def classify_batch(
        self, items: Sequence[tuple[str, str]], now: datetime | None = None
    ) -> list[Classification]:
        if not items:
            return []
        texts = [normalise(t or "", x or "") for t, x in items]
        signals = [rules.offence_signals(t) for t in texts]
        # the offence and sub-reason heads read the same rule columns
        offence_feats = self.offence_features(texts, signals)
        p_media, p_off, x, p_enc = self.predict_proba(texts, signals, offence_feats)
        out: list[Classification] = []
        sub_p = None
        for i, text in enumerate(texts):
            privacy = rules.privacy_hits(text, self.protected_names)
            pm, po = float(p_media[i]), float(p_off[i])
            probs = {
                "media_enquiry": pm,
                "inappropriate": (1 - pm) * po,
                "neutral": (1 - pm) * (1 - po),
            }
            details: dict[str, Any] = {"probabilities": {k: round(v, 4) for k, v in probs.items()}}
            if not np.isnan(p_enc[i]):
                details["encoder_p_offensive"] = round(float(p_enc[i]), 4)
            if privacy:
                # Policy: naming or locating a pupil is a privacy breach whatever the tone.
                conf = max(0.9, probs["inappropriate"])
                out.append(
                    Classification(
                        "inappropriate",
                        "privacy_breach",
                        round(conf, 4),
                        "rule: " + "; ".join(privacy[:2]),
                        self.version,
                        {**details, "rules": privacy},
                    )
                )
                continue
            enquiry_rule = rules.enquiry_rule(text) if pm < self.media_threshold else None
            if pm >= self.media_threshold or enquiry_rule:
                words = self._top_words(x, i, self._media_words)
                phrase = rules.enquiry_phrase(text)
                why = [f"rule: {enquiry_rule}"] if enquiry_rule else []
                why += [f"enquiry phrase {phrase!r}"] if phrase and not enquiry_rule else []
                if enquiry_rule:
                    pm = max(pm, 0.9)
                why += [f"words: {', '.join(words)}"] if words else []
                enquiry = extract_enquiry(items[i][0] or "", items[i][1] or "", now=now)
                out.append(
                    Classification(
                        "media_enquiry",
                        None,
                        round(pm, 4),
                        "; ".join(why) or "media enquiry model",
                        self.version,
                        {**details, **enquiry},
                    )
                )
                continue
            # Threat, harassment or slur wording outside reporting / condemning language lowers
            # the bar: the model alone misses slang it never saw ("swear down I'll do him").
            hint = rules.subreason_hint(text, signals[i])
            calm = any(n in rules.CALMING_SIGNALS for n, _ in signals[i])
            threshold = self.offence_threshold
            if rules.quotes_abuse_to_condemn(text):
                # Policy: condemning abuse by quoting it is neutral, however strong the quoted
                # words ("disgusting that someone called Miss Reid a 'stupid bitch'": P 0.998),
                # even a slur or a threat: the rule has checked nothing hostile is left outside.
                threshold = float("inf")
            elif hint and hint[0] in HOSTILE_HINTS and not calm:
                threshold = min(threshold, HOSTILE_HINT_THRESHOLD)
                if any(n == "threat intent" for n, _ in signals[i]):
                    threshold = min(threshold, STRONG_THREAT_THRESHOLD)
            elif civil_criticism(text, signals[i]):
                # (The profanity model cannot tell: it scores "should be shut down" 0.98, as
                # "shut up".)
                threshold = max(threshold, CIVIL_THRESHOLD)
            if po >= threshold:
                if sub_p is None:
                    sub_p = self.subreason.proba(self.word_block(x), offence_feats)
                if hint:
                    reason, why_rule = hint[0], f"rule: {hint[1]!r}"
                else:
                    # privacy_breach needs privacy evidence (a rule hit or a protected name, both
                    # handled above): without it the model picks the best other sub-reason.
                    p_sub = np.where(self._no_privacy, sub_p[i], -1.0)
                    j = int(np.argmax(p_sub))
                    reason = self.subreason.classes[j]
                    why_rule = f"sub-reason model {sub_p[i][j]:.2f}"
                words = self._top_words(x, i, self._offence_words)
                why = [f"{reason} ({why_rule})"]
                shown = [(n, w) for n, w in signals[i] if n not in rules.CONTEXT_SIGNALS]
                if shown:
                    why.append("signals: " + ", ".join(f"{n} {w!r}" for n, w in shown[:3]))
                if words:
                    why.append(f"offensive words: {', '.join(words)}")
                if not np.isnan(p_enc[i]):
                    why.append(f"sentence model {p_enc[i]:.2f}")
                out.append(
                    Classification(
                        "inappropriate",
                        reason,
                        round(probs["inappropriate"], 4),
                        "; ".join(why),
                        self.version,
                        details,
                    )
                )
                continue
            words = self._top_words(x, i, self._neutral_words)
            calming = [
                f"{n} {w!r}"
                for n, w in signals[i]
                if n in rules.CALMING_SIGNALS or n in rules.CONTEXT_SIGNALS
            ]
            out.append(
                Classification(
                    "neutral",
                    None,
                    round(probs["neutral"], 4),
                    "no enquiry or offence signal"
                    + (f"; signals: {', '.join(calming)}" if calming else "")
                    + (f"; words: {', '.join(words)}" if words else "")
                    + (f"; sentence model {p_enc[i]:.2f}" if not np.isnan(p_enc[i]) else ""),
                    self.version,
                    details,
                )
            )
        return out


# -- artefact -------------------------------------------------------------------------------------
def _pack_head(prefix: str, head: LinearHead, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    # Most weights of the hashed block are exactly zero (n-grams never seen): store them sparse.
    coo = sparse.coo_matrix(head.coef.astype(np.float32))
    arrays[f"{prefix}_row"] = coo.row.astype(np.int32)
    arrays[f"{prefix}_col"] = coo.col.astype(np.int32)
    arrays[f"{prefix}_val"] = coo.data.astype(np.float32)
    arrays[f"{prefix}_intercept"] = head.intercept.astype(np.float64)
    return {"classes": head.classes, "shape": list(head.coef.shape)}


def _unpack_head(prefix: str, spec: dict[str, Any], z: Any) -> LinearHead:
    coef = sparse.coo_matrix(
        (z[f"{prefix}_val"], (z[f"{prefix}_row"], z[f"{prefix}_col"])), shape=tuple(spec["shape"])
    ).toarray()
    return LinearHead(coef, np.asarray(z[f"{prefix}_intercept"]), list(spec["classes"]))


def save_model(model: TrainedClassifier, path: Path = DEFAULT_MODEL) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    idx = np.flatnonzero(model.featurizer.char_idf)
    arrays["char_idf_idx"] = idx.astype(np.int32)
    arrays["char_idf_val"] = model.featurizer.char_idf[idx].astype(np.float32)
    arrays["word_idf"] = model.featurizer.word_idf.astype(np.float32)
    heads = {
        name: _pack_head(name, head, arrays)
        for name, head in (
            ("media", model.media),
            ("offence", model.offence),
            ("subreason", model.subreason),
        )
    }
    profanity_meta = None
    if model.featurizer.profanity is not None:
        arrays.update(model.featurizer.profanity.arrays("profanity_"))
        profanity_meta = {
            "vocabulary": model.featurizer.profanity.vocabulary,
            "token_pattern": model.featurizer.profanity.token_pattern,
        }
    config = {
        "format": 2,
        "profanity": profanity_meta,
        "vocabulary": model.featurizer.vocabulary,
        "heads": heads,
        "offence_threshold": model.offence_threshold,
        "media_threshold": model.media_threshold,
        "char_features": CHAR_FEATURES,
    }
    arrays["config_json"] = np.frombuffer(json.dumps(config).encode(), dtype=np.uint8)
    np.savez_compressed(path, **arrays)
    meta_path = path.with_suffix(".json")
    meta_path.write_text(json.dumps(model.metadata, indent=2, sort_keys=True) + "\n")
    return path


def load_model(path: Path | str = DEFAULT_MODEL) -> TrainedClassifier:
    path = Path(path)
    meta_path = path.with_suffix(".json")
    if not path.is_file():
        raise ClassifierError(
            f"classifier model {path} is missing: it ships in the repository under "
            f"analysis/models/; retrain it with `mentions train` (analysis.training.train)"
        )
    try:
        with np.load(path, allow_pickle=False) as z:
            config = json.loads(bytes(z["config_json"]).decode())
            if config.get("format") not in (1, 2) or config.get("char_features") != CHAR_FEATURES:
                raise ValueError(f"unsupported model format {config.get('format')!r}")
            char_idf = np.zeros(CHAR_FEATURES, dtype=np.float32)
            char_idf[z["char_idf_idx"]] = z["char_idf_val"]
            profanity = None
            if config.get("profanity"):
                profanity = ProfanityScorer.from_npz(z, config["profanity"], "profanity_")
            featurizer = Featurizer(config["vocabulary"], z["word_idf"], char_idf, profanity)
            heads = {name: _unpack_head(name, spec, z) for name, spec in config["heads"].items()}
        metadata = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    except ClassifierError:
        raise
    except (
        OSError,
        ValueError,
        KeyError,
        json.JSONDecodeError,
        zipfile.BadZipFile,
        EOFError,
    ) as exc:
        raise ClassifierError(f"classifier model {path} is corrupt or unreadable: {exc}") from exc
    if not metadata.get("version"):
        raise ClassifierError(
            f"classifier model {path}: metadata {meta_path} is missing or has no version"
        )
    if set(heads["subreason"].classes) - set(SUBREASONS):
        raise ClassifierError(
            f"classifier model {path}: unknown sub-reasons {heads['subreason'].classes}"
        )
    encoder = None
    if metadata.get("encoder"):
        # The heads were measured with this encoder: another one would be an unmeasured model.
        encoder = load_encoder()
        measured = metadata["encoder"]
        if (
            encoder.version != measured.get("version")
            or list(encoder.band) != measured.get("band")
            or encoder.linear_weight != measured.get("linear_weight")
        ):
            raise ClassifierError(
                f"classifier model {path} was measured with offence encoder "
                f"{measured.get('version')} (band {measured.get('band')}, linear weight "
                f"{measured.get('linear_weight')}), but {encoder.version} (band "
                f"{list(encoder.band)}, linear weight {encoder.linear_weight}) is installed: "
                f"retrain with `mentions train`"
            )
    return TrainedClassifier(
        featurizer,
        heads["media"],
        heads["offence"],
        heads["subreason"],
        metadata,
        offence_threshold=float(config["offence_threshold"]),
        media_threshold=float(config["media_threshold"]),
        encoder=encoder,
    )
