"""What the offline model says and how its answers are recognised: one place, imported by the model,
the agent (is an answer an abstention?) and the evals (which lines are the extractive note)."""

from __future__ import annotations

MODEL_NAME = "offline-extractive"
ABSTAIN_PREFIX = "The book does not cover this."
NOT_MENTIONED_PREFIX = "The book does not mention "  # + the terms: "The book does not mention Webots."
SELECTION_ABSTAIN = "The selected passage does not answer this."
EXTRACTIVE_NOTE = "_Extractive answer (offline mode): sentences quoted from the book, no language model._"
SELECTION_MARKER = "SELECTED PASSAGE"


def is_abstention(answer: str) -> bool:
    """An answer that declines: the book does not cover it, does not mention the question's subject,
    or the selected passage does not answer it (the instructions ask real models for the first)."""
    return answer.lstrip().startswith((ABSTAIN_PREFIX, NOT_MENTIONED_PREFIX, SELECTION_ABSTAIN))


def not_mentioned(terms: list[str]) -> str:
    """ "The book does not mention Webots." / "... mention Drizzle or TypeORM." """
    names = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " or " + terms[-1]
    return f"{NOT_MENTIONED_PREFIX}{names}."
