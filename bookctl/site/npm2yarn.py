"""npm commands shown for every package manager, as @docusaurus/remark-plugin-npm2yarn shows them.

A site that lists the plugin in a docs instance's `remarkPlugins` turns each code block whose meta
is exactly `npm2yarn` (```` ```bash npm2yarn ````) into tabs: the npm command, then the same command
for each converter (`converters`, default Yarn and pnpm; Bun when named), converted by the
`npm-to-yarn` package the plugin calls. bookctl renders those tabs as it renders any Tabs (each
tab's label, then its code), so a question about `yarn add` or `pnpm` finds the commands the page
shows. The converter is npm-to-yarn itself, bundled (bookctl/site/vendor/npm-to-yarn.js, built by
tools/site-js/build.sh) and run in QuickJS: the same code, not a re-implementation.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

PLUGIN_MODULES = ("@docusaurus/remark-plugin-npm2yarn", "remark-plugin-npm2yarn")
KNOWN_CONVERTERS = ("yarn", "pnpm", "bun")
_LABELS = {"yarn": "Yarn", "bun": "Bun"}  # the plugin's getLabelForConverter; others show their name
_VENDOR = Path(__file__).resolve().parent / "vendor" / "npm-to-yarn.js"
_lock = threading.Lock()


@dataclass(frozen=True)
class Npm2Yarn:
    """The plugin as a docs instance configures it: the converters after npm, in order."""

    converters: tuple[str, ...] = ("yarn", "pnpm")

    def tabs(self, npm_code: str) -> list[tuple[str, str]]:
        """(tab label, code) for each tab the plugin makes: npm's, then each converter's."""
        return [("npm", npm_code), *((_LABELS.get(c, c), convert(npm_code, c)) for c in self.converters)]


def from_remark_plugins(plugins: Any) -> Npm2Yarn | None:
    """The plugin's settings when a `remarkPlugins` list (as the config sandbox gives it: a package
    it did not load is `{"standIn": name}`) holds it, alone or as `[plugin, options]`."""
    if not isinstance(plugins, list):
        return None
    for entry in plugins:
        plugin, options = (
            (entry[0], entry[1] if len(entry) > 1 else None)
            if isinstance(entry, list) and entry
            else (entry, None)
        )
        if isinstance(plugin, dict) and plugin.get("standIn") in PLUGIN_MODULES:
            converters = options.get("converters") if isinstance(options, dict) else None
            if isinstance(converters, list):
                # a custom converter ([name, function]) cannot cross from the sandbox: left out
                return Npm2Yarn(tuple(c for c in converters if c in KNOWN_CONVERTERS))
            return Npm2Yarn()
    return None


@lru_cache(maxsize=1)
def _context() -> Any:
    import quickjs

    ctx = quickjs.Context()
    ctx.set_memory_limit(64 * 1024 * 1024)
    ctx.eval(_VENDOR.read_text(encoding="utf-8"))
    return ctx


@lru_cache(maxsize=4096)
def convert(npm_code: str, converter: str) -> str:
    """npm-to-yarn's `npmToYarn(npm_code, converter)`."""
    with _lock:  # one QuickJS context, not safe to enter from two threads at once
        return str(_context().eval(f"__npm_to_yarn({json.dumps(npm_code)}, {json.dumps(converter)})"))
