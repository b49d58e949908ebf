"""The real docusaurus.config.* of 14 well-known Docusaurus 3 sites load with no flags.

Each fixture in tests/corpora/configs/<name>/ is the site's config with the local files it reads
(SOURCE.md: repository, commit, licence). The expectations below were written by reading each
config by hand (the line numbers point at it), not from bookctl's output. Paths are relative to
the site folder; a sidebarPath the config gives as require.resolve/path.resolve is absolute there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from bookctl.site.siteconfig import read_site_config

CONFIGS = Path(__file__).resolve().parent.parent / "corpora" / "configs"

# name -> (baseUrl, locales, [(id, path, routeBasePath, sidebarPath), ...], {instance id: {option: value}})
EXPECTED: dict[
    str, tuple[str, list[str], list[tuple[str, str, str, str | None]], dict[str, dict[str, Any]]]
] = {
    # docusaurus.config.ts:40, 61-62, 286-297 (preset docs)
    "electron": (
        "/",
        ["en", "de", "es", "fr", "ja", "pt", "ru", "zh"],
        [("default", "docs", "/docs/", "sidebars.js")],
        {},
    ),
    # docusaurus.config.js:33-43 (BASE_URL '/docs' + '/'), 78-107: lastVersion 'current', versions.current.label v9
    "ionic": (
        "/docs/",
        ["en", "ja"],
        [("default", "docs", "/", "sidebars.js")],
        {
            "default": {
                "last_version": "current",
                "versions": {"current": {"label": "v9"}},
                "exclude": ["README.md"],
            }
        },
    ),
    # docusaurus.config.mjs:33 i18n from i18n.mjs:10-20, 49-62: path '../docs', sidebarPath path.resolve(__dirname, ...)
    "jest": (
        "/",
        ["en", "ja", "es-ES", "fr", "pt-BR", "ro", "ru", "uk", "zh-Hans"],
        [("default", "../docs", "docs", "sidebars.json")],
        {},
    ),
    # docusaurus.config.ts:29-33, 108-111 (no path / routeBasePath: the defaults)
    "kysely": ("/", ["en"], [("default", "docs", "docs", "sidebars.js")], {}),
    # docusaurus.config.ts:295, 442-448 (no i18n: the default locale only)
    "lexical": ("/", ["en"], [("default", "docs", "docs", "sidebars.js")], {}),
    # docusaurus.config.js:21-28
    "metro": ("/", ["en"], [("default", "../docs", "docs", "sidebars.json")], {}),
    # docusaurus.config.ts:18, 158-170: the docs plugin in `plugins` (presets: redocusaurus only)
    "ory": (
        "/docs/",
        ["en"],
        [("default", "docs", "/", "sidebars.ts")],
        {"default": {"include": ["**/*.md", "**/*.mdx", "**/*.jsx", "**/*.tsx"]}},
    ),
    # docusaurus.config.ts:60, 88-105 (lastVersion '11.x', includeCurrentVersion false), 127-132 pnpr;
    # locales from locales.json (LOCALE_CI unset)
    "pnpm": (
        "/",
        [x["locale"] for x in __import__("json").loads((CONFIGS / "pnpm" / "locales.json").read_text())],
        [("default", "./docs", "/", "sidebars.json"), ("pnpr", "./pnpr-docs", "pnpr", "sidebars-pnpr.json")],
        {
            "default": {
                "last_version": "11.x",
                "include_current_version": False,
                "versions": {"11.x": {"label": "11 & 12"}},
            }
        },
    ),
    # docusaurus.config.js:38, 64-65, 68-90 (lastVersion undefined unless PULL_REQUEST=true)
    "prettier": (
        "/",
        ["en"],
        [("default", "../docs", "docs", "./sidebars.json")],
        {
            "default": {
                "last_version": None,
                "versions": {
                    "current": {"label": "next", "badge": False},
                    "stable": {"label": "stable", "badge": False},
                },
            }
        },
    ),
    # docusaurus.config.ts:94, 119-120, 183-195 (versions[0] of versions.json is '0.86'), 241-266
    "react-native": (
        "/",
        ["en"],
        [
            ("default", "../docs", "docs", "sidebars.ts"),
            ("architecture", "architecture", "/architecture", "sidebarsArchitecture.ts"),
            ("contributing", "contributing", "/contributing", "sidebarsContributing.ts"),
            ("community", "community", "/community", "sidebarsCommunity.ts"),
        ],
        {"default": {"only_include_versions": None, "versions": {"0.86": {"badge": False}}}},
    ),
    # docusaurus.config.ts:12, 158-166
    "redux": ("/", ["en"], [("default", "../docs", "/", "sidebars.js")], {}),
    # docusaurus.config.mts:33-42 (preset docs, id rules-docs), 52-61 + 417 (plugin base-docs), 359
    "typescript-eslint": (
        "/",
        ["en"],
        [
            ("rules-docs", "../eslint-plugin/docs/rules", "rules", "sidebars/sidebar.rules.js"),
            ("base-docs", "../../docs", "/", "sidebars/sidebar.base.js"),
        ],
        {"rules-docs": {"exclude": ["TEMPLATE.md"]}},
    ),
    # docusaurus.config.ts:26, 42-62, 240-252, 311-317
    "webdriverio": (
        "/",
        ["en", "ar", "de", "es", "fr", "hi", "it", "ko", "pl", "pt", "ru", "sv", "ta", "uk", "vi", "zh"],
        [
            ("default", "docs", "docs", "sidebars.ts"),
            ("community", "community", "community", "sidebarsCommunity.ts"),
        ],
        {
            "default": {
                "include": ["**/*.{md,mdx}", "**/_*.{md,mdx}"],
                "exclude": ["**/*.test.{js,jsx,ts,tsx}", "**/__tests__/**"],
            }
        },
    ),
    # docusaurus.config.js:11, 150-153, 167-172, 188-197
    "yew": (
        "/",
        ["en", "ja", "zh-Hans", "zh-Hant"],
        [
            ("default", "docs", "/docs", "sidebars/docs.js"),
            ("community", "community", "/community", "sidebars/community.js"),
        ],
        {},
    ),
}


def test_the_fixtures_are_all_here() -> None:
    assert sorted(p.name for p in CONFIGS.iterdir() if p.is_dir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 12
    for name in EXPECTED:
        assert (CONFIGS / name / "SOURCE.md").is_file(), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_config_loads_with_no_flags(name: str) -> None:
    site = CONFIGS / name
    base_url, locales, instances, options = EXPECTED[name]
    config = read_site_config(site)
    assert config is not None
    assert config.base_url == base_url
    assert config.locales == locales
    assert config.default_locale == "en"
    # ory docusaurus.config.ts:24 and react-native docusaurus.config.ts:99 say trailingSlash: false; no other sets it
    assert config.trailing_slash is (False if name in {"ory", "react-native"} else None)

    def rel(p: str | bool | None) -> str | None:
        if not isinstance(p, str):
            return None
        return os.path.relpath(p, site.resolve()) if os.path.isabs(p) else p

    got = [(i.id, i.path, i.route_base_path, rel(i.sidebar_path)) for i in config.instances]
    want = [
        (i, p, r, s if s is None or s.startswith("./") else os.path.normpath(s)) for i, p, r, s in instances
    ]
    assert got == want
    for instance_id, fields in options.items():
        inst = config.instance(instance_id)
        assert inst is not None
        for key, value in fields.items():
            actual = getattr(inst, key)
            if key == "versions":
                actual = {k: {f: v[f] for f in value[k]} for k, v in actual.items()}
            assert actual == value, f"{name} {instance_id} {key}"


def test_our_own_website_config_loads_and_verbose_names_the_stand_ins() -> None:
    """web/docusaurus.config.ts imports prism-react-renderer's themes (a package: a stand-in) and
    reads the book from ../content with ../sidebars.js; it has an English and a French view."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parent.parent.parent
    out = subprocess.run(
        [sys.executable, "-m", "bookctl", "chapters", str(repo / "web"), "--verbose"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert out.returncode == 0, out.stderr
    assert "config: inert stand-ins for prism-react-renderer (a package)" in out.stderr
    assert "/fr/docs" in out.stdout
    assert re.search(r"web \(\d+ docs, 1 sidebars\)", out.stdout)
