"""Doc title vectors: embedded once per title, kept in step with the docs, never a partial bonus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bookctl.index.titles import TitleVectors, read_titles, section_key, update_titles


@dataclass
class FakeDoc:
    id: str
    title: str
    description: str = ""


class CountingModel:
    """Deterministic unit vectors; counts the texts it embeds."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        self.embedded.extend(texts)
        out = np.zeros((len(texts), 4), np.float32)
        for row, text in enumerate(texts):
            out[row, sum(map(ord, text)) % 4] = 1.0
        return out


def test_titles_are_embedded_once_and_follow_the_docs(tmp_path: Path) -> None:
    model = CountingModel()
    docs = [FakeDoc("a", "Install"), FakeDoc("b", "Deploy", "Ship it")]
    assert update_titles(tmp_path, docs, "m", lambda: model) == 2
    assert (
        update_titles(tmp_path, docs, "m", lambda: model) == 0
    )  # unchanged: the model is not even asked for
    assert len(model.embedded) == 2
    docs[1] = FakeDoc("b", "Deploying")  # a changed title is embedded again, the other is kept
    assert update_titles(tmp_path, docs, "m", lambda: model) == 1
    assert model.embedded[-1] == "Deploying"
    assert update_titles(tmp_path, docs[:1], "m", lambda: model) == 0  # a removed doc disappears
    assert set(read_titles(tmp_path)) == {"a"}
    assert update_titles(tmp_path, docs[:1], "other-model", lambda: model) == 1  # another model: re-embed


def test_scores_need_every_candidate_doc(tmp_path: Path) -> None:
    model = CountingModel()
    update_titles(tmp_path, [FakeDoc("a", "Install"), FakeDoc("b", "Deploy")], "m", lambda: model)
    titles = TitleVectors(tmp_path)
    query = model.embed_batch(["Install"])[0]
    scores = titles.scores(query, ["a", "b", "a"])
    assert scores["a"] == 1.0 and set(scores) == {"a", "b"}
    assert titles.scores(query, ["a", "missing"]) == {}  # no doc gets a bonus the others cannot


def test_a_damaged_file_is_just_empty(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "titles.npz").write_bytes(b"not a zip")
    assert read_titles(tmp_path) == {}
    assert TitleVectors(tmp_path).scores(np.ones(4), ["a"]) == {}


@dataclass
class FakeChunk:
    doc_id: str
    anchor: str
    title: str
    heading_path: tuple[str, ...]


def test_section_headings_are_embedded_once_and_follow_the_chunks(tmp_path: Path) -> None:
    model = CountingModel()
    docs = [FakeDoc("a", "Install")]
    chunks = [
        FakeChunk("a", "", "Install", ()),
        FakeChunk("a", "linux", "Install", ("On Linux",)),
        FakeChunk("a", "linux", "Install", ("On Linux",)),
    ]  # two parts of one section: one vector
    assert update_titles(tmp_path, docs, "m", lambda: model, chunks) == 3
    assert model.embedded == ["Install", "Install > On Linux"]  # the same text is embedded once
    assert set(read_titles(tmp_path)) == {"a", section_key("a", ""), section_key("a", "linux")}
    chunks[1:] = [FakeChunk("a", "macos", "Install", ("On macOS",))]  # a renamed section
    assert update_titles(tmp_path, docs, "m", lambda: model, chunks) == 1
    assert model.embedded[-1] == "Install > On macOS"
    assert set(read_titles(tmp_path)) == {"a", section_key("a", ""), section_key("a", "macos")}
    query = model.embed_batch(["Install > On macOS"])[0]
    scores = TitleVectors(tmp_path).scores(query, [section_key("a", "macos"), section_key("a", "")])
    assert scores[section_key("a", "macos")] == 1.0
    # an index from before section headings: the signal is off rather than partial
    assert TitleVectors(tmp_path).scores(query, [section_key("a", "macos"), section_key("b", "x")]) == {}


def test_a_truncated_file_is_just_empty(tmp_path: Path) -> None:
    model = CountingModel()
    update_titles(tmp_path, [FakeDoc(f"d{n}", f"Doc {n}") for n in range(50)], "m", lambda: model)
    path = tmp_path / "index" / "titles.npz"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])  # a copy cut short
    assert read_titles(tmp_path) == {}
    assert TitleVectors(tmp_path).scores(np.ones(4), ["d1"]) == {}
