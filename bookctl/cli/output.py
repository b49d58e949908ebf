"""How the CLI writes to a terminal or a pipe: one Console factory and one cleaner for untrusted text."""

from __future__ import annotations

import re
import unicodedata

from rich.console import Console

# Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what follows them on
# screen: a label "abc\u202egpj.exe" reads "abcexe.jpg". Other control characters move the cursor.
_UNSAFE = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def console(*, stderr: bool = False) -> Console:
    """A Console for book text: no emoji codes (":x:" stays ":x:"), and no wrapping into a pipe, so a
    URL or a JSON-ish line reaches the next program whole."""
    out = Console(stderr=stderr, emoji=False)
    if not out.is_terminal:
        out.soft_wrap = True
    return out


def printable(text: str) -> str:
    """Book text made safe to print: direction overrides and control characters (other than newline
    and tab) shown as escapes such as \\u202e instead of acting on the terminal."""

    def escape(ch: str) -> str:
        return f"\\u{ord(ch):04x}"

    text = _UNSAFE.sub(lambda m: escape(m.group()), text)
    return "".join(escape(ch) if unicodedata.category(ch) == "Cc" and ch not in "\n\t" else ch for ch in text)
