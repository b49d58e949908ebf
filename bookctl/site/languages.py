"""Which of a site's locales a text is written in: the one rule `search`, `ask` and the chat use to
answer a question in another language from that locale's docs when no locale is given.

Chinese, Japanese and Korean by their script (see question_locale); other languages by py3langid
(langid.py's maintained fork: its model ships in the package, 4.6 MB, numpy only), restricted to the
languages of the site's locales, so an English question on a French site is only ever weighed as
English or French. Text with no letters (code, numbers) stays in the default locale, and so does a
question py3langid is not sure of. Chinese in two scripts (zh-Hans and zh-Hant on one site) is told
apart by hanzidentifier (CC-CEDICT's character tables; text written the same in both scripts reads as
zh-Hans). `scripts/language_id.py` measures the rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

# Han ideographs (with extension A and the compatibility block), kana, Hangul
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = r"\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HANGUL = r"\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
CJK_RE = re.compile(f"[{_HAN}{_KANA}{_HANGUL}]")
_KANA_RE = re.compile(f"[{_KANA}]")
_HANGUL_RE = re.compile(f"[{_HANGUL}]")
_LETTER_RE = re.compile(r"[^\W\d_]")

# Languages written without spaces between words: their text is cut into bigrams for BM25
# (bookctl.embedding.BM25.cjk_tokens)
CJK_LANGUAGES = frozenset({"zh", "ja"})

# Below this probability (normalised over the site's languages) a question stays in the default locale.
MIN_PROBABILITY = 0.9

# Regions written in traditional characters (CLDR's likely subtags: zh-TW -> zh-Hant-TW, ...)
_HANT_REGIONS = {"tw", "hk", "mo"}


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


def script_language(text: str) -> str | None:
    """The language the script alone names: kana -> ja, Hangul -> ko, Han without kana -> zh."""
    if _KANA_RE.search(text):
        return "ja"
    if _HANGUL_RE.search(text):
        return "ko"
    return "zh" if has_cjk(text) else None


def language_of(locale: str) -> str:
    return locale.replace("_", "-").split("-")[0].lower()


def _script_of(locale: str) -> str:
    """'Hans' or 'Hant' for a Chinese locale (its script subtag, else its region, else Hans)."""
    parts = [p.lower() for p in locale.replace("_", "-").split("-")[1:]]
    if "hant" in parts or any(p in _HANT_REGIONS for p in parts):
        return "Hant"
    return "Hans"


def locale_for_tag(tag: str, locales: Sequence[str]) -> str | None:
    """The locale of `locales` a language tag (`--locale`, a browser's Accept-Language) names: the
    same code in any case, else the one locale of its language (fr-CH -> fr), Chinese by the tag's
    script or region (zh-TW -> zh-Hant, zh-CN -> zh-Hans). None when the site has none."""
    exact = [loc for loc in locales if loc.casefold() == tag.casefold()]
    if exact:
        return exact[0]
    language = language_of(tag)
    same = [loc for loc in locales if language_of(loc) == language]
    if len(same) > 1:
        by_script = [loc for loc in same if _script_of(loc) == _script_of(tag)]
        same = by_script or same
    return same[0] if same else None


def match_locale(language: str, text: str, locales: Sequence[str]) -> str | None:
    """The locale of `locales` that `language` (an ISO 639-1 code) names for `text`; several of one
    language (zh-Hans / zh-Hant) are told apart by the text's script. None when the site has none."""
    same = [loc for loc in locales if language_of(loc) == language]
    if len(same) <= 1:
        return same[0] if same else None
    if language == "zh":
        import hanzidentifier

        kind = hanzidentifier.identify(text)
        script = "Hant" if kind == hanzidentifier.TRADITIONAL else "Hans"
        by_script = [loc for loc in same if _script_of(loc) == script]
        if by_script:
            return by_script[0]
    exact = [loc for loc in same if loc.lower() == language]
    return exact[0] if exact else same[0]


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str, languages: Sequence[str]) -> tuple[str | None, float]:
    """The most likely of `languages` (ISO 639-1 codes) and its probability normalised over those of
    them py3langid knows; (None, 0.0) for text with no letters. The model is never restricted in
    place (py3langid's set_languages), so threads may share it."""
    if not _LETTER_RE.search(text):
        return None, 0.0
    wanted = set(languages)
    ranked = [(lang, p) for lang, p in _identifier().rank(text) if lang in wanted]
    total = sum(p for _, p in ranked)
    if not ranked or total <= 0:
        return None, 0.0
    lang, p = ranked[0]
    return str(lang), float(p / total)


def question_locale(text: str, locales: Sequence[str], default: str) -> str:
    """The locale of `locales` whose language `text` is written in, else `default`: a question in
    Japanese on a site with `ja` docs is answered from them; an English one (or one that names no
    language: code, names) stays in `default`.

    Chinese, Japanese and Korean are told by their script, which no other language shares: kana is
    Japanese, Hangul Korean, Han characters with neither Chinese when the site has Chinese docs (a
    Japanese question nearly always has kana; a short Japanese heading of kanji alone may not, and
    reads as Chinese), else Japanese. Other text is weighed by py3langid among the site's other
    languages and moves only when it is at least MIN_PROBABILITY sure."""
    if len(locales) < 2 or not text.strip():
        return default
    languages = {language_of(loc) for loc in locales}
    script = script_language(text)
    if script == "zh" and "zh" not in languages:
        script = "ja"
    if script is not None:
        return match_locale(script, text, locales) or default
    others = sorted(languages - {"zh", "ja", "ko"})
    if len(others) < 2:  # the default's language alone (or none): nothing to weigh
        return default
    language, prob = detect(text, others)
    if language is None or prob < MIN_PROBABILITY or language == language_of(default):
        return default
    return match_locale(language, text, locales) or default
