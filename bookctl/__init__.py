"""bookctl: turn a Docusaurus book into a grounded, cited study assistant.

The Python API (README, "Python API"): `Book` for a book's index, search and assistant; `Assistant`
and `ChatSession` for servers that hold many conversations; `Settings` / `load_settings`; the
result types and the errors. Names load on first use, so `import bookctl` (and `bookctl --help`)
stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Book": "bookctl.book",
    "Assistant": "bookctl.chat",
    "ChatSession": "bookctl.chat",
    "ChatEvent": "bookctl.chat",
    "TextDelta": "bookctl.chat",
    "SourcesFound": "bookctl.chat",
    "TurnDone": "bookctl.chat",
    "TurnContext": "bookctl.chat",
    "AskResult": "bookctl.agent",
    "Citation": "bookctl.agent",
    "Source": "bookctl.agent",
    "Hit": "bookctl.index.base",
    "IngestResult": "bookctl.ingest",
    "Settings": "bookctl.config",
    "load_settings": "bookctl.config",
    "BookctlError": "bookctl.errors",
    "InputError": "bookctl.errors",
    "ConfigError": "bookctl.errors",
    "SiteError": "bookctl.errors",
    "IndexStateError": "bookctl.errors",
    "ServiceError": "bookctl.errors",
}
__all__ = [
    "__version__",
    "Book",
    "Assistant",
    "ChatSession",
    "ChatEvent",
    "TextDelta",
    "SourcesFound",
    "TurnDone",
    "TurnContext",
    "AskResult",
    "Citation",
    "Source",
    "Hit",
    "IngestResult",
    "Settings",
    "load_settings",
    "BookctlError",
    "InputError",
    "ConfigError",
    "SiteError",
    "IndexStateError",
    "ServiceError",
]  # the names of _EXPORTS

if TYPE_CHECKING:
    from bookctl.agent import AskResult, Citation, Source
    from bookctl.book import Book
    from bookctl.chat import Assistant, ChatEvent, ChatSession, SourcesFound, TextDelta, TurnContext, TurnDone
    from bookctl.config import Settings, load_settings
    from bookctl.errors import (
        BookctlError,
        ConfigError,
        IndexStateError,
        InputError,
        ServiceError,
        SiteError,
    )
    from bookctl.index.base import Hit
    from bookctl.ingest import IngestResult


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bookctl' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
