"""Conversations with the book: the one chat session behind `bookctl ask`, the server and Python.

    assistant = await Assistant.open(settings)          # one per process: searcher, model, session log
    session = await assistant.session()                 # a new logged conversation (or continue one by id)
    async for event in session.stream("What is a node?"):
        ...                                             # TextDelta, SourcesFound, then TurnDone
    result = await session.ask("And a topic?")          # the same turn, run to the end
    await assistant.close()

Every turn is logged exactly once, in the session log's database or, while it is unreachable, in
its journal: answered, failed (the error is logged, then raised as one `ServiceError`) or
cancelled (the consumer stopped iterating, or the task was cancelled: logged with error
"cancelled", and the cancellation goes on). Stop a stream early with `contextlib.aclosing` (or
`await events.aclose()`) so that its turn is logged at once rather than when it is garbage
collected.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from bookctl.agent import AskResult, Citation, Source, SourcesFound, TextDelta
from bookctl.config import Settings
from bookctl.errors import BookctlError, InputError, ServiceError
from bookctl.index.base import Searcher

if TYPE_CHECKING:
    from bookctl.agent import Provider
    from bookctl.db import SessionLog
    from bookctl.db.memory import FallbackMemory

__all__ = [
    "Assistant",
    "AskResult",
    "ChatEvent",
    "ChatSession",
    "Citation",
    "Source",
    "SourcesFound",
    "TextDelta",
    "TurnContext",
    "TurnDone",
]

CANCELLED = "cancelled"  # the error logged for a turn whose consumer stopped or was cancelled
GENERATION_CHECK_S = 1.0  # how often Assistant.searcher() looks for a newly published index
RETIRE_AFTER_S = 120.0  # a replaced searcher is closed this long after (its turns have finished)


@dataclass(frozen=True)
class TurnDone:
    """The turn is over and logged: its answer, citations, sources, ids and latency."""

    result: AskResult


ChatEvent = TextDelta | SourcesFound | TurnDone


@dataclass
class TurnContext:
    """What a caller knows about a turn besides the question: the reader's page (doc id), its
    version and locale, and request metadata to log. Logged with the turn (bookctl_turns.context).
    The turn searches the view of the book `version` / `locale` name (when the index holds it), and a
    real model is asked to answer in `locale` (the reader's language)."""

    doc_id: str | None = None
    version: str | None = None
    locale: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> TurnContext:
        """Build one from a request's fields; fields it does not know are ignored, never an error."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def as_log(self) -> dict[str, Any] | None:
        logged = {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, {}, [])}
        return logged or None


class Assistant:
    """One per process (a CLI run, a server worker): the settings, the searcher (opened lazily and
    shared by every session), the model provider and the session log (one database engine).
    Sessions of one assistant may run concurrently in one event loop."""

    def __init__(
        self, settings: Settings, provider: Provider, log: SessionLog, searcher: Searcher | None = None
    ) -> None:
        self.settings = settings
        self.provider = provider
        self.log = log
        self._searcher = searcher
        self._owns_searcher = searcher is None  # a searcher handed in is closed by whoever opened it
        self._searcher_lock = asyncio.Lock()
        self._scoped: dict[tuple[str | None, str | None], Searcher] = {}  # views opened by searcher_for
        self.generation: str | None = None  # the index generation the searchers read (its folder name)
        self._live: Path | None = None  # the live index folder they were opened on
        self._checked_at = 0.0
        self._retired: list[tuple[float, Searcher]] = []  # replaced by a newer generation, closed later

    @classmethod
    async def open(
        cls, settings: Settings, *, need_index: bool = True, searcher: Searcher | None = None
    ) -> Assistant:
        """Choose the model, open the session log (an unreachable database only switches logging to
        the journal: see `notes`) and, with `need_index`, the index (so a missing one fails now).
        `searcher`: an open one to share (bookctl.Book hands its own)."""
        from bookctl.agent import choose_provider
        from bookctl.db import SessionLog

        provider = choose_provider(settings)
        log = await SessionLog.open(settings)
        assistant = cls(settings, provider, log, searcher)
        if need_index:
            try:
                await assistant.searcher()
            except BaseException:
                await log.close()
                raise
        return assistant

    @property
    def notes(self) -> list[str]:
        """What the user should be told once: the database is unreachable, a URL option is ignored."""
        notes = list(self.log.target.notes)
        if self.log.last_error:
            notes.insert(0, f"session log unavailable, turns are journaled locally: {self.log.last_error}")
        return notes

    async def searcher(self) -> Searcher:
        """The shared searcher, opened on first use, and opened again when an ingest has published a
        new index generation (looked at most every GENERATION_CHECK_S: one readlink). The searchers it
        replaces are closed RETIRE_AFTER_S later, so turns and tool calls still reading them finish."""
        from bookctl.index import open_searcher

        async with self._searcher_lock:
            if self._searcher is None:
                self._live = _live_index(self.settings)
                self._searcher = open_searcher(self.settings)
                self.generation = self._live.parent.name if self._live is not None else None
            elif self._owns_searcher and time.monotonic() - self._checked_at >= GENERATION_CHECK_S:
                self._checked_at = time.monotonic()
                live = _live_index(self.settings)
                if live is not None and live != self._live:
                    fresh = await asyncio.to_thread(open_searcher, self.settings)
                    now = time.monotonic()
                    self._retired += [(now, s) for s in (self._searcher, *self._scoped.values())]
                    self._scoped.clear()
                    self._searcher, self._live, self.generation = fresh, live, live.parent.name
                self._close_retired(time.monotonic() - RETIRE_AFTER_S)
            return self._searcher

    def _close_retired(self, before: float) -> None:
        keep = []
        for at, searcher in self._retired:
            if at <= before:
                searcher.close()
            else:
                keep.append((at, searcher))
        self._retired = keep

    async def searcher_for(self, version: str | None, locale: str | None) -> Searcher:
        """The searcher of one view of the book: a reader's page's version and locale (TurnContext).
        A view the index does not hold (or None for both) is the default searcher; views are opened on
        first use and kept, at most one per view of the index, so request data cannot make more."""
        if version is None and locale is None:
            return await self.searcher()
        import dataclasses

        from bookctl.index import open_searcher, read_meta, resolve_scope

        meta = read_meta(self.settings.resolved_data_dir)
        try:
            scope = resolve_scope(meta, version, locale) if meta is not None else None
        except InputError:
            scope = None
        default = await self.searcher()
        if scope is None or not scope.views:
            return default
        assert meta is not None
        if scope.views == resolve_scope(meta, self.settings.docs_version, self.settings.locale).views:
            return default  # the view the assistant searches anyway
        key = (scope.version, scope.locale)
        async with self._searcher_lock:
            found = self._scoped.get(key)
            if found is None:
                wanted = dataclasses.replace(self.settings, docs_version=scope.version, locale=scope.locale)
                found = await asyncio.to_thread(open_searcher, wanted)
                self._scoped[key] = found
            return found

    def question_locale(self, searcher: Searcher, question: str) -> str | None:
        """The index's locale `question` is written in, when not the default (bookctl.index.question_locale)."""
        from bookctl.index import question_locale

        meta = getattr(searcher, "meta", None)
        return question_locale(meta, question) if meta is not None else None

    async def chapters(self) -> list[str]:
        return (await self.searcher()).chapters()

    async def resolve_chapter(self, name: str) -> str:
        """The chapter `name` means: its exact label, or an unambiguous case-insensitive prefix."""
        return (await self.searcher()).resolve_chapter(name)

    async def session(
        self,
        session_id: str | None = None,
        *,
        user: str | None = None,
        create: bool = True,
        origin: str = "cli",
    ) -> ChatSession:
        """Continue the session `session_id`, or start one (a new id when None).

        With `create=False` an id the log does not hold is an `InputError` (the CLI's `--session`);
        with `create=True` it starts a session of that id (a ChatKit thread id). A session that
        belongs to another user is treated as unknown; `user=None` (a local run) sees every session.
        """
        exists = False
        if session_id is not None:
            exists, owner = await self.log.session_user(session_id)
            taken = exists and user is not None and owner != user  # never join another user's session
            if taken or (not exists and not create and not self.log.last_error):
                raise InputError(
                    f"unknown session {session_id!r}",
                    fix="`bookctl sessions list` shows the ids; leave out --session to start a new one",
                )
        sid = await self.log.start_session(
            site=str(self.settings.site_root.resolve()),
            provider=self.provider.name,
            model=self.provider.model,
            user=user,
            session_id=session_id,
            origin=origin,
            exists=exists,
        )
        return ChatSession(self, sid, user=user, origin=origin)

    async def close(self) -> None:
        self._close_retired(float("inf"))
        for scoped in self._scoped.values():
            scoped.close()
        self._scoped.clear()
        if self._searcher is not None and self._owns_searcher:
            self._searcher.close()
        self._searcher = None
        await self.log.close()

    async def __aenter__(self) -> Assistant:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class ChatSession:
    """One conversation = one logged bookctl session (a ChatKit thread is one too), with the agent's
    multi-turn memory. Turns of one session run one at a time."""

    def __init__(self, assistant: Assistant, session_id: str, *, user: str | None, origin: str) -> None:
        self.assistant = assistant
        self.id = session_id
        self.user = user
        self.origin = origin
        self.memory: FallbackMemory = assistant.log.memory(session_id)
        self.last: AskResult | None = None  # the last finished turn's result
        self._turn_lock = asyncio.Lock()

    async def ask(
        self,
        question: str,
        *,
        chapter: str | None = None,
        selection: str | None = None,
        context: TurnContext | None = None,
    ) -> AskResult:
        """One turn, run to the end (no text streaming: cheaper when nobody watches the text)."""
        async for event in self._turn(question, chapter, selection, context, stream=False):
            if isinstance(event, TurnDone):
                return event.result
        raise AssertionError("a turn ended without TurnDone")

    def stream(
        self,
        question: str,
        *,
        chapter: str | None = None,
        selection: str | None = None,
        context: TurnContext | None = None,
    ) -> AsyncGenerator[ChatEvent, None]:
        """One turn as events: `TextDelta`s and `SourcesFound` as they come, then `TurnDone`."""
        return self._turn(question, chapter, selection, context, stream=True)

    async def _turn(
        self,
        question: str,
        chapter: str | None,
        selection: str | None,
        context: TurnContext | None,
        *,
        stream: bool,
    ) -> AsyncGenerator[ChatEvent, None]:
        from bookctl.agent import turn_events
        from bookctl.db import TurnRecord

        if not question.strip():
            raise InputError(
                "the question is empty", fix='ask something, e.g. bookctl ask "What is a ROS 2 node?"'
            )
        if selection is not None and chapter is not None:
            raise InputError(
                "a selection and a chapter do not go together",
                fix="a selection is answered from the passage alone, without searching any chapter",
            )
        assistant = self.assistant
        provider = assistant.provider
        language = context.locale if context else None
        if selection is not None:
            searcher = None
        elif context is not None and (context.version or context.locale):
            searcher = await assistant.searcher_for(context.version, context.locale)
        else:
            searcher = await assistant.searcher()
        if (
            searcher is not None
            and language is None
            and chapter is None
            and assistant.settings.locale is None
        ):
            language = assistant.question_locale(searcher, question)
            if language is not None:  # a question in another locale's language reads that locale
                version = context.version if context and context.version else assistant.settings.docs_version
                searcher = await assistant.searcher_for(version, language)
        if chapter is not None and searcher is not None:
            chapter = searcher.resolve_chapter(chapter)
        text: list[str] = []
        sources: list[Source] = []

        def record(result: AskResult | None, error: str | None) -> TurnRecord:
            return TurnRecord(
                question=question,
                answer=result.answer if result else "".join(text),
                model=result.model if result else provider.model,
                selection=selection,
                chapter=chapter,
                citations=[dict(c) for c in result.citations] if result else [],
                retrieved=[
                    {"chunk_id": s["chunk_id"], "score": s["score"]}
                    for s in (result.sources if result else sources)
                ],
                latency_ms=result.latency_ms if result else {},
                usage=result.usage if result else {},
                error=error,
                abstained=result.abstained if result else False,
                context=context.as_log() if context else None,
                rewritten_query=result.rewritten_query if result else None,
            )

        async with self._turn_lock:
            result: AskResult | None = None
            events = turn_events(
                question,
                settings=assistant.settings,
                searcher=searcher,
                provider=provider,
                memory=self.memory,
                chapter=chapter,
                selection=selection,
                stream=stream,
                language=language,
            )
            try:
                async for event in events:
                    if isinstance(event, AskResult):
                        result = event
                    elif isinstance(event, TextDelta):
                        text.append(event.text)
                        yield event
                    else:
                        found = [self._public_source(s) for s in event.sources]
                        sources.extend(found)
                        yield SourcesFound(found)
            except (GeneratorExit, asyncio.CancelledError):
                await _shielded(assistant.log.record_turn(self.id, record(None, CANCELLED)))
                raise
            except BookctlError as exc:
                await assistant.log.record_turn(self.id, record(None, str(exc)))
                raise
            except Exception as exc:  # a provider failure: logged, then shown as one line
                error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                await assistant.log.record_turn(self.id, record(None, error))
                raise ServiceError(
                    f"the model failed: {error}",
                    fix="run `bookctl doctor`, or answer offline with --model offline; the turn was logged",
                ) from exc
            finally:
                await events.aclose()  # stops the model's run when the turn ends early
            assert result is not None, "turn_events ends with the result"
            result.citations = [self._public_citation(c) for c in result.citations]
            result.sources = [self._public_source(s) for s in result.sources]
            result.session_id = self.id
            started = time.perf_counter()
            result.turn_id = await assistant.log.record_turn(self.id, record(result, None))
            result.latency_ms["log"] = round((time.perf_counter() - started) * 1000, 1)
            self.last = result
        yield TurnDone(result)

    def _public_url(self, url: str) -> str:
        base = self.assistant.settings.site_url
        return urljoin(base, url) if base else url  # permalinks hold the baseUrl already

    def _public_citation(self, citation: Citation) -> Citation:
        return {**citation, "url": self._public_url(citation["url"])}

    def _public_source(self, source: Source) -> Source:
        return {**source, "url": self._public_url(source["url"])}


def _live_index(settings: Settings) -> Path | None:
    from bookctl.index.generations import live_index

    return live_index(settings.resolved_data_dir)


async def _shielded(write: Any) -> None:
    """Finish a log write even if the task is cancelled again meanwhile."""
    task = asyncio.ensure_future(write)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        await task
        raise
