"""The specific terms of a question and whether a book mentions them (near-miss abstention)."""

from __future__ import annotations

import pytest

from bookctl.agent.terms import (
    mentions,
    missing_terms,
    name_phrases,
    phrase_in,
    specific_terms,
    term_runs,
    zipf,
)


def test_the_word_list_is_read_as_wordfreq_reads_it() -> None:
    """terms.py reads wordfreq's data file directly (importing wordfreq costs 0.7 s); a layout change in
    a new wordfreq fails here, not silently."""
    from wordfreq import zipf_frequency

    for word in ("the", "robot", "drizzle", "unity", "api", "flooding", "gazebo", "webots", "kysely"):
        assert zipf(word) == pytest.approx(zipf_frequency(word, "en", wordlist="small"), abs=0.011), word


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How do I simulate my humanoid in Webots instead of Gazebo?", ["Webots", "Gazebo"]),
        ("How do I deploy my Docusaurus site to Fly.io?", ["Docusaurus", "Fly.io"]),
        ("How do I solve inverse kinematics for the arm with TRAC-IK?", ["TRAC-IK"]),  # kinematics: English
        ("How do I migrate my queries from Drizzle ORM to Kysely?", ["Drizzle", "ORM", "Kysely"]),
        ("what does TRANSIENT_LOCAL durability do", ["TRANSIENT_LOCAL"]),
        ("How do I run a pgvector similarity search?", ["pgvector"]),
        # a name may be a common word: capitalised inside the sentence, below Zipf 5
        ("How do I deploy the site on Railway?", ["Railway"]),
        ("How do I use Kysely with Amazon Redshift?", ["Kysely", "Amazon", "Redshift"]),
        # Title Case says nothing about names: only what is no English word counts
        ("How Do I Deploy The Site On Railway?", []),
        ("How Do I Simulate My Humanoid In Webots?", ["webots"]),
        # generic words, even rare ones made of two common words, name nothing
        ("What is the capital of Australia?", []),
        ("what makes physical AI different from chatbots", ["AI"]),  # AI: an acronym, below Zipf 5
        ("How do I set a sitewide meta description?", []),
        ("How do I make real-time control loops faster?", []),
    ],
)
def test_specific_terms(question: str, expected: list[str]) -> None:
    assert specific_terms(question) == expected


def test_mentions_takes_inflections_not_other_words() -> None:
    assert mentions("Webots", "a webot simulator") and mentions("policies", "one policy")
    assert mentions("swizzling", "you can swizzle it") and mentions("TRAC-IK", "use trac-ik or KDL")
    assert mentions("Fly.io", "deploy on fly.io") and not mentions("Fly.io", "a fly in the io ring")
    assert not mentions("Contentful", "the content is here")
    assert not mentions("materialized", "the material")


def test_missing_terms_asks_the_index(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    from bookctl.index import open_searcher

    settings, _ = indexed_corpus("kysely")
    searcher = open_searcher(settings)
    try:

        def search(term: str):  # type: ignore[no-untyped-def]
            return searcher.search(term, k=8, mode="sparse")

        # a name of several words replaces the missing words of it
        assert missing_terms("How do I migrate from Drizzle ORM to Kysely?", search) == ["Drizzle ORM"]
        assert missing_terms("How do I use Kysely with Supabase and PGlite?", search) == []
        assert missing_terms("How do I run migrations?", search) == []
    finally:
        searcher.close()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How do I log my runs to Weights & Biases?", ["Weights & Biases"]),
        ("How do I add a Buy Me a Coffee button?", ["Buy Me a Coffee"]),
        ("Does Isaac Sim run with MoveIt 2?", ["Isaac Sim", "MoveIt 2"]),
        ("Can I use Gazebo and Unity together?", []),  # two names, not one
        ("How Do I Deploy To Google Cloud?", []),  # Title Case: capitals mark no name
    ],
)
def test_name_phrases(question: str, expected: list[str]) -> None:
    assert name_phrases(question) == expected


def test_a_name_is_mentioned_only_with_its_words_together() -> None:
    assert phrase_in("Google Cloud", "run it on Google Cloud Run")
    assert phrase_in("Apple Vision Pro", "Apple's Vision Pro headset")  # one word between
    assert not phrase_in("Google Cloud", "Google DeepMind trained it in a cloud")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How do I localise the robot with a particle filter?", [["particle", "filter"]]),
        ("How do I paginate with cursor-based pagination?", [["cursor", "based", "pagination"]]),
        ("How do I fuse them with an unscented Kalman filter?", [["unscented", "kalman", "filter"]]),
        ("How hard should the fingers squeeze a mug?", []),  # "squeeze" takes an object: a verb
        ("How do I build queries dynamically?", []),  # an adverb
        ("How can I localise robots?", []),  # after a subject: a verb
    ],
)
def test_term_runs(question: str, expected: list[list[str]]) -> None:
    assert term_runs(question) == expected


def test_common_word_near_misses_and_their_paraphrases(indexed_corpus) -> None:  # type: ignore[no-untyped-def]
    """A name of common words whose words the docs hold apart, and a common-word term with a word the
    docs never use, are missing; a paraphrase whose odd word has a near synonym in the retrieved text
    is not."""
    from bookctl.agent.tools import with_context
    from bookctl.index import open_searcher

    settings, _ = indexed_corpus("kysely")
    searcher = open_searcher(settings)
    try:

        def missing(question: str) -> list[str]:
            hits = [with_context(searcher, h) for h in searcher.search(question, k=5)]
            return missing_terms(question, lambda t: searcher.search(t, k=8, mode="sparse"), retrieved=hits)

        assert missing("How do I use Kysely with the Repository Pattern?") == ["Repository Pattern"]
        assert missing("How do I write a lateral join with Kysely?") == ["lateral join"]
        assert missing("How do I join a subquery?") == []
        assert missing("How do I log every executed query and its duration?") == []
    finally:
        searcher.close()
