"""bookctl.chat from Python, without the CLI: turns are streamed and logged (answered, failed and
cancelled), sessions continue by id with their memory, users and origins are kept."""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from pathlib import Path
from typing import Any

import pytest

from bookctl.agent import Provider
from bookctl.agent.offline import OfflineExtractiveModel
from bookctl.chat import Assistant, SourcesFound, TextDelta, TurnContext, TurnDone
from bookctl.config import Settings, load_settings
from bookctl.errors import InputError, ServiceError


def _settings(indexed_corpus: Any, database_url: str, **extra: Any) -> Settings:
    base, data_dir = indexed_corpus("kysely")
    return load_settings(
        {"site": base.site, "data_dir": data_dir, "database_url": database_url, **extra}, env={}
    )


def test_a_turn_run_from_python_is_streamed_and_logged(indexed_corpus, database_url: str) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(indexed_corpus, database_url, site_url="https://kysely.dev")

    async def main() -> None:
        async with await Assistant.open(settings) as assistant:
            session = await assistant.session(user="ada", origin="python")
            events = [e async for e in session.stream("How do I run migrations?")]
            assert isinstance(events[0], SourcesFound) and isinstance(events[-1], TurnDone)
            text = "".join(e.text for e in events if isinstance(e, TextDelta))
            result = events[-1].result
            assert text == result.answer and not result.abstained
            assert result.session_id == session.id and result.turn_id
            assert result.citations and all(
                c["url"].startswith("https://kysely.dev/docs/") for c in result.citations
            )
            streamed = [s for e in events if isinstance(e, SourcesFound) for s in e.sources]
            assert [s["n"] for s in streamed] == [s["n"] for s in result.sources]
            logged = await assistant.log.get_session(session.id)
        assert logged is not None
        assert (logged["user"], logged["origin"]) == ("ada", "python")
        [turn] = logged["turns"]
        assert turn["question"] == "How do I run migrations?" and turn["answer"] == result.answer
        assert turn["error"] is None and turn["citations"] == result.citations
        assert [r["chunk_id"] for r in turn["retrieved"]] == [s["chunk_id"] for s in result.sources]

    asyncio.run(main())


def test_cancelled_turns_are_logged_and_the_cancellation_propagates(
    indexed_corpus, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(indexed_corpus, database_url)

    async def main() -> None:
        async with await Assistant.open(settings) as assistant:
            session = await assistant.session(origin="python")
            # the consumer stops iterating after the first words
            async with aclosing(session.stream("How do I run migrations?")) as events:
                async for event in events:
                    if isinstance(event, TextDelta):
                        break
            # the task running the turn is cancelled
            started = asyncio.Event()

            async def consume() -> None:
                async for event in session.stream("What is a savepoint?"):
                    if isinstance(event, TextDelta):
                        started.set()
                        await asyncio.sleep(30)

            task = asyncio.create_task(consume())
            await asyncio.wait_for(started.wait(), 30)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # the session goes on
            after = await session.ask("How do I run migrations?")
            assert after.answer and after.error is None
            logged = await assistant.log.get_session(session.id)
        assert logged is not None
        turns = [(t["question"], t["error"]) for t in logged["turns"]]
        assert turns == [
            ("How do I run migrations?", "cancelled"),
            ("What is a savepoint?", "cancelled"),
            ("How do I run migrations?", None),
        ]
        assert [t["seq"] for t in logged["turns"]] == [1, 2, 3]
        assert logged["turns"][0]["answer"]  # what had been streamed before the stop

    asyncio.run(main())


class _Recording(OfflineExtractiveModel):
    inputs: list[Any] = []

    async def get_response(self, system_instructions, input, *args, **kwargs):  # type: ignore[no-untyped-def]
        type(self).inputs.append(input)
        return await super().get_response(system_instructions, input, *args, **kwargs)


class _RecordingProvider:
    def get_model(self, name: str | None) -> Any:
        return _Recording()


def test_a_continued_session_keeps_its_memory(indexed_corpus, database_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(indexed_corpus, database_url)
    monkeypatch.setattr(
        "bookctl.agent.choose_provider",
        lambda s: Provider("offline", "offline-extractive", _RecordingProvider()),
    )

    async def first() -> str:
        async with await Assistant.open(settings) as assistant:
            session = await assistant.session(origin="python")
            await session.ask("How do I run migrations?")
            return session.id

    async def second(sid: str) -> list[dict[str, Any]]:
        async with await Assistant.open(settings) as assistant:  # another process, as it were
            session = await assistant.session(sid, create=False)
            assert session.id == sid
            _Recording.inputs.clear()
            await session.ask("And how do I roll one back?")
            logged = await assistant.log.get_session(sid)
            assert logged is not None
            return logged["turns"]

    sid = asyncio.run(first())
    turns = asyncio.run(second(sid))
    assert [t["question"] for t in turns] == ["How do I run migrations?", "And how do I roll one back?"]
    # the model saw the first turn (question and answer) as history
    history = str(_Recording.inputs[0])
    assert "How do I run migrations?" in history and "Extractive answer" in history


def test_sessions_by_id_and_user(indexed_corpus, database_url: str) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(indexed_corpus, database_url)

    async def main() -> None:
        async with await Assistant.open(settings) as assistant:
            with pytest.raises(InputError, match="unknown session 'nope'"):
                await assistant.session("nope", create=False)
            mine = await assistant.session(
                "thread_abc123", user="ada", origin="web"
            )  # an id chosen by the caller
            assert mine.id == "thread_abc123"
            with pytest.raises(InputError, match="unknown session"):
                await assistant.session("thread_abc123", user="bob", origin="web")
            again = await assistant.session("thread_abc123", user="ada", create=False)
            assert again.id == "thread_abc123"
            context = TurnContext.from_mapping({"doc_id": "migrations", "locale": "fr", "shiny_new_field": 1})
            await again.ask("How do I run migrations?", context=context)
            logged = await assistant.log.get_session("thread_abc123")
            assert logged is not None and logged["turns"][0]["context"] == {
                "doc_id": "migrations",
                "locale": "fr",
            }
            assert [s["id"] for s in await assistant.log.list_sessions(user="bob")] == []

    asyncio.run(main())


def test_a_failing_model_is_logged_and_raised_as_one_line(
    indexed_corpus, database_url: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    class Broken(OfflineExtractiveModel):
        async def get_response(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise ConnectionRefusedError("nobody listens")

    class BrokenProvider:
        def get_model(self, name: str | None) -> Any:
            return Broken()

    monkeypatch.setattr(
        "bookctl.agent.choose_provider", lambda s: Provider("openai", "gpt-x", BrokenProvider())
    )
    settings = _settings(indexed_corpus, database_url)

    async def main() -> None:
        async with await Assistant.open(settings) as assistant:
            session = await assistant.session(origin="python")
            with pytest.raises(ServiceError, match="the model failed: ConnectionRefusedError") as info:
                await session.ask("How do I run migrations?")
            assert "--model offline" in str(info.value)
            logged = await assistant.log.get_session(session.id)
            assert logged is not None
            assert logged["turns"][0]["error"].startswith("ConnectionRefusedError")

    asyncio.run(main())


def test_selection_turns_need_no_index(tmp_path: Path) -> None:
    settings = load_settings({"site": tmp_path, "data_dir": tmp_path / "state"}, env={})

    async def main() -> None:
        async with await Assistant.open(settings, need_index=False) as assistant:
            session = await assistant.session(origin="python")
            passage = "A savepoint lets you roll back part of a transaction without aborting all of it."
            r = await session.ask("What does a savepoint let you do?", selection=passage)
            assert "roll back part of a transaction" in r.answer and r.citations == []
            with pytest.raises(InputError, match="do not go together"):
                await session.ask("x", selection=passage, chapter="Recipes")

    asyncio.run(main())


def test_the_offline_model_composes_off_the_event_loop(
    indexed_corpus, database_url: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """An offline answer embeds its candidate sentences (the bulk of a turn): in a worker thread, so a
    server's other conversations are not stalled behind it (they were, for seconds, under load)."""
    import threading
    import traceback

    from bookctl.agent.offline import vectors
    from bookctl.embedding import MiniLM

    settings = _settings(indexed_corpus, database_url)
    real = MiniLM.embed_batch
    threads: list[int] = []  # the threads compose embedded on

    def recording(self: MiniLM, texts: list[str]) -> Any:
        if any(frame.filename.endswith("compose.py") for frame in traceback.extract_stack()):
            threads.append(threading.get_ident())
        return real(self, texts)

    monkeypatch.setattr(MiniLM, "embed_batch", recording)
    # an empty sentence-vector cache: earlier tests of this process may have asked the same question
    monkeypatch.setattr(vectors, "CACHE", vectors.VectorCache(vectors.CACHE.max_bytes))

    async def main() -> None:
        loop_thread = threading.get_ident()
        async with await Assistant.open(settings) as assistant:
            session = await assistant.session(origin="python")
            events = [e async for e in session.stream("How do I run migrations?")]
            assert isinstance(events[-1], TurnDone) and not events[-1].result.abstained
        assert threads, "the answer embedded no sentences"
        assert loop_thread not in threads, "the answer was composed on the event loop's thread"

    asyncio.run(main())
