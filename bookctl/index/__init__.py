"""The vector index: one interface, an embedded engine and a Qdrant server behind it.

State under the data dir:
    index/meta.json   what the index was built with (schema, engine, models, site) and when;
                      written only after the vectors are stored
    index/edge/       the embedded engine's files
    index/titles.npz  doc title and section heading vectors (bookctl.index.titles)
    ingest.lock       held by a running ingest

`index` is a symlink to the live generation (bookctl.index.generations): an ingest builds a new
generation and swaps the link, and readers search a private copy of the live one, so they see the
old index or the new, never a mix. The functions below that take a `root` read or write
`root/index/`: a generation, a reader's copy, or (read-only) the data dir itself.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bookctl.config import Settings
from bookctl.errors import IndexStateError, InputError

if TYPE_CHECKING:
    from bookctl.index.searcher import IndexSearcher
    from bookctl.index.store import Store

SCHEMA_VERSION = 1


@dataclass
class IndexMeta:
    schema_version: int
    engine: str
    dense_model: str
    dim: int
    sparse_model: str
    site: str
    last_ingest: str | None = None
    chunks: int = 0
    docs: int = 0
    chapters: dict[str, int] = field(default_factory=dict)
    off_topic_cosine: float | None = None  # abstention calibration (bookctl.index.calibration)
    off_topic_cosines: dict[str, float] = field(default_factory=dict)  # the same per dense model
    # The site's views in the index (empty: an index built before sites had views, searched whole):
    # {"instance", "version", "label", "locale", "latest" (its instance lands on this version),
    #  "default" (the view a reader lands on), "docs", "chunks", "chapters": {label: chunks},
    #  "dense_model" (its vectors' model; missing: `dense_model`, before models per view)}
    views: list[dict[str, Any]] = field(default_factory=list)
    # The BM25 tokenizer the sparse vectors were made with (bookctl.embedding.BM25.tokenizer); None:
    # before Chinese/Japanese were cut into bigrams (the same vectors for any other text).
    sparse_tokenizer: str | None = None


def index_dir(data_dir: Path) -> Path:
    return data_dir / "index"


def read_meta(data_dir: Path) -> IndexMeta | None:
    path = index_dir(data_dir) / "meta.json"
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return IndexMeta(**raw)
    except (json.JSONDecodeError, TypeError, UnicodeDecodeError):
        raise IndexStateError(
            f"{path} is corrupt", fix="rebuild the index with `bookctl ingest --full`"
        ) from None


def write_meta(data_dir: Path, meta: IndexMeta) -> None:
    """Atomically: a crash leaves the old file or the new one, never half of one."""
    folder = index_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".meta-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(meta), fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / "meta.json")


def engine_name(settings: Settings) -> str:
    return "qdrant" if settings.qdrant_url else "edge"


def open_store(settings: Settings, root: Path, *, dim: int, create: bool) -> Store:
    """The store of `root/index/`: a generation being built or a reader's private copy (never the
    live index in place: opening qdrant-edge files locks and rewrites them)."""
    from bookctl.index.store import EdgeStore, QdrantStore

    if settings.qdrant_url:
        return QdrantStore(settings.qdrant_url, api_key=settings.qdrant_api_key, dim=dim, create=create)
    path = index_dir(root) / "edge"
    if create and path.exists():
        import shutil

        shutil.rmtree(path)
    return EdgeStore(path, dim=dim, create=create or not path.exists())


def check_compatible(meta: IndexMeta, settings: Settings) -> None:
    from bookctl.embedding import _DEFAULT_ALIASES, BM25, DEFAULT_MODEL, view_model
    from bookctl.site.languages import CJK_LANGUAGES, language_of

    wanted = DEFAULT_MODEL if settings.embedding_model in _DEFAULT_ALIASES else settings.embedding_model
    if meta.schema_version != SCHEMA_VERSION:
        raise IndexStateError(
            f"the index was built by another bookctl version (schema {meta.schema_version}, "
            f"this one uses {SCHEMA_VERSION})",
            fix="rebuild it with `bookctl ingest --full`",
        )
    if meta.dense_model != wanted:
        raise IndexStateError(
            f"the index was built with the model {meta.dense_model!r}, the settings ask for {wanted!r}",
            fix="rebuild it with `bookctl ingest --full`, or change the model back",
        )
    if meta.sparse_tokenizer != BM25.tokenizer and any(
        language_of(str(v.get("locale", ""))) in CJK_LANGUAGES for v in meta.views
    ):
        raise IndexStateError(
            "the index's BM25 vectors were made before bookctl cut Chinese and Japanese text into words",
            fix="rebuild it with `bookctl ingest --full`",
        )
    changed = sorted(
        {
            str(v.get("locale"))
            for v in meta.views
            if v.get("dense_model", meta.dense_model)
            != view_model(str(v.get("locale", "")), settings.embedding_model, settings.translations_model)
        }
    )
    if changed:
        now = view_model(changed[0], settings.embedding_model, settings.translations_model)
        raise IndexStateError(
            f"the index's {', '.join(changed)} views were embedded with another model than bookctl now "
            f"uses for them ({now})",
            fix="rebuild it with `bookctl ingest --full`",
        )
    if meta.engine != engine_name(settings):
        raise IndexStateError(
            f"the index was built on the {meta.engine} engine, the settings use {engine_name(settings)}",
            fix="rebuild it with `bookctl ingest --full`",
        )


def check_same_site(meta: IndexMeta, site_root: Path, data_dir: Path) -> None:
    """An incremental ingest of another site into this data dir would silently replace its index
    ("removed 887"): ask for --full instead. Indexes written before the site was recorded as an
    absolute path are not checked."""
    held = Path(meta.site) if meta.site else None
    if held is None or not held.is_absolute() or held == site_root.resolve():
        return
    raise IndexStateError(
        f"the data dir {data_dir} holds the index of another site ({held}), not of {site_root.resolve()}",
        fix="pass --full to replace it with this site's, or --data-dir for a separate index",
    )


@dataclass(frozen=True)
class Scope:
    """The part of an index a searcher reads: one locale, and the latest version of each docs
    instance or one named version (see resolve_scope)."""

    where: dict[str, Any]  # payload filter added to every query ({} = the whole index)
    locale: str | None = None
    version: str | None = None  # a version name; None = each instance's latest
    views: tuple[dict[str, Any], ...] = ()  # the views of meta.views it covers

    @property
    def chapters(self) -> list[str]:
        seen: dict[str, None] = {}
        for view in self.views:
            seen.update(dict.fromkeys(c for c in view.get("chapters", {}) if c))
        return list(seen)


def resolve_scope(
    meta: IndexMeta, version: str | None, locale: str | None, *, question: str | None = None
) -> Scope:
    """What `--version` / `--locale` (None: the default) select in this index. A version is named by
    its Docusaurus name or label ("0.22", "current", "Next"); a locale by its code. Unknown ones are
    an InputError that lists the known ones. With no locale, a `question` in the language of another
    locale of the index selects that locale (see question_locale)."""
    if locale is None and question is not None:
        detected = question_locale(meta, question)
        if detected is not None:
            scope = resolve_scope(meta, version, detected)
            if scope.views:  # else that locale lacks the version: the default locale's
                return scope
    views = meta.views
    if not views:
        if version is not None or locale is not None:
            raise InputError(
                "this index was built before bookctl read versions and translations",
                fix="run `bookctl ingest` again, then pass --version / --locale",
            )
        return Scope({})
    default_locale = next((v["locale"] for v in views if v.get("default")), views[0]["locale"])
    locales = list(dict.fromkeys(v["locale"] for v in views))
    if locale is None:
        locale = default_locale
    elif locale not in locales:
        from bookctl.site.languages import locale_for_tag

        found = locale_for_tag(locale, locales)  # fr-CH -> fr, zh-TW -> zh-Hant
        if found is None:
            raise InputError(f"unknown locale {locale!r}", fix="locales: " + ", ".join(locales))
        locale = found
    in_locale = [v for v in views if v["locale"] == locale]
    if version is None:
        chosen = [v for v in in_locale if v.get("latest")]
        return Scope({"locale": locale, "latest": "yes"}, locale, None, tuple(chosen))
    names = list(dict.fromkeys(v["version"] for v in views))
    by_label = {str(v.get("label", "")).casefold(): v["version"] for v in views}
    name = version if version in names else by_label.get(version.casefold())
    if name is None:
        shown = [f"{n} ({lbl})" if lbl and lbl != n else n for n, lbl in _labels(views).items()]
        raise InputError(f"unknown version {version!r}", fix="versions: " + ", ".join(shown))
    chosen = [v for v in in_locale if v["version"] == name]
    return Scope({"locale": locale, "version": name}, locale, name, tuple(chosen))


def question_locale(meta: IndexMeta, question: str) -> str | None:
    """The locale of the index `question` is written in when it is not the default one (a Japanese
    question on a site with Japanese docs: "ja"), else None. The rule: bookctl.site.languages."""
    from bookctl.site.languages import question_locale as language_rule

    views = meta.views
    if not views:
        return None
    default_locale = next((v["locale"] for v in views if v.get("default")), views[0]["locale"])
    locales = list(dict.fromkeys(v["locale"] for v in views))
    found = language_rule(question, locales, default_locale)
    return None if found == default_locale else found


def _labels(views: list[dict[str, Any]]) -> dict[str, str]:
    return {v["version"]: str(v.get("label", "")) for v in views}


def open_searcher(settings: Settings, *, question: str | None = None) -> IndexSearcher:
    """A Searcher (see bookctl.index.base) over the index of `settings`' data dir, scoped to the
    view `settings.docs_version` / `settings.locale` name (default: what a reader lands on; with no
    locale, a `question` in another locale's language reads that locale: resolve_scope)."""
    import shutil

    from bookctl.index.generations import snapshot
    from bookctl.index.searcher import IndexSearcher

    data_dir = settings.resolved_data_dir
    root = snapshot(data_dir)  # a private copy of the live index, deleted by the searcher's close()
    try:
        meta = read_meta(root) if root is not None else None
        if meta is None:
            raise InputError(f"no index in {data_dir}", fix="run `bookctl ingest` first")
        check_compatible(meta, settings)
        scope = resolve_scope(meta, settings.docs_version, settings.locale, question=question)
        store = open_store(settings, root, dim=meta.dim, create=False)  # type: ignore[arg-type]
    except BaseException:
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
        raise
    return IndexSearcher(store, meta, settings, snapshot=root, scope=scope)
