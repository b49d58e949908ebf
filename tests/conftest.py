"""Fixtures shared by the whole suite. Area-specific fixtures live in each area's test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPORA = Path(__file__).resolve().parent / "corpora"
POSTGRES_URL = os.environ.get("BOOKCTL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

# Environment a user may have set that must not leak into tests (and never a real API key).
_SCRUBBED = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "QDRANT_URL", "QDRANT_API_KEY", "DATABASE_URL")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("BOOKCTL_") and name != "BOOKCTL_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    for name in _SCRUBBED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def corpora() -> Path:
    return CORPORA


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO
