"""Fixtures shared by the whole suite. Area-specific fixtures live in each area's test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPORA = Path(__file__).resolve().parent / "corpora"
POSTGRES_URL = os.environ.get(
    "BOOKCTL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)

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


# --- indexed corpora: each embedded once per test session --------------------------------------

_INDEXED: dict[str, tuple[object, Path]] = {}


@pytest.fixture(scope="session")
def indexed_corpus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """indexed_corpus(name) -> (settings, data_dir) for "kysely", "docusaurus" or "book" (our content/).

    Built once per session with the real bundled model and the embedded engine. Tests must not
    change these indexes: copy the corpus for tests that mutate it.
    """
    from bookctl.config import load_settings
    from bookctl.ingest import ingest

    def get(name: str) -> tuple[object, Path]:
        if name not in _INDEXED:
            site = REPO if name == "book" else CORPORA / name
            data_dir = tmp_path_factory.mktemp(f"index-{name}")
            settings = load_settings({"site": site, "data_dir": data_dir}, env={})
            ingest(settings)
            _INDEXED[name] = (settings, data_dir)
        return _INDEXED[name]

    return get
