"""Evaluate a site's JS/TS config modules (sidebars, docusaurus.config) in a sandbox.

The code runs in QuickJS (an embedded ES2023 engine) with no filesystem, network or
process access, a time limit and a memory limit. Modules are loaded by us, not by the
code: before evaluation we scan each file for `require(...)` / `import ... from` specs,
resolve them inside the site folder (JSON, JS, TS), and define every module up front.
TypeScript is reduced to JavaScript for the forms the Docusaurus templates write
(`import type`, `const x: T = ...`, `satisfies T`, `as const`); ESM is turned into
CommonJS. The result crosses back as JSON, so functions and other non-data values
(which Docusaurus itself would not put in a sidebar) are dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bookctl.errors import SiteError

TIME_LIMIT_S = 2.0
MEMORY_LIMIT = 128 * 1024 * 1024
_EXTENSIONS = ("", ".js", ".cjs", ".mjs", ".ts", ".cts", ".mts", ".json")
_BLOCKED = {
    "fs",
    "fs/promises",
    "child_process",
    "net",
    "http",
    "https",
    "os",
    "process",
    "vm",
    "worker_threads",
    "dgram",
    "dns",
    "tls",
    "cluster",
    "module",
}


@dataclass
class _Module:
    path: Path
    code: str  # CommonJS JavaScript (or JSON text)
    is_json: bool


# --- TypeScript and ESM reduced to the CommonJS that QuickJS runs -------------------------------

_IMPORT_TYPE = re.compile(r"^\s*import\s+type\s[^;]*?from\s*['\"][^'\"]+['\"]\s*;?", re.M | re.S)
_EXPORT_TYPE = re.compile(r"^\s*export\s+type\s+\w+[^;]*;", re.M)
_TYPE_ALIAS = re.compile(r"^\s*type\s+\w+\s*=[^;]*;", re.M)
_DECL_ANNOTATION = re.compile(r"\b((?:const|let|var)\s+[\w$]+)\s*:\s*[\w$.<>\[\]|&, ]+?\s*=")
_SATISFIES = re.compile(r"\s+satisfies\s+[\w$.<>\[\]|&, ]+?(?=\s*[;),\n]|\s*$)")
_AS_CONST = re.compile(r"\s+as\s+const\b")
_AS_TYPE = re.compile(r"\s+as\s+[A-Z][\w$.]*(?:<[^>]*>)?(?=\s*[;),\n}\]])")

_IMPORT_DEFAULT = re.compile(
    r"^\s*import\s+([\w$]+)\s*(?:,\s*\{([^}]*)\})?\s*from\s*(['\"])([^'\"]+)\3\s*;?", re.M
)
_IMPORT_NAMED = re.compile(r"^\s*import\s*\{([^}]*)\}\s*from\s*(['\"])([^'\"]+)\2\s*;?", re.M | re.S)
_IMPORT_STAR = re.compile(r"^\s*import\s*\*\s*as\s+([\w$]+)\s*from\s*(['\"])([^'\"]+)\2\s*;?", re.M)
_IMPORT_BARE = re.compile(r"^\s*import\s*(['\"])([^'\"]+)\1\s*;?", re.M)
_EXPORT_DEFAULT = re.compile(r"^(\s*)export\s+default\s+", re.M)
_EXPORT_DECL = re.compile(r"^(\s*)export\s+(const|let|var|function|class)\s+([\w$]+)", re.M)
_REQUIRE = re.compile(r"\brequire\s*\(\s*(['\"])([^'\"]+)\1\s*\)")


def _keep_lines(match: re.Match[str], replacement: str) -> str:
    """Replace a match but keep its line count, so error lines still point at the file."""
    return replacement + "\n" * match.group(0).count("\n")


def _named_bindings(spec: str) -> str:
    parts = []
    for raw in spec.split(","):
        name = raw.strip()
        if not name or name.startswith("type "):
            continue
        if " as " in name:
            left, right = (s.strip() for s in name.split(" as ", 1))
            parts.append(f"{left}: {right}")
        else:
            parts.append(name)
    return "{" + ", ".join(parts) + "}"


def to_commonjs(source: str, *, typescript: bool) -> str:
    code = source
    if typescript:
        code = _IMPORT_TYPE.sub(lambda m: _keep_lines(m, ""), code)
        code = _EXPORT_TYPE.sub(lambda m: _keep_lines(m, ""), code)
        code = _TYPE_ALIAS.sub(lambda m: _keep_lines(m, ""), code)
        code = _DECL_ANNOTATION.sub(r"\1 =", code)
        code = _SATISFIES.sub("", code)
        code = _AS_CONST.sub("", code)
        code = _AS_TYPE.sub("", code)
    else:
        code = _IMPORT_TYPE.sub(lambda m: _keep_lines(m, ""), code)

    def default_import(m: re.Match[str]) -> str:
        out = f"const {m.group(1)} = __interopDefault(require({m.group(3)}{m.group(4)}{m.group(3)}));"
        if m.group(2):
            out += f" const {_named_bindings(m.group(2))} = require({m.group(3)}{m.group(4)}{m.group(3)});"
        return _keep_lines(m, out)

    code = _IMPORT_DEFAULT.sub(default_import, code)
    code = _IMPORT_STAR.sub(lambda m: _keep_lines(m, f"const {m.group(1)} = require('{m.group(3)}');"), code)
    code = _IMPORT_NAMED.sub(
        lambda m: _keep_lines(m, f"const {_named_bindings(m.group(1))} = require('{m.group(3)}');"), code
    )
    code = _IMPORT_BARE.sub(lambda m: _keep_lines(m, f"require('{m.group(2)}');"), code)
    exported: list[str] = []

    def export_decl(m: re.Match[str]) -> str:
        exported.append(m.group(3))
        return f"{m.group(1)}{m.group(2)} {m.group(3)}"

    code = _EXPORT_DECL.sub(export_decl, code)
    code = _EXPORT_DEFAULT.sub(r"\1module.exports.default = ", code)
    if exported:
        code += "\n" + "".join(f"module.exports.{n} = {n};" for n in exported)
    return code


# --- module graph -------------------------------------------------------------------------------


def _resolve(spec: str, importer: Path, root: Path) -> Path | None:
    """Resolve a relative import inside the site; None for packages we stub (@docusaurus/*)."""
    if spec.startswith("@docusaurus/") or spec.startswith("@theme/") or spec == "prism-react-renderer":
        return None
    name = spec.removeprefix("node:")
    if name in _BLOCKED or spec.startswith("node:"):
        raise SiteError(
            f"require('{spec}') is not allowed: site config code runs sandboxed, with no "
            "filesystem, network or process access",
            path=str(importer),
            fix="make the sidebars file plain data, or import only JSON/JS files of the site",
        )
    if not spec.startswith((".", "/")):
        raise SiteError(
            f"cannot load package '{spec}': only files inside the site can be imported",
            path=str(importer),
            fix="inline the data, or import a JSON/JS file of the site",
        )
    base = (importer.parent / spec) if not spec.startswith("/") else Path(spec)
    candidates = [Path(str(base) + ext) for ext in _EXTENSIONS]
    candidates += [base / f"index{ext}" for ext in _EXTENSIONS[1:]]
    root_resolved = root.resolve()
    for candidate in candidates:
        if candidate.is_file():
            resolved = candidate.resolve()
            if not resolved.is_relative_to(root_resolved):
                raise SiteError(
                    f"import '{spec}' points outside the site folder ({root})",
                    path=str(importer),
                    fix="keep the files that sidebars import inside the site",
                )
            return resolved
    raise SiteError(f"cannot find module '{spec}'", path=str(importer), fix="check the import path")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SiteError("not UTF-8 text", path=str(path), fix="save the file as UTF-8") from None
    except OSError as exc:
        raise SiteError(f"cannot read: {exc.strerror}", path=str(path)) from None


def _collect(entry: Path, root: Path) -> dict[str, _Module]:
    modules: dict[str, _Module] = {}
    todo = [entry.resolve()]
    while todo:
        path = todo.pop()
        if str(path) in modules:
            continue
        text = _read(path)
        if path.suffix == ".json":
            modules[str(path)] = _Module(path, text, True)
            continue
        code = to_commonjs(text, typescript=path.suffix in {".ts", ".cts", ".mts"})
        modules[str(path)] = _Module(path, code, False)
        for m in _REQUIRE.finditer(code):
            target = _resolve(m.group(2), path, root)
            if target is not None:
                todo.append(target)
    return modules


_PRELUDE = r"""
var __defs = {}, __cache = {}, __specs = {};
var process = {env: {NODE_ENV: 'production'}, exit: function () {
  throw new Error('process.exit() is not allowed in site config code'); }};
function __interopDefault(m) { return (m && typeof m === 'object' && 'default' in m) ? m['default'] : m; }
function __require(from, spec) {
  var target = __specs[from + '\u0000' + spec];
  if (target === null) { return {}; }
  if (target === undefined) { throw new Error("cannot load module '" + spec + "'"); }
  if (Object.prototype.hasOwnProperty.call(__cache, target)) { return __cache[target].exports; }
  var module = {exports: {}};
  __cache[target] = module;
  __defs[target](module, module.exports, function (s) { return __require(target, s); });
  return module.exports;
}
"""


def _js_error(exc: Exception, path: Path, *, time_limit: float) -> SiteError:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else "error"
    if "interrupted" in first:
        return SiteError(
            f"evaluation stopped after {time_limit:g} s (an endless loop?)",
            path=str(path),
            fix="sidebars code must finish quickly; remove the loop",
        )
    if "out of memory" in first:
        return SiteError(
            f"evaluation ran out of memory (limit {MEMORY_LIMIT // (1024 * 1024)} MiB)",
            path=str(path),
            fix="sidebars code must build a small data structure",
        )
    line_match = re.search(r"<input>:(\d+)(?::(\d+))?", text)
    line = int(line_match.group(1)) if line_match else None
    column = int(line_match.group(2)) if line_match and line_match.group(2) else None
    return SiteError(first, path=str(path), line=line, column=column, fix=None)


def evaluate_module(entry: Path, *, root: Path, time_limit: float = TIME_LIMIT_S) -> Any:
    """Evaluate `entry` (JS, TS or JSON) and return its export (the default export if any) as data."""
    import quickjs

    entry = entry.resolve()
    if entry.suffix == ".json":
        try:
            return json.loads(_read(entry))
        except json.JSONDecodeError as exc:
            raise SiteError(
                f"invalid JSON: {exc.msg}", path=str(entry), line=exc.lineno, column=exc.colno
            ) from None
    modules = _collect(entry, root)
    ctx = quickjs.Context()
    ctx.set_memory_limit(MEMORY_LIMIT)
    ctx.set_max_stack_size(4 * 1024 * 1024)
    ctx.eval(_PRELUDE)
    specs: dict[str, str | None] = {}
    for key, module in modules.items():
        if not module.is_json:
            for m in _REQUIRE.finditer(module.code):
                target = _resolve(m.group(2), module.path, root)
                specs[f"{key}\u0000{m.group(2)}"] = str(target) if target else None
    ctx.eval(f"__specs = {json.dumps(specs)};")
    for key, module in modules.items():
        if module.is_json:
            try:
                json.loads(module.code)
            except json.JSONDecodeError as exc:
                raise SiteError(
                    f"invalid JSON: {exc.msg}", path=str(module.path), line=exc.lineno, column=exc.colno
                ) from None
            body = f"module.exports = {module.code};"
        else:
            body = module.code
        # The wrapper opens on the module's first line, so error lines are file lines.
        wrapped = f"__defs[{json.dumps(key)}] = function (module, exports, require) {{ {body}\n}};"
        try:
            ctx.set_time_limit(time_limit)
            ctx.eval(wrapped)
        except quickjs.JSException as exc:
            raise _js_error(exc, module.path, time_limit=time_limit) from None
    try:
        ctx.set_time_limit(time_limit)
        out = ctx.eval(
            f"(function () {{ __specs['\\u0000entry'] = {json.dumps(str(entry))};"
            " var e = __interopDefault(__require('', 'entry'));"
            " return JSON.stringify(e === undefined ? null : e); })()"
        )
    except quickjs.JSException as exc:
        raise _js_error(exc, entry, time_limit=time_limit) from None
    if out is None:
        return None
    return json.loads(out)
