"""Extractive answers that read as answers.

A section's text is read as the book wrote it: paragraphs (cut into whole sentences), lists, code
blocks, tables, display formulas and admonitions. The units to quote are sentences; a sentence that
introduces what follows (it ends with ':', or precedes code in a how-to answer) carries that list,
code block, table or formula with it, within a size limit. Units are chosen by relevance to the
question and diversity among them (MMR over the bundled model's vectors plus word overlap); a unit of
another doc than the best one's, in a section retrieval ranked lower, must come closer to it than one
of the same doc (another chapter's sentence that shares words is filler), and a glossary entry is
quoted only for the term the question names. The chosen units are
written source by source, in the book's order within each source, the best source first; sentences
of one paragraph stay one paragraph, an admonition reads as one ("> **Warning:** ..."). Each
source's quote ends with its citation [n]. A unit never starts mid-sentence: a text that begins in
the middle of one (the second part of a long section) loses that fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bookctl.agent.offline.constants import EXTRACTIVE_NOTE

MAX_UNITS = 3  # quoted units per answer
MAX_CANDIDATES = 24  # units embedded per answer, pre-ranked by word overlap with the question
MAX_BLOCK_CHARS = 900  # a list, code block, table or formula longer than this is cut (at a line)
MAX_BLOCK_LINES = 16
MIN_WORDS = 4  # a sentence shorter than this is no answer on its own ("See below.")
MAX_WORDS = 80
HOWTO_CODE_BONUS = 0.08  # a how-to question prefers the unit that holds the command or code
RANK_BONUS = 0.12  # retrieval ranked the sections with titles and headings: the first one gets this much
KEEP_SHARE = 0.75  # a unit scoring below this share of the best one is not quoted
# ... and one from another doc than the best one's, in a section retrieval ranked lower, needs this
# much: an answer usually sits in one chapter (its other sections complete it), and a lower-ranked
# chapter's sentence that merely shares words reads as filler
OTHER_DOC_SHARE = 0.85
# a list the question asks for the items of is quoted whole up to this size (beyond it, cut at a line)
LIST_BLOCK_CHARS = 1500
LIST_BLOCK_LINES = 24

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9`*\[(\"'])")
_NOT_AN_END = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|Fig|fig|No|Dr|Mr|Ms|St)\.$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")
_LABEL = re.compile(r"^\*\*(?P<label>[A-Z][A-Za-z ]{1,20}):(?:\s*(?P<title>[^*]+?))?\*\*$")
# "This chapter explains ...", "In the following sections, we will introduce ...": about the text, no answer
_SIGNPOST = re.compile(
    r"^(?:this|the next|the following|in this|in the following|below,?)\s+(?:\w+\s+)?"
    r"(?:chapter|section|page|module|guide|part|tutorial|lesson|article)s?\b"
    r"|\bwe(?:'ll| will) (?:introduce|see|look|cover|learn|discuss|explore|walk)\b",
    re.I,
)
# a definition-list entry as the chunker renders it ("**Floating base** : The unactuated ..."): a
# glossary's definition of a term, an answer only when the question names that term
_DEFINITION = re.compile(r"^\*\*(?P<term>[^*]+)\*\*\s+:\s")
_STARTS_WELL = re.compile(r"^[A-Z0-9`*_\[(\"'$<>~\\]")
# "What are the ...", "Which ... are ...", "List ...", "... steps / stages / phases ...": the items of a list
_ASKS_ITEMS = re.compile(
    r"^\s*(?:what|which)\s+(?:are|were)\b|^\s*(?:list|name)\b|\b(?:steps|stages|phases)\b", re.I
)
_HOWTO = re.compile(
    r"^\s*(how\b|what (?:command|flag|option|setting)s?\b|which (?:command|flag|option|setting)s?\b)"
    r"|\b(command|flag|configure|install|set up|setup|enable|disable|run|write|create|add|define)\b",
    re.I,
)


@dataclass
class Block:
    kind: str  # "para", "list", "code", "table", "math", "label"
    lines: list[str]
    label: str = ""  # admonition label + title, for paragraphs inside an admonition

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Unit:
    """A quotable piece: a sentence, perhaps with the block it introduces."""

    source: int  # the result's citation number (0 in selection mode)
    rank: int  # the result's position in the retrieval (0 = first)
    block: int  # index of its paragraph among the source's blocks
    order: int  # position within the source, in book order
    sentence: str
    attached: str = ""  # the list, code, table or formula the sentence introduces
    label: str = ""  # "Warning: Match the versions" when the sentence is inside an admonition
    item: bool = False  # a list item quoted on its own
    whole: str = ""  # for a list item: its whole list (cut to the list size limit)
    doc: str = ""  # the doc of its section ("" in selection mode)
    score: float = 0.0
    vector: Any = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return self.sentence + ("\n" + self.attached if self.attached else "")


def blocks_of(text: str) -> list[Block]:
    """A chunk body as blocks, in order. An admonition's label line marks the paragraph after it."""
    out: list[Block] = []
    current: list[str] = []
    kind = ""
    fence = ""
    label = ""

    def flush() -> None:
        nonlocal current, kind
        if current:
            out.append(Block(kind, current, label if kind == "para" else ""))
        current, kind = [], ""

    for line in text.split("\n"):
        stripped = line.strip()
        if fence:
            current.append(line)
            if stripped.startswith(fence) and set(stripped) <= {fence[0]}:
                flush()
                fence = ""
            continue
        m = re.match(r"^\s*(`{3,}|~{3,})", line)
        if m:
            flush()
            fence, kind, current = m.group(1), "code", [line]
            continue
        if not stripped:
            if kind == "para":
                label = "" if not out or out[-1].kind != "label" else label
            flush()
            continue
        if kind == "math":
            current.append(line)
            if stripped.endswith("$$") and len(current) > 1:
                flush()
            continue
        if stripped.startswith("$$"):
            flush()
            kind, current = "math", [line]
            if stripped.endswith("$$") and len(stripped) > 2:
                flush()
            continue
        lm = _LABEL.match(stripped)
        if lm:
            flush()
            label = lm.group("label") + (f": {lm.group('title').strip()}" if lm.group("title") else "")
            out.append(Block("label", [line]))
            continue
        if stripped.startswith("|"):
            if kind != "table":
                flush()
                kind = "table"
            current.append(line)
            continue
        if _LIST_ITEM.match(line):
            if kind != "list":
                flush()
                kind = "list"
            current.append(line)
            continue
        if kind == "list" and line.startswith((" ", "\t")):
            current.append(line)  # a wrapped or nested line of the list
            continue
        if stripped.startswith(("#", "<")):
            flush()
            continue
        if kind not in ("para", ""):
            flush()
        kind = "para"
        current.append(stripped)
    flush()
    # a label applies to the paragraph right after it only
    for i, b in enumerate(out):
        if b.kind == "para" and not (i > 0 and out[i - 1].kind == "label"):
            b.label = ""
    return out


def split_sentences(paragraph: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(paragraph) if p.strip()]
    merged: list[str] = []
    for p in parts:  # "e.g. Foo" is not the start of a sentence
        if merged and _NOT_AN_END.search(merged[-1]):
            merged[-1] += " " + p
        else:
            merged.append(p)
    return merged


def _cut(block: Block, chars: int = MAX_BLOCK_CHARS, max_lines: int = MAX_BLOCK_LINES) -> str:
    """A block to attach, cut at a line when it is too long (a code fence stays closed)."""
    lines = block.lines
    if len("\n".join(lines)) <= chars and len(lines) <= max_lines:
        return block.text
    kept: list[str] = []
    for line in lines:
        if len(kept) >= max_lines - 2 or len("\n".join([*kept, line])) > chars - 40:
            break
        kept.append(line)
    if block.kind == "code":
        return "\n".join([*kept, "…", lines[-1]])
    if block.kind == "table":
        return "\n".join(kept)
    return "\n".join([*kept, "…"])


def _list_items(block: Block) -> list[str]:
    items: list[str] = []
    for line in block.lines:
        m = _LIST_ITEM.match(line)
        if m and not m.group(1):
            items.append(line[m.end() :].strip())
        elif items:
            items[-1] += " " + line.strip()
    return items


def units_of(text: str, source: int, *, howto: bool, rank: int = 0, items: bool = False) -> list[Unit]:
    """The quotable units of a text; `items`: the question asks for the items of a list, so a list
    is attached (or kept for its items) up to the larger list size limit."""
    blocks = blocks_of(text)
    limits = (LIST_BLOCK_CHARS, LIST_BLOCK_LINES) if items else (MAX_BLOCK_CHARS, MAX_BLOCK_LINES)
    units: list[Unit] = []
    order = 0
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "para":
            sentences = split_sentences(" ".join(block.lines))
            if i == 0 and sentences and not _STARTS_WELL.match(sentences[0]):
                sentences = sentences[1:]  # the text starts in the middle of a sentence
            for j, s in enumerate(sentences):
                last = j == len(sentences) - 1
                attach = ""
                if last and nxt is not None and nxt.kind in ("list", "code", "table", "math"):
                    if s.endswith(":") or (howto and nxt.kind == "code"):
                        attach = _cut(nxt, *(limits if nxt.kind == "list" else ()))
                words = len(s.split())
                if (words < MIN_WORDS and not attach) or words > MAX_WORDS or _SIGNPOST.search(s):
                    continue
                units.append(Unit(source, rank, i, order, s, attach, block.label))
                order += 1
        elif (block.kind == "table" or (block.kind == "code" and howto)) and not (
            i > 0 and blocks[i - 1].kind == "para"
        ):
            units.append(
                Unit(source, rank, i, order, "", _cut(block))
            )  # a table or code no sentence introduces
            order += 1
        elif block.kind == "list" and not (i > 0 and blocks[i - 1].kind == "para"):
            whole = _cut(block, *limits)
            for item in _list_items(block):  # a list no sentence introduces: its items
                if MIN_WORDS <= len(item.split()) <= MAX_WORDS:
                    units.append(Unit(source, rank, i, order, item, item=True, whole=whole))
                    order += 1
        elif block.kind == "list":
            prev = split_sentences(" ".join(blocks[i - 1].lines))
            if prev and not prev[-1].endswith(":"):  # a list after a plain paragraph: items too
                whole = _cut(block, *limits)
                for item in _list_items(block):
                    if MIN_WORDS <= len(item.split()) <= MAX_WORDS:
                        units.append(Unit(source, rank, i, order, item, item=True, whole=whole))
                        order += 1
    return units


def _asked_about(sentence: str, stems: set[str]) -> bool:
    """False for a definition-list entry of a term the question does not name (at least half of the
    term's words, or its acronym: "Model predictive control (MPC)" for "Why use MPC?")."""
    from bookctl.embedding import bm25

    m = _DEFINITION.match(sentence)
    if not m:
        return True
    term = set(bm25().tokens(m.group("term")))
    return (
        not term
        or len(term & stems) * 2 >= len(term)
        or any(
            len(set(bm25().tokens(part)) & stems) * 2 >= max(1, len(set(bm25().tokens(part))))
            for part in re.findall(r"\(([^)]+)\)", m.group("term"))
        )
    )


def is_howto(question: str) -> bool:
    return bool(_HOWTO.search(question))


def asks_items(question: str) -> bool:
    return bool(_ASKS_ITEMS.search(question))


def named_sections(question: str, results: list[dict[str, Any]]) -> set[int]:
    """The results (their "n") whose own heading the question names: every word of a heading of two
    or more ("What does a skill server do?": "A skill server"; "How is Nav2 organised?": "How Nav2 is
    organised"), or a one-word heading with a word of its parent ("What scenario does the capstone
    use?": "Capstone > The scenario"), and these are most of the question's content words ("What is
    the penalty for a late lab report?" does not name "Lab reports"; on the tuning sets' retrieved
    sections, two thirds of a heading's words named 167, 59 of them not the expected section; this
    rule names 20, 3 not the expected one, two of them in one question that names both). Quoted only
    when it is the one named. A doc's opening (no anchor) has no heading of its own."""
    from bookctl.embedding import bm25

    asked = set(bm25().tokens(question))
    named: set[int] = set()
    for r in results:
        if not r.get("anchor"):
            continue
        path = re.sub(r" \(version [^)]*\)$", "", str(r.get("where", ""))).split(" > ")
        heading = set(bm25().tokens(path[-1]))
        parent = set(bm25().tokens(path[-2])) if len(path) > 1 else set()
        shared = heading & asked
        if len(heading) >= 2 and shared == heading:
            cover = shared
        elif len(heading) == 1 and shared and parent & asked:
            cover = (heading | parent) & asked
        else:
            continue
        if 2 * len(cover) > len(asked):
            named.add(int(r["n"]))
    return named


def _whole_lists(picked: list[Unit], items: bool) -> list[Unit]:
    """Items of one list chosen on their own read as a list cut short: two or more of them (one when the
    question asks for the items) become the whole list, once, where its first chosen item stood."""
    out: list[Unit] = []
    done: set[tuple[int, int]] = set()
    for u in picked:
        key = (u.source, u.block)
        if not (u.item and u.whole):
            out.append(u)
            continue
        if key in done:
            continue
        siblings = [v for v in picked if v.item and (v.source, v.block) == key]
        if len(siblings) >= 2 or items:
            done.add(key)
            out.append(
                Unit(
                    u.source,
                    u.rank,
                    u.block,
                    min(v.order for v in siblings),
                    "",
                    u.whole,
                    doc=u.doc,
                    score=max(v.score for v in siblings),
                    vector=u.vector,
                )
            )
        else:
            out.append(u)
    return out


def choose(question: str, units: list[Unit], named: set[int] | None = None) -> list[Unit]:
    """MMR over the units: relevance to the question, minus redundancy with those already chosen.
    When the question names one section (`named`, by source: named_sections), only it is quoted."""
    named = named or set()
    import numpy as np

    from bookctl.agent.offline.vectors import embed
    from bookctl.embedding import bm25

    stems = set(bm25().tokens(question))
    units = [u for u in units if _asked_about(u.sentence, stems)]
    if not units:
        return []
    everything = units
    if len(named) == 1 and any(u.source in named for u in units):
        # the question names one section: quote it, not its neighbours ("How is Nav2 organised?" is
        # answered by "How Nav2 is organised", whatever sentence elsewhere is closer to its words)
        units = [u for u in units if u.source in named]
    overlaps = [len(set(bm25().tokens(u.text)) & stems) / max(1, len(stems)) for u in units]
    if len(units) > MAX_CANDIDATES:  # keep the best by overlap, in their original order
        keep = sorted(sorted(range(len(units)), key=lambda i: -overlaps[i])[:MAX_CANDIDATES])
        units = [units[i] for i in keep]
        overlaps = [overlaps[i] for i in keep]
    # embed the sentence with the start of what it introduces (the model's window is short)
    vectors = embed([question] + [(u.sentence + " " + u.attached[:300]) for u in units])
    q, uv = vectors[0], vectors[1:]
    howto = is_howto(question)
    relevance = 0.7 * (uv @ q) + 0.3 * np.array(overlaps)
    for i, u in enumerate(units):
        u.vector = uv[i]
        u.score = (
            float(relevance[i])
            + (HOWTO_CODE_BONUS if howto and "```" in u.attached else 0.0)
            + RANK_BONUS * max(0.0, 1 - u.rank / 4)
        )
    chosen: list[int] = []
    while len(chosen) < min(MAX_UNITS, len(units)):
        best, best_score = -1, -1e9
        for i, u in enumerate(units):
            if i in chosen:
                continue
            redundancy = max((float(uv[i] @ uv[j]) for j in chosen), default=0.0)
            score = 0.75 * u.score - 0.25 * redundancy
            if score > best_score:
                best, best_score = i, score
        if chosen:
            top = units[chosen[0]]
            candidate = units[best]
            anchor = max(
                (u for u in units if not _DEFINITION.match(u.sentence)), key=lambda u: u.score, default=top
            )
            elsewhere = (
                candidate.doc != anchor.doc
                and candidate.rank > anchor.rank
                and not _DEFINITION.match(candidate.sentence)
            )
            if candidate.score < (OTHER_DOC_SHARE if elsewhere else KEEP_SHARE) * top.score:
                break
        chosen.append(best)
    picked = [units[i] for i in chosen]
    for u in list(picked):  # a sentence followed in its paragraph by the lead-in of a list or code: both
        lead = next(
            (
                v
                for v in everything
                if v.source == u.source and v.block == u.block and v.attached and 0 < v.order - u.order <= 2
            ),
            None,
        )
        if lead is not None and lead not in picked:
            picked.append(lead)
    return _whole_lists(picked, asks_items(question))


def _cite(text: str, n: int) -> str:
    """Put [n] at the end of a sentence, before a closing colon ("... in order: [1]" reads as a stub)."""
    if not n:
        return text
    if text.endswith(":"):
        return f"{text[:-1]} [{n}]:"
    return f"{text} [{n}]"


def render(chosen: list[Unit]) -> str:
    """The chosen units, source by source (best source first), in book order within each."""
    by_source: dict[int, list[Unit]] = {}
    for u in sorted(chosen, key=lambda u: -u.score):
        by_source.setdefault(u.source, [])
    for u in chosen:
        by_source[u.source].append(u)
    paragraphs: list[str] = []
    for source, units in by_source.items():
        units.sort(key=lambda u: u.order)
        groups: list[list[Unit]] = []
        for u in units:  # sentences of one paragraph (and one admonition) stay together
            if (
                groups
                and groups[-1][-1].block == u.block
                and not groups[-1][-1].attached
                and not u.item
                and u.sentence
                and groups[-1][-1].sentence
            ):
                groups[-1].append(u)
            else:
                groups.append([u])
        for group in groups:
            if group[0].item:
                lines = [f"- {u.sentence}" for u in group]
                lines[-1] = _cite(lines[-1], source)
                paragraphs.append("\n".join(lines))
                continue
            if not group[0].sentence:  # a table or code no sentence introduces, then its citation
                paragraphs.append(group[0].attached + (f"\n\n[{source}]" if source else ""))
                continue
            sentence = _cite(" ".join(u.sentence for u in group), source)
            if group[0].label:
                paragraphs.append(f"> **{group[0].label}.** {sentence}".replace(":.**", ":**"))
            else:
                paragraphs.append(sentence)
            if group[-1].attached:
                paragraphs.append(group[-1].attached)
    return "\n\n".join(paragraphs)


def compose(question: str, results: list[dict[str, Any]]) -> str | None:
    """An extractive answer from the retrieved results (each with "n" and "text"); None when no
    result holds a sentence worth quoting."""
    howto, items = is_howto(question), asks_items(question)
    named = named_sections(question, results[:5])
    # the first four results, and a fifth whose heading the question names
    quoted = [r for i, r in enumerate(results[:5]) if i < 4 or r["n"] in named]
    units = [
        u
        for rank, r in enumerate(quoted)
        for u in units_of(r["text"], r["n"], howto=howto, rank=rank, items=items)
    ]
    for u in units:
        u.doc = next((str(r.get("doc_id", "")) for r in results if r["n"] == u.source), "")
    if not units:
        return None
    chosen = choose(question, units, named)
    return (render(chosen) + "\n\n" + EXTRACTIVE_NOTE) if chosen else None


# --- selected passages ------------------------------------------------------------------------------

_ABOUT_THE_PASSAGE = re.compile(
    r"\b(what (does|do) (this|that|it|these)( (passage|text|section|paragraph|part|sentences?|lines?|bit))? "
    r"(mean|say)|what is (this|that|it)( (passage|text|section|paragraph))? (saying|about)|mean(ing)? of (this|that)|"
    r"explain|summari[sz]e|summary|tl;?dr|rephrase|paraphrase|simplify|clarify|break (this|it) down|"
    r"in (plain|simple|other) (words|terms|english)|eli5|key (points|ideas)|main (point|idea)s?)\b",
    re.I,
)


def about_the_passage(question: str) -> bool:
    """'What does this mean?', 'Explain this', 'Summarise this passage': a question about the passage
    itself rather than one it may or may not answer."""
    from bookctl.embedding import bm25

    if _ABOUT_THE_PASSAGE.search(question):
        return True
    content = set(bm25().tokens(question)) - {"passag", "text", "section", "paragraph", "mean", "select"}
    return not content  # "What is this?", "And this?"


def key_sentences(passage: str, k: int = MAX_UNITS) -> str | None:
    """The passage's most central sentences (closest to its mean vector, the first one favoured), in
    the passage's order, with what they introduce."""
    import numpy as np

    from bookctl.agent.offline.vectors import embed

    units = units_of(passage, 0, howto=False)
    if not units:
        return None
    vectors = embed([u.sentence for u in units])
    centre = vectors.mean(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-9)
    scores = vectors @ centre + np.array([0.05 if i == 0 else 0.0 for i in range(len(units))])
    for u, s in zip(units, scores, strict=True):
        u.score = float(s)
    chosen = sorted(sorted(units, key=lambda u: -u.score)[:k], key=lambda u: u.order)
    return render(chosen)
