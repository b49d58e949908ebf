"""An ingest publishes a new index generation while `bookctl serve` runs: the next question is
answered from it (the worker opened it), with no restart; /healthz names the generation it serves."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPORA
from tests.serve.conftest import SITE_URL, ChatKitClient, answer_of, start_server, stop_server

SECTION = (
    "\n\n## Zebra dialect\n\nThe zebra dialect stripes every query across two read replicas and "
    "merges their rows in primary key order.\n"
)
QUESTION = "What does the zebra dialect do with a query?"


def test_a_new_generation_is_served_without_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import bookctl.chat
    from bookctl.config import load_settings
    from bookctl.ingest import ingest
    from bookctl.serve import ServeOptions

    monkeypatch.setattr(bookctl.chat, "GENERATION_CHECK_S", 0.0)  # look at every question, not every second
    site = tmp_path / "kysely"
    shutil.copytree(CORPORA / "kysely", site)
    settings = load_settings(
        {
            "site": site,
            "data_dir": tmp_path / "data",
            "database_url": f"sqlite:///{tmp_path / 'log.db'}",
            "site_url": SITE_URL,
        },
        env={},
    )
    ingest(settings)
    url, thread, server = start_server(settings, ServeOptions(rate_limit=None))
    client = ChatKitClient(url, {})
    try:
        before = client.http.get("/healthz").json()["index"]
        assert before["generation"] == before["live"]
        first = answer_of(client.create(QUESTION))
        assert not any("#zebra-dialect" in a["source"]["url"] for a in first["annotations"])

        with open(site / "docs" / "dialects.md", "a", encoding="utf-8") as doc:
            doc.write(SECTION)
        ingest(settings)  # publishes a new generation while the server runs
        published = client.http.get("/healthz").json()["index"]
        assert published["live"] != before["live"]

        second = answer_of(client.create(QUESTION))
        cited = [a["source"]["url"] for a in second["annotations"]]
        assert f"{SITE_URL}/docs/dialects#zebra-dialect" in cited, cited
        assert "stripes every query" in second["text"]
        after = client.http.get("/healthz").json()["index"]
        assert after["generation"] == after["live"] == published["live"]
    finally:
        client.close()
        stop_server(thread, server)
