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

Two kinds of near miss are named by common words, which the book may hold for other things:
- a name of several words ("Home Assistant", "Google Cloud", "GitLab Pages", "Weights & Biases"): each
  word may be in the book, so the name counts as mentioned only when its words stand together, in
  order, at most one word apart;
- a common-word term ("knowledge distillation", "a lateral join", "a cookie consent banner"): a run of
  two or more lowercase content words in noun position, one of which the book never uses. A reader's
  paraphrase has such a word too ("an AMD graphics card" where the book says GPU, "a reasonable
  substitute" where it says proxy), so the word counts as missing only when no word of the retrieved
  text means about the same (cosine of the bundled model's word vectors below SYNONYM_COSINE).
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
NAME_GAP = 1  # the words of a multi-word name stand at most this many words apart ("Apple's Vision Pro")
# a word of a common-word term the book never uses, and this rare in English, is missing: "genetic"
# (4.3), "consent" (4.4), "lateral" (3.8); "system" or "model" (above 5) are never missing, paraphrase
# or not
TERM_ZIPF = 4.5
# ... unless a word of the retrieved text is this close to it (the bundled model's vectors of the single
# words): "graphics" / "gpu" 0.58, "substitute" / "replaced" 0.58, "classifiers" / "classify" 0.77,
# against "distillation" 0.31, "lateral" 0.38, "replica" 0.40, "consent" 0.42 at best for near misses
SYNONYM_COSINE = 0.5
SYNONYM_TEXTS = 3  # the retrieved texts whose words may stand for a missing one

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


# --- names and terms of several words -------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’]*(?:[._/+#-][A-Za-z0-9]+)*|&")
_NAME_JOINERS = {"&", "of", "a", "de"}  # inside a name: "Weights & Biases", "Buy Me a Coffee"
_DETERMINERS = {"a", "an", "the", "my", "your", "its", "our", "their", "this", "that", "these", "those"}
# a content word right after one of these is a verb ("How do I localise", "it can greet", "to build")
_BEFORE_A_VERB = {"i", "you", "we", "they", "it", "to", "can", "could", "should", "would", "will", "must"}


def name_phrases(question: str) -> list[str]:
    """The question's names of two or more words: runs of name-shaped words ("Home Assistant", "Google
    Cloud SQL", "Weights & Biases", "MoveIt 2"); none in a Title Case question."""
    if _shape_says_nothing(question):
        return []
    out: list[str] = []
    run: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if len([w for w in run if w.lower() not in _NAME_JOINERS]) >= 2:
            out.append(" ".join(run))
        run.clear()
        pending.clear()

    for m in _WORD.finditer(question):
        token = re.sub(r"['’]s$", "", m.group(0))
        if run and token.lower() in _NAME_JOINERS:
            pending.append(token)
            continue
        at_start = bool(_SENTENCE_START.search(question[: m.start()]))
        if (token.isdigit() and run) or (not token.isdigit() and _name_shaped(token, at_start)):
            run.extend([*pending, token])
            pending.clear()
            continue
        flush()
    flush()
    return out


def _sequence(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]


def _same_word(a: str, b: str) -> bool:
    return a == b or (a[:3] == b[:3] and _inflected(a, b))


def phrase_in(phrase: str, text: str, gap: int = NAME_GAP) -> bool:
    """Whether `text` holds the phrase's words in order, each at most `gap` words after the one before."""
    words = [w for w in _sequence(phrase) if w not in _NAME_JOINERS]
    sequence = _sequence(text)
    for i, w in enumerate(sequence):
        if not words or not _same_word(words[0], w):
            continue
        at = i
        for word in words[1:]:
            nxt = next(
                (j for j in range(at + 1, min(len(sequence), at + 2 + gap)) if _same_word(word, sequence[j])),
                None,
            )
            if nxt is None:
                break
            at = nxt
        else:
            return True
    return False


def term_runs(question: str) -> list[list[str]]:
    """Runs of two or more lowercase content words in noun position ("a particle filter", "cursor-based
    pagination"): not right after a subject or "to" (a verb), not an adverb, not ending before a
    determiner ("the fingers squeeze a mug": "squeeze" is a verb)."""
    from bookctl.embedding import bm25

    stopwords = bm25().stopwords
    runs: list[list[str]] = []
    run: list[str] = []
    previous = ""
    first = True
    for m in _WORD.finditer(question):
        token = m.group(0)
        low = token.lower()
        parts = low.split("-") if re.fullmatch(r"[a-z]+(?:-[a-z]+)+", low) else [low]
        at_start = bool(_SENTENCE_START.search(question[: m.start()]))
        # a word or a name inside the run ("an unscented Kalman filter"), not the sentence's first word
        content = (token == low or (run and not at_start and _name_shaped(token, at_start))) and all(
            p.isalpha() and len(p) >= 3 and p not in stopwords and not p.endswith("ly") for p in parts
        )
        if content and not run and previous in _BEFORE_A_VERB and not first:
            content = False  # "How do I localise ...", but "Can ultrasonic sensors ..." asks
        if content:
            run.extend(parts)
        else:
            if run and low in _DETERMINERS:
                del run[-1:]  # its last word takes an object: a verb
            if len(run) >= 2:
                runs.append(run)
            run = []
        previous, first = low, at_start and not content
    if len(run) >= 2:
        runs.append(run)
    return runs


def _has_synonym(word: str, texts: list[str]) -> bool:
    """Whether a word of `texts` means about the same as `word` (the bundled model's vectors)."""
    from bookctl.embedding import bm25, dense_embedder

    stopwords = bm25().stopwords
    candidates = sorted(
        {w.lower() for t in texts for w in re.findall(r"[A-Za-z]{3,}", t)} - stopwords - {word}
    )
    if not candidates:
        return False
    vectors = dense_embedder().embed_batch([word, *candidates])
    return float((vectors[1:] @ vectors[0]).max()) >= SYNONYM_COSINE


def missing_terms(
    query: str, search: Callable[[str], Iterable[Hit]], retrieved: Iterable[Hit] = ()
) -> list[str]:
    """The query's specific terms that no text of the book mentions: not the texts retrieved for the
    query, nor those a BM25 search for the term finds (`search(term)`; a term the book holds ranks its
    chunks first, though BM25 sees "Unix" in "UNIX_TIMESTAMP" no more than in any other word). Then
    its names of several words whose words never stand together, and, when nothing else is missing,
    its common-word terms with a word the book never uses and nothing retrieved stands for (see the
    module's doc). A name replaces the single words of it that are missing too ("Drizzle ORM", not
    "Drizzle")."""
    hits = list(retrieved)
    seen = [h.text for h in hits]

    def nowhere(word: str) -> bool:
        return not any(mentions(word, text) for text in seen) and not any(
            mentions(word, h.text) for h in search(word)
        )

    missing = [t for t in specific_terms(query) if nowhere(t)]
    for phrase in name_phrases(query):
        if any(phrase_in(phrase, text) for text in seen) or any(
            phrase_in(phrase, h.text) for h in search(phrase)
        ):
            continue
        inside = [t for t in missing if t in phrase.split()]
        missing = [t for t in missing if t not in inside]
        missing.append(phrase)
    if missing:  # a name the book lacks settles it; a common-word term is the weaker evidence
        return missing
    for run in term_runs(query):
        absent = [w for w in run if zipf(w) < TERM_ZIPF and not _generic_compound(w) and nowhere(w)]
        if absent and not any(_has_synonym(w, seen[:SYNONYM_TEXTS]) for w in absent):
            missing.append(" ".join(run))
    return missing
