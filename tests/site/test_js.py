"""Sidebars code runs in a sandbox: module forms, imports inside the site, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookctl.errors import SiteError
from bookctl.site.js import evaluate, evaluate_module


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
        ("require('fs').writeFileSync('x', 'y'); module.exports = {};", "writing files is not allowed"),
        ("process.exit(1); module.exports = {};", "process.exit() is not allowed"),
        ("fetch('http://127.0.0.1:9/'); module.exports = {};", "'fetch' is not defined"),
        ("const s = require('./missing.json'); module.exports = {};", "Cannot find module './missing.json'"),
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


def test_what_cannot_be_loaded_is_an_inert_stand_in(tmp_path: Path) -> None:
    """Packages, process/network built-ins and files outside the site are never run or read: they
    become values that tolerate any use and do nothing."""
    site = tmp_path / "site"
    site.mkdir()
    marker = tmp_path / "ran"
    _write(tmp_path, "outside.js", f"require('fs').writeFileSync({str(marker)!r}, 'x'); module.exports = 1;")
    path = _write(
        site,
        "docusaurus.config.js",
        "const {themes} = require('prism-react-renderer');\n"
        "const cp = require('child_process');\n"
        "const out = require('../outside.js');\n"
        "const mermaid = require('@docusaurus/theme-mermaid');\n"
        "const rev = cp.execSync('touch " + str(marker) + "').toString().trim();\n"
        "module.exports = {theme: themes.github, darkTheme: themes.dracula, rev, out: +out,\n"
        "  plugins: [mermaid, [require('remark-math'), {x: 1}], new (require('webpack').DefinePlugin)({})],\n"
        "  n: `${mermaid.version}`, exists: require('fs').existsSync('../outside.js'),\n"
        "  parsed: JSON.parse(require('fs').readFileSync('../outside.js', 'utf8'))};",
    )
    result = evaluate(path, root=site)
    assert result.value == {
        "rev": "",
        "out": 0,
        "plugins": [None, [None, {"x": 1}], None],
        "n": "",
        "exists": False,
    }
    assert not marker.exists()
    assert any("outside the site" in s for s in result.stand_ins)
    assert "prism-react-renderer (a package)" in result.stand_ins


def test_node_built_ins_that_configs_use(tmp_path: Path) -> None:
    _write(tmp_path, "sidebars/docs.js", "module.exports = {};")
    _write(tmp_path, "versions.json", '["2.0", "1.0"]')
    path = _write(
        tmp_path,
        "docusaurus.config.mjs",
        "import path from 'node:path';\nimport {fileURLToPath} from 'url';\nimport fs from 'fs';\n"
        "import {createRequire} from 'node:module';\n"
        "const require = createRequire(import.meta.url);\n"
        "const __dirname = path.dirname(fileURLToPath(import.meta.url));\n"
        "const versions = JSON.parse(fs.readFileSync(path.join(__dirname, 'versions.json'), 'utf8'));\n"
        "export default async function createConfig() {\n"
        "  await Promise.resolve();\n"
        "  return {versions, env: process.env.NODE_ENV, sidebar: require.resolve('./sidebars/docs'),\n"
        "    rel: path.relative(process.cwd(), path.resolve(__dirname, 'a/../b')),\n"
        "    exists: fs.existsSync('./versions.json'), url: new URL('./docs/', import.meta.url).pathname,\n"
        "    pkg: require.resolve('@docusaurus/plugin-content-docs')};\n"
        "}\n",
    )
    value = evaluate(path, root=tmp_path, call_function=True).value
    root = str(tmp_path.resolve())
    assert value == {
        "versions": ["2.0", "1.0"],
        "env": "production",
        "sidebar": f"{root}/sidebars/docs.js",
        "rel": "b",
        "exists": True,
        "url": f"{root}/docs/",
        "pkg": "@docusaurus/plugin-content-docs",
    }


def test_typescript_config_with_types_and_enums(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "docusaurus.config.ts",
        "import {themes as prismThemes} from 'prism-react-renderer';\n"
        "import type {Config} from '@docusaurus/types';\n"
        "import type * as Preset from '@docusaurus/preset-classic';\n"
        "enum Mode { A = 'a', B = 'b' }\n"
        "interface Extra { x?: number }\n"
        "function pick<T>(xs: T[], i: number): T { return xs[i]!; }\n"
        "const config: Config = {\n  baseUrl: pick<string>(['/', '/x/'], 1),\n"
        "  presets: [['classic', {docs: {sidebarPath: './sidebars.ts'}} satisfies Preset.Options]],\n"
        "  themeConfig: {prism: {theme: prismThemes.github}, mode: Mode.B} as Extra,\n};\n"
        "export default config;\n",
    )
    assert evaluate(path, root=tmp_path, call_function=True).value == {
        "baseUrl": "/x/",
        "presets": [["classic", {"docs": {"sidebarPath": "./sidebars.ts"}}]],
        "themeConfig": {"prism": {}, "mode": "b"},
    }


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
