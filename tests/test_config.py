"""Settings precedence: flag > env > bookctl.toml / [tool.bookctl] > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookctl.config import load_settings, redact_url
from bookctl.errors import ConfigError


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    s = load_settings({}, env={}, cwd=tmp_path)
    assert s.batch_size == 64
    assert s.database_url is None
    assert s.sources == {}


def test_precedence_flag_over_env_over_toml(tmp_path: Path) -> None:
    (tmp_path / "bookctl.toml").write_text(
        'batch_size = 8\nmodel = "from-toml"\nembedding_model = "toml-model"\n'
    )
    env = {"BOOKCTL_BATCH_SIZE": "16", "BOOKCTL_MODEL": "from-env"}
    s = load_settings({"batch_size": 32}, env=env, cwd=tmp_path)
    assert s.batch_size == 32 and s.sources["batch_size"] == "flag"
    assert s.model == "from-env" and s.sources["model"] == "env BOOKCTL_MODEL"
    assert s.embedding_model == "toml-model" and s.sources["embedding_model"].endswith("bookctl.toml")


def test_pyproject_tool_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname="x"\n[tool.bookctl]\ndata-dir = "state"\n')
    s = load_settings({}, env={}, cwd=tmp_path)
    assert s.data_dir == Path("state")
    assert "[tool.bookctl]" in s.sources["data_dir"]


def test_env_aliases_and_llm_base_url(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": "postgresql://u:pw@h/db",
        "BOOKCTL_BASE_URL": "http://127.0.0.1:9/v1",
        "QDRANT_URL": "http://q:6333",
    }
    s = load_settings({}, env=env, cwd=tmp_path)
    assert s.database_url == "postgresql://u:pw@h/db"
    assert s.llm_base_url == "http://127.0.0.1:9/v1"
    assert s.qdrant_url == "http://q:6333"


def test_bookctl_env_wins_over_alias(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgresql://a/b", "BOOKCTL_DATABASE_URL": "sqlite+aiosqlite:///x.db"}
    assert load_settings({}, env=env, cwd=tmp_path).database_url == "sqlite+aiosqlite:///x.db"


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"BOOKCTL_BATCH_SIZE": "lots"}, "BOOKCTL_BATCH_SIZE"),
        ({"BOOKCTL_BATCH_SIZE": "0"}, "positive"),
        ({"BOOKCTL_TRACING": "maybe"}, "true or false"),
    ],
)
def test_bad_env_values_name_the_variable(tmp_path: Path, env: dict[str, str], needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({}, env=env, cwd=tmp_path)
    assert needle in str(info.value)
    assert info.value.exit_code == 2


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "bookctl.toml").write_text("batch_size = [\n")
    with pytest.raises(ConfigError, match="bookctl.toml: not valid TOML"):
        load_settings({}, env={}, cwd=tmp_path)


def test_unknown_toml_setting_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bookctl.toml").write_text("batchsize = 3\n")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings({}, env={}, cwd=tmp_path)


def test_secrets_are_masked_in_describe(tmp_path: Path) -> None:
    env = {"OPENAI_API_KEY": "sk-canary-123", "DATABASE_URL": "postgresql://u:canarypw@h/db"}
    s = load_settings({}, env=env, cwd=tmp_path)
    shown = " ".join(v for _, v, _ in s.describe())
    assert "sk-canary-123" not in shown and "canarypw" not in shown


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://user:secret@ep-x.neon.tech/db?sslmode=require",
            "postgresql://user:***@ep-x.neon.tech/db?sslmode=require",
        ),
        (
            "postgresql+asyncpg://u:p%40ss@127.0.0.1:5432/test",
            "postgresql+asyncpg://u:***@127.0.0.1:5432/test",
        ),
        ("sqlite+aiosqlite:///tmp/x.db", "sqlite+aiosqlite:///tmp/x.db"),
        ("postgresql://h/db?user=u&password=secret", "postgresql://h/db?user=u&password=***"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected
