"""`bookctl.Book`: the whole tool from Python, one object per book.

    from bookctl import Book

    with Book.open("path/to/site") as book:     # a Docusaurus site (data in .bookctl/ beside it)
        book.ingest()                           # incremental, as `bookctl ingest`
        hits = book.search("launch files", k=3)

    async with Book.open("path/to/site") as book:
        result = await book.ask("How do I ...?")        # one logged question (origin "python")
        chat = await book.chat()                        # a logged conversation with memory
        async for event in chat.stream("And then?"):
            ...

Settings follow the CLI's rule (keyword arguments > BOOKCTL_* environment > bookctl.toml > defaults),
so OPENAI_API_KEY or BOOKCTL_DATABASE_URL work here as they do on the command line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bookctl.config import Settings, load_settings

if TYPE_CHECKING:
    from bookctl.agent import AskResult
    from bookctl.chat import Assistant, ChatSession, TurnContext
    from bookctl.index.base import Hit, SearchMode
    from bookctl.index.searcher import IndexSearcher
    from bookctl.ingest import IngestResult
    from bookctl.site.model import Site


class Book:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._searcher: IndexSearcher | None = None
        self._assistant: Assistant | None = None
        self._assistant_loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def open(cls, site: str | Path = ".", *, data_dir: str | Path | None = None, **settings: Any) -> Book:
        """The book at `site` (a Docusaurus site root, a folder with docs/ + sidebars, or a docs
        folder's parent). `data_dir` holds its index and session log (default `.bookctl/` beside the
        site); other keyword arguments are `bookctl.Settings` fields (model=, database_url=, ...)."""
        flags = {"site": Path(site), "data_dir": Path(data_dir) if data_dir is not None else None, **settings}
        return cls(load_settings(flags))

    # --- the site and the index (synchronous) ---------------------------------------------------

    def site(self) -> Site:
        """The site as Docusaurus sees it: docs (ids, titles, permalinks, headings) and sidebars."""
        from bookctl.site.loader import load_site

        return load_site(self.settings)

    def ingest(
        self,
        *,
        full: bool = False,
        dry_run: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> IngestResult:
        """Bring the index up to date (only what changed is embedded); `full` rebuilds it."""
        from bookctl.ingest import ingest

        result = ingest(
            self.settings, full=full, dry_run=dry_run, **({"progress": progress} if progress else {})
        )
        if not dry_run:
            self._drop_searcher()  # the next search reads the new index
        return result

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        mode: SearchMode = "hybrid",
        chapter: str | None = None,
        doc: str | None = None,
    ) -> list[Hit]:
        """Ranked sections, as `bookctl search` (chapter: a label or an unambiguous prefix of one)."""
        return self.searcher().search(query, k=k, mode=mode, chapter=chapter, doc_id=doc)

    def chapters(self) -> list[str]:
        return self.searcher().chapters()

    def searcher(self) -> IndexSearcher:
        if self._searcher is None:
            from bookctl.index import open_searcher

            self._searcher = open_searcher(self.settings)
        return self._searcher

    def _drop_searcher(self) -> None:
        if self._searcher is not None:
            if self._assistant is not None:
                self._assistant._searcher = None  # it reopens its own on the next turn
                self._assistant._owns_searcher = True
            self._searcher.close()
            self._searcher = None

    # --- the assistant (asynchronous) -----------------------------------------------------------

    async def assistant(self) -> Assistant:
        """The book's assistant in the running event loop (opened on first use)."""
        from bookctl.chat import Assistant

        loop = asyncio.get_running_loop()
        if self._assistant is None or self._assistant_loop is not loop:
            # An assistant belongs to the loop that opened it (its database connections do): a new
            # asyncio.run() gets its own. The old one's connections went with their loop.
            self._assistant = await Assistant.open(self.settings, searcher=self.searcher())
            self._assistant_loop = loop
        return self._assistant

    async def ask(
        self,
        question: str,
        *,
        chapter: str | None = None,
        selection: str | None = None,
        context: TurnContext | None = None,
        user: str | None = None,
    ) -> AskResult:
        """One question in a new logged session (origin "python"); the result names both ids."""
        session = await self.chat(user=user)
        return await session.ask(question, chapter=chapter, selection=selection, context=context)

    async def chat(
        self, session_id: str | None = None, *, user: str | None = None, create: bool = True
    ) -> ChatSession:
        """A conversation: a new logged session, or the session `session_id` continued with its memory."""
        return await (await self.assistant()).session(session_id, user=user, create=create, origin="python")

    # --- closing ----------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the index (an assistant is closed by `aclose()` or `async with`)."""
        self._drop_searcher()

    async def aclose(self) -> None:
        if self._assistant is not None:
            assistant, self._assistant = self._assistant, None
            if self._assistant_loop is asyncio.get_running_loop():
                await assistant.close()
        self.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Book:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
