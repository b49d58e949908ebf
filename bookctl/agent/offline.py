"""The offline model: a deterministic, extractive Agents SDK `Model` behind a `ModelProvider`.

No language model runs here. On a question it calls `search_book`; given the results it
quotes the most relevant sentences (relevance to the question, diversity among them,
MMR), each with its citation [n]; when retrieval is weak it abstains and lists the nearest
sections. It goes through the same agent, tools, runner, memory and logging as a real model.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from agents import Model, ModelProvider, ModelResponse, Usage
from agents.testing import ModelStep, assistant_message, function_call

MODEL_NAME = "offline-extractive"
ABSTAIN_PREFIX = "The book does not cover this."
SELECTION_ABSTAIN = "The selected passage does not answer this."
EXTRACTIVE_NOTE = "_Extractive answer (offline mode): sentences quoted from the book, no language model._"
SELECTION_MARKER = "SELECTED PASSAGE"
MAX_SENTENCES = 3
MAX_CANDIDATES = 24  # sentences embedded per answer, pre-ranked by word overlap with the question


# --- the abstention rule ------------------------------------------------------------------------

DENSE_FLOOR = 0.30  # no semantic evidence below this cosine, for an index without calibration
FLOOR_RANGE = (0.22, 0.35)  # a calibrated floor is kept inside this range


@dataclass
class Evidence:
    top_dense: float  # best cosine between the question and a retrieved chunk
    coverage: float  # share of the question's content words (BM25 stems) found in the top results
    top_bm25: float
    dense_floor: float = DENSE_FLOOR  # a cosine no higher is no evidence (calibrated per index)


def dense_floor(off_topic_cosine: float | None) -> float:
    """A cosine that 90% of off-topic questions reach in this index (bookctl.index.calibration) is no
    evidence; kept inside FLOOR_RANGE so an odd index cannot switch the rule off or on."""
    if off_topic_cosine is None:
        return DENSE_FLOOR
    return min(max(off_topic_cosine, FLOOR_RANGE[0]), FLOOR_RANGE[1])


def evidence(question: str, results: list[dict[str, Any]], off_topic_cosine: float | None = None) -> Evidence:
    from bookctl.embedding import bm25

    stems = set(bm25().tokens(question))
    found: set[str] = set()
    for r in results[:3]:
        found |= set(bm25().tokens(r.get("where", "") + " " + r.get("text", ""))) & stems
    dense = [r["dense_score"] for r in results if r.get("dense_score") is not None]
    sparse = [r["bm25_score"] for r in results if r.get("bm25_score") is not None]
    return Evidence(
        top_dense=max(dense, default=0.0),
        coverage=len(found) / len(stems) if stems else 0.0,
        top_bm25=max(sparse, default=0.0),
        dense_floor=dense_floor(off_topic_cosine),
    )


def is_weak(ev: Evidence) -> bool:
    """Abstain when neither meaning nor words connect the question to the book.

    Dense similarity alone does not separate answerable from unanswerable questions
    (off-topic questions still reach cosine ~0.65 with all-MiniLM-L6-v2), so the rule
    asks for both: a reasonable semantic match AND most of the question's content words.
    The floor of the semantic match is calibrated per index: above what off-topic questions reach.
    """
    if ev.top_dense < ev.dense_floor:
        return True
    if ev.coverage < 0.34:
        return True
    return ev.top_dense < 0.40 and ev.coverage < 0.67  # 0.40 vs 0.45: README, abstention comparison


# --- sentence extraction -------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9`*\[(\"'])")


def sentences_of(text: str) -> list[str]:
    """Prose sentences of a chunk body: no code, tables, headings or labels."""
    out: list[str] = []
    in_code = False
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            joined = " ".join(paragraph)
            out.extend(s.strip() for s in _SENTENCE_END.split(joined) if s.strip())
            paragraph.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            flush()
            continue
        if (
            in_code
            or not stripped
            or stripped.startswith(("|", "#", "<"))
            or re.fullmatch(r"\*\*[^*]+:\*\*", stripped)
        ):
            flush()
            continue
        if re.match(r"^([-*+]|\d+\.)\s+", stripped):
            flush()  # a list item starts a new paragraph; its wrapped lines join it
            paragraph.append(re.sub(r"^([-*+]|\d+\.)\s+", "", stripped))
            continue
        paragraph.append(stripped)
    flush()
    return [s for s in out if 4 <= len(s.split()) <= 70]


def compose(question: str, results: list[dict[str, Any]], *, selection: bool = False) -> str:
    import numpy as np

    from bookctl.embedding import bm25, dense_embedder

    if selection:
        candidates = [(s, 0) for s in sentences_of(results[0]["text"])] if results else []
    else:
        candidates = [(s, r["n"]) for r in results[:4] for s in sentences_of(r["text"])]
    if not candidates:
        return _abstain(results, selection)
    stems = set(bm25().tokens(question))
    overlaps = [len(set(bm25().tokens(s)) & stems) / max(1, len(stems)) for s, _ in candidates]
    if len(candidates) > MAX_CANDIDATES:  # keep the best by overlap, in their original order
        keep = sorted(sorted(range(len(candidates)), key=lambda i: -overlaps[i])[:MAX_CANDIDATES])
        candidates = [candidates[i] for i in keep]
        overlaps = [overlaps[i] for i in keep]
    overlap = np.array(overlaps)
    model = dense_embedder()
    vectors = model.embed_batch([question] + [s for s, _ in candidates])
    q, sv = vectors[0], vectors[1:]
    relevance = 0.7 * (sv @ q) + 0.3 * overlap
    if selection and (float(relevance.max()) < 0.35 or float(overlap.max()) < 0.34):
        return _abstain(results, selection)
    chosen: list[int] = []
    while len(chosen) < min(MAX_SENTENCES, len(candidates)):
        best, best_score = -1, -1e9
        for i in range(len(candidates)):
            if i in chosen:
                continue
            redundancy = max((float(sv[i] @ sv[j]) for j in chosen), default=0.0)
            score = 0.75 * float(relevance[i]) - 0.25 * redundancy
            if score > best_score:
                best, best_score = i, score
        if chosen and relevance[best] < 0.6 * relevance[chosen[0]]:
            break
        chosen.append(best)
    chosen.sort(key=lambda i: (candidates[i][1], i))  # book order within each source
    lines = [candidates[i][0] + (f" [{candidates[i][1]}]" if candidates[i][1] else "") for i in chosen]
    return "\n\n".join(lines) + "\n\n" + EXTRACTIVE_NOTE


def _abstain(results: list[dict[str, Any]], selection: bool) -> str:
    if selection:
        return SELECTION_ABSTAIN + "\n\n" + EXTRACTIVE_NOTE
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


# --- reading the conversation ---------------------------------------------------------------------


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def _last_user_turn(items: list[Any]) -> tuple[str, list[Any]]:
    for i in range(len(items) - 1, -1, -1):
        item = items[i]
        if isinstance(item, dict) and item.get("role") == "user":
            return _text_of(item.get("content")), items[i + 1 :]
    return "", items


def split_selection(prompt: str) -> tuple[str | None, str]:
    """(selected passage, question) from the prompt `bookctl ask --selection` builds."""
    m = re.search(rf"{SELECTION_MARKER}[^\n]*\n<<<\n(.*?)\n>>>\s*QUESTION:\s*(.*)\Z", prompt, re.S)
    return (m.group(1), m.group(2).strip()) if m else (None, prompt.strip())


class OfflineExtractiveModel(Model):
    def _step(self, input: str | list[Any], tools: list[Any]) -> ModelStep:
        items = [{"role": "user", "content": input}] if isinstance(input, str) else list(input)
        prompt, after = _last_user_turn(items)
        passage, question = split_selection(prompt)
        if passage is not None:
            passage_result = [{"n": 0, "where": "selection", "text": passage}]
            return ModelStep(output=[assistant_message(compose(question, passage_result, selection=True))])
        outputs = [it for it in after if isinstance(it, dict) and it.get("type") == "function_call_output"]
        if not outputs and any(getattr(t, "name", "") == "search_book" for t in tools):
            return ModelStep(
                output=[
                    function_call("search_book", {"query": question}, call_id=f"call_{uuid.uuid4().hex[:12]}")
                ]
            )
        results: list[dict[str, Any]] = []
        off_topic: float | None = None
        for out in outputs:
            try:
                payload = json.loads(_text_of(out.get("output")))
                results.extend(payload.get("results", []))
                off_topic = payload.get("off_topic_cosine", off_topic)
            except (json.JSONDecodeError, AttributeError):
                continue
        if not results or is_weak(evidence(question, results, off_topic)):
            return ModelStep(output=[assistant_message(_abstain(results, False))])
        return ModelStep(output=[assistant_message(compose(question, results))])

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
        step = self._step(input, tools)
        return ModelResponse(output=list(step.output), usage=Usage(requests=1), response_id=None)

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
        from openai.types.responses import (
            Response,
            ResponseCompletedEvent,
            ResponseOutputMessage,
            ResponseTextDeltaEvent,
        )

        output = list(self._step(input, tools).output)
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
