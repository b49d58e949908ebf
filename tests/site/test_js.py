"""Sidebars code runs in a sandbox: module forms, imports inside the site, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookctl.errors import SiteError
from bookctl.site.js import evaluate_module


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("sidebars.js", "module.exports = {main: ['intro', {type: 'doc', id: 'b'}]};"),
        ("sidebars.mjs", "const s = {main: ['intro', {type: 'doc', id: 'b'}]};\nexport default s;"),
        (
            "sidebars.ts",
            "import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';\n\n"
            "const sidebars: SidebarsConfig = {main: ['intro', {type: 'doc', id: 'b'}]};\n"
            "export default sidebars;",
        ),
        (
            "sidebars.ts",
            "import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';\n"
            "export default {main: ['intro', {type: 'doc', id: 'b' as const}]} satisfies SidebarsConfig;",
        ),
        (
            "sidebars.js",
            "// @ts-check\n/** @type {import('@docusaurus/plugin-content-docs').SidebarsConfig} */\n"
            "const a = {x: 1}; const {x} = a; const items = [...['intro'], {type: 'doc', id: 'b'}];\n"
            "module.exports = {main: items ?? []};",
        ),
    ],
)
def test_module_forms(tmp_path: Path, name: str, source: str) -> None:
    path = _write(tmp_path, name, source)
    assert evaluate_module(path, root=tmp_path) == {"main": ["intro", {"type": "doc", "id": "b"}]}


def test_require_json_and_js_inside_the_site(tmp_path: Path) -> None:
    _write(tmp_path, "data/items.json", '["a", "b"]')
    _write(tmp_path, "data/more.js", "module.exports = ['c'];")
    _write(tmp_path, "data/esm.mjs", "export const extra = ['d'];")
    path = _write(
        tmp_path,
        "sidebars.js",
        "const items = require('./data/items.json');\nconst more = require('./data/more');\n"
        "import {extra} from './data/esm.mjs';\nmodule.exports = {s: [...items, ...more, ...extra]};",
    )
    assert evaluate_module(path, root=tmp_path) == {"s": ["a", "b", "c", "d"]}


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        ("const fs = require('fs'); module.exports = {};", "require('fs') is not allowed"),
        (
            "const cp = require('child_process'); module.exports = {};",
            "require('child_process') is not allowed",
        ),
        ("import fs from 'node:fs'; export default {};", "is not allowed"),
        ("const x = require('left-pad'); module.exports = {};", "only files inside the site"),
        ("process.exit(1); module.exports = {};", "process.exit() is not allowed"),
        ("fetch('http://127.0.0.1:9/'); module.exports = {};", "'fetch' is not defined"),
        ("const s = require('../outside.json'); module.exports = {};", "outside the site"),
    ],
)
def test_refused(tmp_path: Path, source: str, needle: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _write(tmp_path, "outside.json", "{}")
    path = _write(site, "sidebars.js", source)
    with pytest.raises(SiteError) as info:
        evaluate_module(path, root=site)
    assert needle in str(info.value)
    assert "sidebars.js" in str(info.value)


def test_endless_loop_stops_at_the_time_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "sidebars.js", "while (true) {}\nmodule.exports = {};")
    with pytest.raises(SiteError, match=r"stopped after 0.5 s"):
        evaluate_module(path, root=tmp_path, time_limit=0.5)


def test_huge_allocation_is_stopped(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "sidebars.js",
        "const a = []; while (true) { a.push(new Array(1000000).fill(7)); }\nmodule.exports = {};",
    )
    with pytest.raises(SiteError, match="out of memory"):
        evaluate_module(path, root=tmp_path, time_limit=10)


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "sidebars.js",
        "const sidebars = {\n  main: ['a',\n  oops oops\n};\nmodule.exports = sidebars;",
    )
    with pytest.raises(SiteError) as info:
        evaluate_module(path, root=tmp_path)
    assert str(info.value).startswith(f"{path.resolve()}:3")
    assert "SyntaxError" in str(info.value)
