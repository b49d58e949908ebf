"""The book for other AI tools, as files: `llms.txt`, `llms-full.txt` and one `.md` per doc.

    result = export_llms_txt(settings, Path("build"))   # what `bookctl export llms-txt` runs

The site is read by bookctl.site (the same docs, ids, URLs and sidebars as everywhere else); the
files are built by bookctl.export.llms_txt and each doc's Markdown by bookctl.export.markdown,
which the MCP server's resources share.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bookctl.config import Settings
from bookctl.errors import ConfigError
from bookctl.export.llms_txt import SiteIdentity, llms_txt_files, write_files
from bookctl.export.scopes import site_layout
from bookctl.site.model import Site, default_view

__all__ = ["ExportResult", "SiteIdentity", "export_llms_txt", "site_identity", "site_layout", "site_url"]


def _config_file(site: Site) -> Path | None:
    config = getattr(site, "config", None)
    if config is not None:
        found: Path | None = getattr(config, "config_file", None)
        return found
    from bookctl.site.loader import CONFIG_FILES

    return next((site.root / f for f in CONFIG_FILES if (site.root / f).is_file()), None)


def _config_fields(site: Site) -> dict[str, Any]:
    """`title`, `tagline` and `url` of the site's docusaurus.config.*, when it has one."""
    from bookctl.site.js import evaluate_module

    config_file = _config_file(site)
    if config_file is None:
        return {}
    config = evaluate_module(config_file, root=site.root)
    if not isinstance(config, dict):
        return {}
    return {k: config[k] for k in ("title", "tagline", "url") if isinstance(config.get(k), str)}


def _checked_url(url: str, where: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(
            f"{where} {url!r} is not an absolute http(s) URL",
            fix="give the site's address, e.g. https://example.com (the baseUrl path is added to it)",
        )
    return url.rstrip("/")


def site_url(settings: Settings, site: Site) -> str | None:
    """The site's public URL: --site-url (BOOKCTL_SITE_URL), else the config's `url`; None when
    neither is known (links then stay relative to the site's root)."""
    if settings.site_url:
        return _checked_url(settings.site_url, "--site-url")
    url = _config_fields(site).get("url")
    return url.rstrip("/") if url and url.startswith(("http://", "https://")) else None


def site_identity(
    settings: Settings, site: Site, *, title: str | None = None, summary: str | None = None
) -> SiteIdentity:
    """Title and summary: the flags, else the config's `title` and `tagline`, else the site
    folder's name and no summary."""
    fields = _config_fields(site)
    return SiteIdentity(
        title=title or fields.get("title") or site.root.resolve().name,
        summary=summary if summary is not None else fields.get("tagline"),
        url=site_url(settings, site),
    )


@dataclass
class ExportResult:
    out: Path
    files: list[Path]
    docs: int
    url: str | None
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out),
            "files": len(self.files),
            "docs": self.docs,
            "url": self.url,
            "seconds": round(self.seconds, 3),
            "llms_txt": str(self.out / "llms.txt"),
            "llms_full_txt": str(self.out / "llms-full.txt"),
            "warnings": self.warnings,
        }


def export_llms_txt(
    settings: Settings, out: Path, *, title: str | None = None, summary: str | None = None
) -> ExportResult:
    from bookctl.site.loader import load_views

    started = time.perf_counter()
    views = load_views(settings)
    site = default_view(views)
    identity = site_identity(settings, site, title=title, summary=summary)
    files = llms_txt_files(views, identity)
    written = write_files(files, out)
    warnings = list(site.warnings)
    if identity.url is None:
        warnings.append(
            "the site's url is unknown, so links are relative to the site's root: "
            "pass --site-url https://... (or set `url` in docusaurus.config)"
        )
    return ExportResult(
        out=out,
        files=written,
        docs=len({d.permalink for view in views for d in view.docs}),
        url=identity.url,
        seconds=time.perf_counter() - started,
        warnings=warnings,
    )
