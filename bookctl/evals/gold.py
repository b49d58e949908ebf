"""Gold sets: the questions a book must answer (or must not), with the docs and sections that answer them.

Format (YAML):

    corpus: <name>
    questions:
      - id: q001
        question: "How do I ...?"
        expect:              # [] means the book does not answer it: the assistant must abstain
          - doc: <doc id, as Docusaurus computes it>
            section: <optional: heading text the answer sits under, as rendered>
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bookctl.errors import InputError

if TYPE_CHECKING:
    from bookctl.site.model import Site


@dataclass
class Expected:
    doc: str
    section: str | None = None


@dataclass
class GoldQuestion:
    id: str
    question: str
    expect: list[Expected]

    @property
    def answerable(self) -> bool:
        return bool(self.expect)


@dataclass
class GoldSet:
    corpus: str
    questions: list[GoldQuestion]
    path: Path


def load_gold(path: Path) -> GoldSet:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the gold set {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(
            f"{where}: invalid YAML in the gold set", fix="see the format in `bookctl eval --help`"
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("questions"), list):
        raise InputError(f"{path}: a gold set needs `corpus:` and a `questions:` list")
    questions: list[GoldQuestion] = []
    seen: set[str] = set()
    for n, item in enumerate(raw["questions"], 1):
        qid = str(item.get("id", "")) if isinstance(item, dict) else ""
        label = f"{path}: question {qid or f'#{n}'}"
        if not qid or not isinstance(item.get("question"), str) or not item["question"].strip():
            raise InputError(f"{label}: needs an `id` and a non-empty `question`")
        if qid in seen:
            raise InputError(f"{label}: duplicate id")
        seen.add(qid)
        expect = item.get("expect")
        if not isinstance(expect, list):
            raise InputError(f"{label}: `expect` must be a list ([] when the book does not answer it)")
        parsed = []
        for e in expect:
            if not isinstance(e, dict) or not isinstance(e.get("doc"), str):
                raise InputError(f"{label}: each expectation needs `doc: <doc id>`")
            section = e.get("section")
            parsed.append(Expected(e["doc"], str(section) if section is not None else None))
        questions.append(GoldQuestion(qid, item["question"].strip(), parsed))
    return GoldSet(str(raw.get("corpus", path.stem)), questions, path)


def validate_against_site(gold: GoldSet, site: Site) -> None:
    docs = {d.id: d for d in site.docs}
    problems = []
    for q in gold.questions:
        for e in q.expect:
            if e.doc not in docs:
                close = difflib.get_close_matches(e.doc, list(docs), n=2, cutoff=0.5)
                problems.append(
                    f"{q.id}: unknown doc {e.doc!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
                )
            elif e.section is not None and e.section not in {h.text for h in docs[e.doc].headings}:
                close = difflib.get_close_matches(
                    e.section, [h.text for h in docs[e.doc].headings], n=1, cutoff=0.4
                )
                problems.append(
                    f"{q.id}: {e.doc} has no heading {e.section!r}"
                    + (f" (did you mean {close[0]!r}?)" if close else "")
                )
    if problems:
        raise InputError(
            f"{gold.path}: " + "; ".join(problems[:8]) + (" ..." if len(problems) > 8 else ""),
            fix="use doc ids and headings as `bookctl chapters --json` lists them",
        )
