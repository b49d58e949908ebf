"""Citation numbers in the order an answer cites them: [1] first, then [2], ... with none skipped.

Sources are numbered as they are retrieved, and an answer may quote the third one first, or skip
one. `Renumber` rewrites the markers as the text streams (a marker split across two deltas is held
back until it is whole), so the reader sees the final numbers; `reorder` then lists the cited
sources first, in citation order, and the others after them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
_MARKER = re.compile(r"\[(\d+)\]")
_PARTIAL = re.compile(r"\[\d*$")


class Renumber:
    def __init__(self, known: Callable[[], int]) -> None:
        self.known = known  # how many sources exist now: a bigger number is no citation, left alone
        self.mapping: dict[int, int] = {}  # retrieval number -> citation number
        self._held = ""

    def _sub(self, m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n < 1 or n > self.known():
            return m.group(0)
        return f"[{self.mapping.setdefault(n, len(self.mapping) + 1)}]"

    def feed(self, delta: str) -> str:
        text = self._held + delta
        partial = _PARTIAL.search(text)
        self._held = partial.group(0) if partial else ""
        if partial:
            text = text[: partial.start()]
        return _MARKER.sub(self._sub, text)

    def flush(self) -> str:
        held, self._held = self._held, ""
        return held

    def text(self, answer: str) -> str:
        return self.feed(answer) + self.flush()

    def reorder(self, sources: Sequence[T]) -> list[T]:
        """The sources renumbered: the cited ones in citation order, then the rest as retrieved."""
        cited = sorted(self.mapping, key=self.mapping.__getitem__)
        rest = [n for n in range(1, len(sources) + 1) if n not in self.mapping]
        return [sources[n - 1] for n in [*cited, *rest] if n <= len(sources)]
