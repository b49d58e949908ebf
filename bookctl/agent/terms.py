"""The specific terms of a question, and whether the book mentions them.

A near-miss question names a thing of the book's own domain that the book never mentions ("How
do I simulate my humanoid in Webots?"): meaning and most of its words match the book, only the
name does not. The name is what carries the question, so its absence is the evidence to abstain
on. A term is *specific* when it is shaped like a name (capitalised inside the sentence, an acronym,
a version, an identifier) and not a common word (wordfreq's English list: "Drizzle" is below 1 in
10,000 words), or when a lowercase word is no English word at all ("webots", "pgvector"; but not
"classifiers" or "sitewide", which a book may simply put otherwise).
Whether the book mentions it is asked of the index itself (a BM25 search for the term, then the
word checked in the texts found), so it is exact for each index with nothing stored beside it.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from bookctl.index.base import Hit

RARE_ZIPF = 3.0  # a plain word below this Zipf frequency (under 1 per million words) is specific
# a name-shaped word (Capitalised mid-sentence, ACRONYM, v2, snake_case) below this is specific: a
# name may be a common word ("deploy on Railway", 4.5; "Amazon Redshift"), and whether the book
# mentions it is asked of the book, so a common word the book uses ("Unity", "React") costs nothing
NAME_ZIPF = 5.0
TITLE_CASE_ZIPF = 4.5  # words this common are capitalised only in a Title Case question
ENGLISH_ZIPF = 1.5  # a lowercase word this frequent in the large list is English ("classifiers"), no name
COMPOUND_ZIPF = 3.5  # "sitewide", "chatbots": two common words joined, a generic word, not a name
# the word endings that make "Webots" match "Webot", "policies" "policy", "swizzling" "swizzle" (never
# "content" for "Contentful" or "material" for "materialized")
_INFLECTIONS = ("", "s", "es", "ed", "d", "ing", "er", "ers", "ies", "ied", "y", "e")
MENTION_HITS = 8  # BM25 hits read to decide whether the book mentions a term

# A word, an identifier (ros2_control, docusaurus.config.js, Fly.io, TRAC-IK) or a flag (--port).
_TOKEN = re.compile(r"(?:--?)?[A-Za-z0-9][A-Za-z0-9]*(?:[._/+#-][A-Za-z0-9]+)*\+*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)\s*[\"'(`]*$")


def _buckets(name: str) -> list[list[str]]:
    """The words of one of wordfreq's lists, bucket i holding those of frequency 10^(-i/100)."""
    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"{name}.msgpack.gz"
    with gzip.open(path) as fh:
        header, *buckets = msgpack.load(fh, raw=False)
    return buckets if isinstance(header, dict) and header.get("format") == "cB" else []


@cache
def _english_words() -> frozenset[str]:
    """The words of wordfreq's large English list down to ENGLISH_ZIPF (about 0.4 s to read, so only
    when a rare lowercase word needs it): "classifiers" and "quadruped" are English, "webots" is not."""
    last = round((9 - ENGLISH_ZIPF) * 100)
    return frozenset(word for bucket in _buckets("large_en")[: last + 1] for word in bucket)


@cache
def _zipf_table() -> dict[str, float]:
    """wordfreq's small English list (about 29,000 words at or above Zipf 3), read from the data file
    the package ships: importing wordfreq itself takes 0.7 s (it sets up tokenizers for many
    languages), reading this file 0.05 s. tests/eval/test_terms.py checks it against wordfreq's API."""
    # bucket i holds the words of frequency 10^(-i/100); Zipf = log10(frequency per billion words)
    return {word: round(9 - i / 100, 2) for i, bucket in enumerate(_buckets("small_en")) for word in bucket}


def zipf(word: str) -> float:
    """Zipf frequency of a word in general English (0 when below wordfreq's small list)."""
    return _zipf_table().get(word.lower(), 0.0)


def _name_shaped(token: str, at_start: bool) -> bool:
    core = token.lstrip("-")
    if any(c.isdigit() for c in core) or "_" in core or token.startswith("-"):
        return True
    letters = [c for c in core if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True  # LQR, MQTT, OAK-D
    if any(c.isupper() for c in core[1:]):
        return True  # GitHub, MuJoCo, tRPC, macOS
    return core[:1].isupper() and not at_start


def _common(word: str) -> bool:
    singular = word[:-1] if len(word) >= 4 and word.endswith("s") else word
    return len(word) >= 3 and max(zipf(word), zipf(singular)) >= COMPOUND_ZIPF


def _generic_compound(word: str) -> bool:
    """Two common English words run together ("sitewide", "chatbots", "webhook"): a generic word the
    book may put differently, so not a name whose absence settles anything."""
    return any(_common(word[:i]) and _common(word[i:]) for i in range(3, len(word) - 2))


def _split(token: str) -> list[str]:
    """A lowercase hyphenated compound (real-time, sim-to-real) is its words; identifiers stay whole."""
    if "-" in token.strip("-") and not token.startswith("-") and re.fullmatch(r"[a-z]+(?:-[a-z]+)+", token):
        return token.split("-")
    return [token]


def _shape_says_nothing(question: str) -> bool:
    """A question in Title Case ("How Do I Deploy To Railway") or in capitals: a capital is no sign of
    a name there. Told by its common words (the first one aside): in a plain question only names are
    capitalised, and names are rarely this common."""
    common = [w for w in re.findall(r"[A-Za-z]{2,}", question)[1:] if zipf(w) >= TITLE_CASE_ZIPF]
    return len(common) >= 3 and sum(w[0].isupper() for w in common) / len(common) >= 0.75


def specific_terms(question: str, name_zipf: float = NAME_ZIPF) -> list[str]:
    """The question's rare, content-bearing terms, in order (a product, tool, format, flag); a
    name-shaped word counts below `name_zipf`."""
    from bookctl.embedding import bm25

    stopwords = bm25().stopwords
    if _shape_says_nothing(question):  # Title Case or SHOUTED: capitals mark no name
        question = question.lower()
    out: list[str] = []
    for m in _TOKEN.finditer(question):
        at_start = bool(_SENTENCE_START.search(question[: m.start()]))
        for token in _split(re.sub(r"'s$", "", m.group(0))):
            word = token.lower().strip("-")
            if len(word) < 2 or word in stopwords or word.isdigit():
                continue
            identifier = bool(re.search(r"[._/+#-]", token.strip("-")))
            frequency = 0.0 if identifier else zipf(word)
            if _name_shaped(token, at_start):
                specific = frequency < name_zipf
            else:
                specific = (
                    frequency < RARE_ZIPF and not _generic_compound(word) and word not in _english_words()
                )
            if specific and token not in out:
                out.append(token)
    return out


def _words(text: str) -> set[str]:
    """The words of a text, lowercased; an identifier also gives its parts (UNIX_TIMESTAMP: unix)."""
    words = {w.lower() for w in re.findall(r"[A-Za-z0-9_]+", text)}
    return words | {part for w in words if "_" in w for part in w.split("_") if part}


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _inflected(a: str, b: str) -> bool:
    """The same word with another ending: webots/webot, policies/policy, swizzling/swizzle."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= 3 and a[n:] in _INFLECTIONS and b[n:] in _INFLECTIONS


def mentions(term: str, text: str) -> bool:
    """Whether `text` mentions `term`: an identifier by its letters and digits (fly.io, TRAC-IK), a word
    by itself or with another inflectional ending."""
    if re.search(r"[._/+#-]", term.strip("-")):
        return _alnum(term) in _alnum(text)
    word = term.lower().strip("-")
    words = _words(text)
    return word in words or any(_inflected(word, w) for w in words if w[:3] == word[:3])


def missing_terms(
    query: str, search: Callable[[str], Iterable[Hit]], retrieved: Iterable[Hit] = ()
) -> list[str]:
    """The query's specific terms that no text of the book mentions: not the texts retrieved for the
    query, nor those a BM25 search for the term finds (`search(term)`; a term the book holds ranks its
    chunks first, though BM25 sees "Unix" in "UNIX_TIMESTAMP" no more than in any other word)."""
    seen = [h.text for h in retrieved]
    return [
        t
        for t in specific_terms(query)
        if not any(mentions(t, text) for text in seen) and not any(mentions(t, h.text) for h in search(t))
    ]
