"""The ChatKit server: the protocol from `openai-chatkit`, the answers from `bookctl.chat`.

`respond()` runs the thread's `ChatSession` (the same agent, tools, index, model and session log as
`bookctl ask`) and turns its events into ChatKit's: text deltas as they come, then each citation
as an annotation with a URL source (the section's absolute URL on the site). The events are built
here from ChatSession's rather than by chatkit's `stream_agent_response`, which reads the Agents
SDK's raw stream: with openai >= 3.1 a streamed URL annotation is a typed object that chatkit
1.6.5 rejects, and the reader sees nothing but an error event.

A custom action `bookctl.ask_selection` (the page's "Ask about this") answers from the selected
passage alone, as `bookctl ask --selection` does; so does a message quoting a passage
(`quoted_text`, ChatKit's reply).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from chatkit.errors import CustomStreamError
from chatkit.server import ChatKitServer
from chatkit.types import (
    Action,
    Annotation,
    AssistantMessageContent,
    AssistantMessageContentPartAdded,
    AssistantMessageContentPartAnnotationAdded,
    AssistantMessageContentPartDone,
    AssistantMessageContentPartTextDelta,
    AssistantMessageItem,
    FeedbackKind,
    InferenceOptions,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemUpdatedEvent,
    ThreadMetadata,
    ThreadStreamEvent,
    URLSource,
    UserMessageItem,
    UserMessageTextContent,
    WidgetItem,
)

from bookctl.chat import Assistant, Citation, TextDelta, TurnContext, TurnDone
from bookctl.errors import BookctlError, InputError, ServiceError
from bookctl.serve.store import RequestContext, SqlStore

log = logging.getLogger("bookctl.serve")

SELECTION_ACTION = "bookctl.ask_selection"  # packages/docusaurus-plugin-bookctl/src/client/chat.ts
MAX_QUESTION_CHARS = 4000
MAX_SELECTION_CHARS = 20000
TITLE_CHARS = 80
_PAGE_FIELDS = ("doc_id", "version", "locale", "instance", "path", "title", "heading", "heading_id")


def annotations_for(answer: str, citations: list[Citation]) -> list[Annotation]:
    """One annotation per citation, in the order the answer cites them, placed just after the first
    [n] marker that names it; its source is the cited section's URL."""
    found: list[Annotation] = []
    for c in citations:
        marker = f"[{c['n']}]"
        at = answer.find(marker)
        parts = [p.strip() for p in c["where"].split(">") if p.strip()]
        found.append(
            Annotation(
                source=URLSource(
                    url=c["url"],
                    title=parts[-1] if parts else c["url"],
                    description=c["where"] or None,
                    group=parts[0] if len(parts) > 1 else None,
                ),
                index=at + len(marker) if at >= 0 else None,
            )
        )
    return found


def page_of(metadata: dict[str, Any]) -> dict[str, Any]:
    """The reader's page from a request's metadata: the site's widget sends it as `metadata.page`
    (doc_id, instance, version, locale, path, title); top-level fields are read too."""
    page = {k: metadata[k] for k in _PAGE_FIELDS if k in metadata}
    nested = metadata.get("page")
    if isinstance(nested, dict):
        page.update({k: nested[k] for k in _PAGE_FIELDS if k in nested})
    return page


def _message_text(item: UserMessageItem) -> str:
    return "".join(getattr(part, "text", "") for part in item.content).strip()


def _str_or_none(value: Any, limit: int = 2000) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


class BookServer(ChatKitServer[RequestContext]):
    def __init__(self, assistant: Assistant, store: SqlStore) -> None:
        super().__init__(store)
        self.assistant = assistant
        self.sql_store = store

    # --- requests ------------------------------------------------------------------------------

    async def respond(
        self, thread: ThreadMetadata, input_user_message: UserMessageItem | None, context: RequestContext
    ) -> AsyncIterator[ThreadStreamEvent]:
        if input_user_message is None:  # a client tool output or structured input: nothing to answer
            return
        question = _message_text(input_user_message)
        selection = _str_or_none(input_user_message.quoted_text, MAX_SELECTION_CHARS)
        async for event in self._answer(thread, question, selection, page_of(context.metadata), context):
            yield event

    async def action(
        self,
        thread: ThreadMetadata,
        action: Action[str, Any],
        sender: WidgetItem | None,
        context: RequestContext,
    ) -> AsyncIterator[ThreadStreamEvent]:
        if action.type != SELECTION_ACTION:
            raise CustomStreamError(
                f"unknown action {action.type!r}: this server knows {SELECTION_ACTION!r}", allow_retry=False
            )
        payload = action.payload if isinstance(action.payload, dict) else {}
        passage = _str_or_none(payload.get("text"), MAX_SELECTION_CHARS + 1)
        question = (
            _str_or_none(payload.get("question"), MAX_QUESTION_CHARS + 1) or "What does this passage say?"
        )
        if passage is None:
            raise CustomStreamError(
                "the selection action has no text: select a passage first", allow_retry=False
            )
        if len(passage) > MAX_SELECTION_CHARS:
            raise CustomStreamError(
                f"the selected passage is longer than {MAX_SELECTION_CHARS} characters: select less",
                allow_retry=False,
            )
        page = {**page_of(context.metadata), **page_of(payload)}
        asked = UserMessageItem(
            id=self.store.generate_item_id("message", thread, context),
            thread_id=thread.id,
            created_at=datetime.now(),
            content=[UserMessageTextContent(text=question)],
            quoted_text=passage,
            inference_options=InferenceOptions(),
        )
        yield ThreadItemDoneEvent(item=asked)
        async for event in self._answer(thread, question, passage, page, context):
            yield event

    async def add_feedback(
        self, thread_id: str, item_ids: list[str], feedback: FeedbackKind, context: RequestContext
    ) -> None:
        await self.sql_store.add_feedback(thread_id, item_ids, feedback, context)

    # --- one turn ----------------------------------------------------------------------------------

    def _turn_context(self, page: dict[str, Any], context: RequestContext) -> TurnContext:
        known = {k: page.get(k) for k in ("doc_id", "version", "locale") if isinstance(page.get(k), str)}
        extra: dict[str, Any] = {
            k: page[k] for k in _PAGE_FIELDS if k not in known and isinstance(page.get(k), str)
        }
        if context.accept_language:
            extra["accept_language"] = context.accept_language[:200]
        if context.locale and "locale" not in known:
            known["locale"] = context.locale
        return TurnContext(**known, metadata=extra)

    async def _answer(
        self,
        thread: ThreadMetadata,
        question: str,
        selection: str | None,
        page: dict[str, Any],
        context: RequestContext,
    ) -> AsyncIterator[ThreadStreamEvent]:
        if not question:
            raise CustomStreamError("the message is empty: ask a question about the book", allow_retry=False)
        if len(question) > MAX_QUESTION_CHARS:
            raise CustomStreamError(
                f"the question is longer than {MAX_QUESTION_CHARS} characters: ask it in fewer words",
                allow_retry=False,
            )
        if thread.title is None:
            thread.title = question if len(question) <= TITLE_CHARS else question[: TITLE_CHARS - 1] + "…"
        try:
            session = await self.assistant.session(thread.id, user=context.user, origin="web")
        except InputError as exc:
            raise CustomStreamError(exc.message, allow_retry=False) from None
        item = AssistantMessageItem(
            id=self.store.generate_item_id("message", thread, context),
            thread_id=thread.id,
            created_at=datetime.now(),
            content=[],
        )
        yield ThreadItemAddedEvent(item=item)
        yield ThreadItemUpdatedEvent(
            item_id=item.id,
            update=AssistantMessageContentPartAdded(
                content_index=0, content=AssistantMessageContent(text="")
            ),
        )
        result = None
        try:
            events = session.stream(question, selection=selection, context=self._turn_context(page, context))
            async with contextlib.aclosing(events):
                async for event in events:
                    if isinstance(event, TextDelta):
                        yield ThreadItemUpdatedEvent(
                            item_id=item.id,
                            update=AssistantMessageContentPartTextDelta(content_index=0, delta=event.text),
                        )
                    elif isinstance(event, TurnDone):
                        result = event.result
        except BookctlError as exc:  # logged with the turn by ChatSession
            log.warning("turn failed in thread %s: %s", thread.id, exc)
            raise CustomStreamError(exc.message, allow_retry=isinstance(exc, ServiceError)) from None
        assert result is not None
        annotations = annotations_for(result.answer, result.citations)
        for i, annotation in enumerate(annotations):
            yield ThreadItemUpdatedEvent(
                item_id=item.id,
                update=AssistantMessageContentPartAnnotationAdded(
                    content_index=0, annotation_index=i, annotation=annotation
                ),
            )
        content = AssistantMessageContent(text=result.answer, annotations=annotations)
        yield ThreadItemUpdatedEvent(
            item_id=item.id, update=AssistantMessageContentPartDone(content_index=0, content=content)
        )
        if result.turn_id:
            context.turn_ids[item.id] = result.turn_id
        yield ThreadItemDoneEvent(item=item.model_copy(update={"content": [content]}))
