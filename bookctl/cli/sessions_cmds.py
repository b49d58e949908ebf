"""Commands: sessions_cmds (filled in by its issue)."""

from __future__ import annotations
