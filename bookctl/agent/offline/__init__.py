"""The offline model: a deterministic, extractive Agents SDK `Model` behind a `ModelProvider`.

No language model runs here. On a question it calls `search_book` (with the question rewritten by
bookctl.agent.followup when it leans on the previous turn); given the results it quotes the most
relevant passages, each with its citation [n] (compose.py), or abstains: "The book does not mention
Webots." when a specific term of the question is nowhere in the book, "The book does not cover
this." with the nearest sections when retrieval is weak (evidence.py). It goes through the same
agent, tools, runner, memory and logging as a real model. Its output items are built with the
OpenAI Responses types the SDK itself uses, so nothing here depends on the SDK's test helpers.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from agents import Model, ModelProvider, ModelResponse, Usage
from openai.types.responses import ResponseFunctionToolCall, ResponseOutputMessage, ResponseOutputText

from bookctl.agent.offline.constants import (
    ABSTAIN_PREFIX,
    EXTRACTIVE_NOTE,
    MODEL_NAME,
    NOT_MENTIONED_PREFIX,
    SELECTION_ABSTAIN,
    SELECTION_MARKER,
    is_abstention,
    not_mentioned,
)
from bookctl.agent.offline.evidence import Evidence, dense_floor, evidence, is_weak

__all__ = [
    "ABSTAIN_PREFIX",
    "EXTRACTIVE_NOTE",
    "MODEL_NAME",
    "NOT_MENTIONED_PREFIX",
    "SELECTION_ABSTAIN",
    "SELECTION_MARKER",
    "Evidence",
    "OfflineExtractiveModel",
    "OfflineProvider",
    "answer",
    "dense_floor",
    "evidence",
    "is_abstention",
    "is_weak",
    "split_selection",
]

SELECTION_MIN_RELEVANCE = 0.35  # a question about something else than the passage: no quote reaches this
SELECTION_MIN_OVERLAP = 0.34


def _message(text: str) -> ResponseOutputMessage:
    return ResponseOutputMessage(
        id=f"msg_{uuid.uuid4().hex[:12]}",
        type="message",
        role="assistant",
        status="completed",
        content=[ResponseOutputText(text=text, type="output_text", annotations=[], logprobs=[])],
    )


def _call(name: str, arguments: dict[str, Any]) -> ResponseFunctionToolCall:
    call_id = f"call_{uuid.uuid4().hex[:12]}"
    return ResponseFunctionToolCall(
        id=call_id, call_id=call_id, type="function_call", name=name, arguments=json.dumps(arguments)
    )


def _abstain(results: list[dict[str, Any]]) -> str:
    seen: dict[str, int] = {}
    for r in results:
        seen.setdefault(r["where"], r["n"])
    nearest = "\n".join(f"- {where} [{n}]" for where, n in list(seen.items())[:3])
    return (
        ABSTAIN_PREFIX
        + (f" The nearest sections are:\n\n{nearest}" if nearest else "")
        + "\n\n"
        + EXTRACTIVE_NOTE
    )


def answer(question: str, results: list[dict[str, Any]], ev: Evidence) -> str:
    """The offline answer to a question, given what search_book returned and the evidence."""
    from bookctl.agent.offline.compose import compose

    if ev.not_in_book:
        return not_mentioned(ev.not_in_book) + "\n\n" + EXTRACTIVE_NOTE
    if not results or is_weak(ev):
        return _abstain(results)
    return compose(question, results) or _abstain(results)


def answer_selection(question: str, passage: str) -> str:
    """An answer from a selected passage only: its key sentences when the question is about the
    passage ("What does this mean?"), else the sentences that answer it, or SELECTION_ABSTAIN."""
    from bookctl.agent.offline.compose import about_the_passage, choose, key_sentences, render, units_of
    from bookctl.embedding import bm25

    declined = SELECTION_ABSTAIN + "\n\n" + EXTRACTIVE_NOTE
    if about_the_passage(question):
        quoted = key_sentences(passage)
        return (quoted + "\n\n" + EXTRACTIVE_NOTE) if quoted else declined
    units = units_of(passage, 0, howto=False)
    if not units:
        return declined
    chosen = choose(question, units)
    if not chosen:
        return declined
    stems = set(bm25().tokens(question))
    overlap = max(len(set(bm25().tokens(u.text)) & stems) / max(1, len(stems)) for u in units)
    if chosen[0].score < SELECTION_MIN_RELEVANCE or overlap < SELECTION_MIN_OVERLAP:
        return declined
    return render(chosen) + "\n\n" + EXTRACTIVE_NOTE


# --- reading the conversation ---------------------------------------------------------------------


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def _user_turns(items: list[Any]) -> tuple[list[str], list[Any]]:
    """(the user's messages in order, the items after the last one)."""
    questions: list[str] = []
    last = -1
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("role") == "user":
            questions.append(_text_of(item.get("content")))
            last = i
    return questions, items[last + 1 :] if last >= 0 else items


def split_selection(prompt: str) -> tuple[str | None, str]:
    """(selected passage, question) from the prompt `bookctl ask --selection` builds."""
    m = re.search(rf"{SELECTION_MARKER}[^\n]*\n<<<\n(.*?)\n>>>\s*QUESTION:\s*(.*)\Z", prompt, re.S)
    return (m.group(1), m.group(2).strip()) if m else (None, prompt.strip())


# Threads start on first use: nothing runs or starts at import.
_COMPOSER = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="bookctl-compose")


async def _composed(step: Any, *args: Any) -> Any:
    """Run a step off the event loop. Composing embeds the candidate sentences (onnxruntime, which
    releases the GIL), so a server's other conversations go on meanwhile instead of waiting for this
    one. Two threads: measured with 8 concurrent conversations (bench/serve.py), one thread gave 1.79
    turns/s, two 2.37, Python's default pool (six here) 2.95 but 172 MiB more memory against 85 for two
    (onnxruntime keeps working memory per thread)."""
    return await asyncio.get_running_loop().run_in_executor(_COMPOSER, step, *args)


class OfflineExtractiveModel(Model):
    def _step(self, input: str | list[Any], tools: list[Any]) -> list[Any]:
        from bookctl.agent.followup import rewrite

        items = [{"role": "user", "content": input}] if isinstance(input, str) else list(input)
        questions, after = _user_turns(items)
        prompt = questions[-1] if questions else ""
        passage, question = split_selection(prompt)
        if passage is not None:
            return [_message(answer_selection(question, passage))]
        earlier = [split_selection(q)[1] for q in questions[:-1]]
        query = rewrite(question, earlier)
        outputs = [it for it in after if isinstance(it, dict) and it.get("type") == "function_call_output"]
        if not outputs and any(getattr(t, "name", "") == "search_book" for t in tools):
            return [_call("search_book", {"query": query})]
        results: list[dict[str, Any]] = []
        off_topic: float | None = None
        missing: list[str] = []
        for out in outputs:
            try:
                payload = json.loads(_text_of(out.get("output")))
                results.extend(payload.get("results", []))
                off_topic = payload.get("off_topic_cosine", off_topic)
                missing = payload.get("not_in_book", missing) or missing
            except (json.JSONDecodeError, AttributeError):
                continue
        # retrieved with the previous subject; quoted for what is asked now ("And how do I check it in
        # RViz?": the lidar sections, the sentences about RViz)
        return [_message(answer(question, results, evidence(query, results, off_topic, missing)))]

    async def get_response(
        self,
        system_instructions: str | None,
        input: str | list[Any],
        model_settings: Any,
        tools: list[Any],
        output_schema: Any,
        handoffs: list[Any],
        tracing: Any,
        *,
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: Any,
    ) -> ModelResponse:
        output = await _composed(self._step, input, tools)
        return ModelResponse(output=output, usage=Usage(requests=1), response_id=None)

    async def stream_response(
        self,
        system_instructions: str | None,
        input: str | list[Any],
        model_settings: Any,
        tools: list[Any],
        output_schema: Any,
        handoffs: list[Any],
        tracing: Any,
        *,
        previous_response_id: str | None,
        conversation_id: str | None,
        prompt: Any,
    ) -> AsyncIterator[Any]:
        # Text deltas (a few words each, so the answer streams) and the completed response: the two
        # events the runner needs. The SDK's full event sequence costs about 0.15 s of pydantic schema
        # building in a cold process, which is most of an offline answer's time.
        from openai.types.responses import Response, ResponseCompletedEvent, ResponseTextDeltaEvent

        output = await _composed(self._step, input, tools)
        seq = 0
        for index, item in enumerate(output):
            if not isinstance(item, ResponseOutputMessage):
                continue
            for part in item.content:
                for piece in re.findall(r"\S+\s*|\s+", getattr(part, "text", "")):
                    yield ResponseTextDeltaEvent(
                        type="response.output_text.delta",
                        item_id=item.id,
                        output_index=index,
                        content_index=0,
                        delta=piece,
                        logprobs=[],
                        sequence_number=seq,
                    )
                    seq += 1
        response = Response(
            id=f"offline-{uuid.uuid4().hex[:12]}",
            created_at=time.time(),
            model=MODEL_NAME,
            object="response",
            output=output,
            parallel_tool_calls=False,
            tool_choice="auto",
            tools=[],
            status="completed",
        )
        yield ResponseCompletedEvent(type="response.completed", response=response, sequence_number=seq)


class OfflineProvider(ModelProvider):
    def get_model(self, model_name: str | None) -> Model:
        return OfflineExtractiveModel()
