"""Follow-up questions, made to stand alone before retrieval.

"And how do I check it in RViz?" means nothing to a search index; after "How do I simulate a 16
beam 3D lidar with noise?" it is about the lidar. A question leans on the previous turn when it
opens like a continuation ("And ...", "What about ...") or names its subject only by a pronoun
and says little else; it is then searched together with the previous turn's subject (that turn's
own rarest content words, itself rewritten when it was a follow-up). A question that stands alone is
searched as it is. No model runs: the rewrite is deterministic, the same offline and online.
"""

from __future__ import annotations

import re

_CONTINUATION = re.compile(
    r"^\s*(and|but|also|so|then|or|plus|what about|how about|what if|same for|and what about)\b", re.I
)
_PRONOUN = re.compile(r"\b(it|its|it's|they|them|their|this|that|these|those|one|ones|there|he|she)\b", re.I)
_QUESTION_WORDS = {"how", "what", "which", "why", "when", "where", "who", "whom", "can", "could", "should"}
MAX_OWN_WORDS = 3  # a question with a pronoun and at most this many content words leans on the last turn
MAX_SUBJECT_WORDS = (
    3  # the previous turn's subject: its rarest content words, so it does not drown the question
)
_HOWTO_VERB = re.compile(
    r"^\s*(?:how|where|when|why)\s+(?:do|can|should|could|would|does|to)\s+(?:i|we|you)?\s*\w+", re.I
)


def _content_words(text: str) -> list[str]:
    """The words that carry a question's subject, in order, as written."""
    from bookctl.embedding import bm25

    stop = bm25().stopwords | _QUESTION_WORDS
    words = re.findall(r"[A-Za-z0-9][\w.+#/-]*[\w+#]|[A-Za-z0-9]", text)
    out: list[str] = []
    for w in words:
        if w.lower() not in stop and not _PRONOUN.fullmatch(w) and w not in out:
            out.append(w)
    return out


def leans_on_previous(question: str) -> bool:
    from bookctl.embedding import bm25

    own = set(bm25().tokens(question))
    if _CONTINUATION.search(question):
        return True
    if _PRONOUN.search(question) and len(own) <= MAX_OWN_WORDS:
        return True
    return len(own) <= 1


def rewrite(question: str, previous: list[str]) -> str:
    """The question to search with, given the conversation's earlier questions (oldest first): the
    question itself, or, when it leans on the last one, the question plus that turn's subject."""
    if not previous or not leans_on_previous(question):
        return question
    from bookctl.agent.terms import zipf

    last = _HOWTO_VERB.sub("", rewrite(previous[-1], previous[:-1]))  # "How do I simulate a lidar": a lidar
    mine = {w.lower() for w in _content_words(question)}
    words = [w for w in _content_words(last) if w.lower() not in mine]
    rarest = set(
        sorted(words, key=lambda w: (9.0 if w.isdigit() else zipf(w), words.index(w)))[:MAX_SUBJECT_WORDS]
    )
    extra = [w for w in words if w in rarest]
    return f"{question.rstrip()} ({' '.join(extra)})" if extra else question
