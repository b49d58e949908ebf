"""The paraphrased question sets of yew-site's translations (tests/gold/multilingual/, issue 14
item 7): every expected section is a section of that locale's 0.23 view, no section is asked twice,
and each question's half is the fixed hash split (scripts/language_id.py's `half`) it records."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from bookctl.chunking import chunk_views
from bookctl.config import load_settings
from bookctl.site.loader import load_views

HERE = Path(__file__).resolve().parent
GOLD = HERE.parent / "gold" / "multilingual"
YEW = HERE.parent / "corpora" / "yew-site" / "website"
LOCALES = ["ja", "zh-Hans", "zh-Hant"]


def half(text: str) -> str:
    return "tune" if hashlib.sha256(text.encode()).digest()[0] % 2 == 0 else "held"


@pytest.fixture(scope="module")
def sections() -> dict[str, set[tuple[str, str]]]:
    views = [
        v
        for v in load_views(load_settings({"site": YEW}, env={}))
        if v.instance == "default" and v.version == "0.23" and v.locale in LOCALES
    ]
    return {v.locale: {(c.doc_id, c.anchor) for c in chunk_views([v]) if c.anchor} for v in views}


@pytest.mark.parametrize("locale", LOCALES)
def test_questions_point_at_sections_of_their_locale(
    locale: str, sections: dict[str, set[tuple[str, str]]]
) -> None:
    data = yaml.safe_load((GOLD / f"yew-{locale}-questions.yaml").read_text(encoding="utf-8"))
    assert data["locale"] == locale and data["version"] == "0.23"
    questions = data["questions"]
    assert len(questions) >= 40
    expected = [(q["expect"]["doc"], q["expect"]["anchor"]) for q in questions]
    assert len(set(expected)) == len(expected)
    assert set(expected) <= sections[locale], set(expected) - sections[locale]
    assert [q["half"] for q in questions] == [half(q["question"]) for q in questions]
    assert {q["half"] for q in questions} == {"tune", "held"}
