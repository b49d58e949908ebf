"""Evaluate a site's JS/TS modules (docusaurus.config.*, sidebars.*) in a sandbox.

The engine is QuickJS (an embedded ES2023 interpreter, PyPI `quickjs`): the code gets no
filesystem, network or process access of its own, a time limit and a memory limit. The module
system is ours (bookctl/site/sandbox.js): `require`/`import` of a file inside the site reads it
through the host, TypeScript, ESM and JSX are turned into CommonJS by sucrase (bundled in
bookctl/site/vendor/site-js.js, built by tools/site-js/build.sh), Node's `path` is path-browserify,
`url`, `process`, `module.createRequire` and a read-only `fs` confined to the site folder are
small implementations, and every other module (npm packages such as prism-react-renderer or
remark plugins, Node's `child_process`, `http`, ..., files outside the site) is an inert
stand-in: any property access, call or `new` on it gives another stand-in and does nothing.
`require.resolve` returns a path. A config that exports a function (async or not) is called, as
Docusaurus does. The result crosses back as plain data: functions and stand-ins are dropped.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bookctl.errors import SiteError

TIME_LIMIT_S = 5.0
MEMORY_LIMIT = 256 * 1024 * 1024
MAX_FILE_BYTES = 8 * 1024 * 1024
_HERE = Path(__file__).resolve().parent
_CODE_TYPES = {
    ".js": "js",
    ".cjs": "js",
    ".mjs": "js",
    ".jsx": "jsx",
    ".ts": "ts",
    ".cts": "ts",
    ".mts": "ts",
    ".tsx": "tsx",
    ".json": "json",
}
_EXTENSIONS = ("", ".js", ".cjs", ".mjs", ".ts", ".cts", ".mts", ".tsx", ".jsx", ".json")
# Node built-ins the sandbox implements (see sandbox.js); other built-ins are inert stand-ins.
_IMPLEMENTED = {"path", "path/posix", "url", "fs", "fs/promises", "process", "module"}
_NODE_BUILTINS = _IMPLEMENTED | {
    "assert",
    "buffer",
    "child_process",
    "cluster",
    "crypto",
    "dgram",
    "dns",
    "events",
    "http",
    "http2",
    "https",
    "net",
    "os",
    "querystring",
    "readline",
    "stream",
    "string_decoder",
    "timers",
    "tls",
    "tty",
    "util",
    "v8",
    "vm",
    "worker_threads",
    "zlib",
}


@dataclass
class Evaluation:
    """What a module evaluated to, and the modules that were stood in for."""

    value: Any
    stand_ins: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files the code read (modules and fs reads)


def _vendor() -> str:
    return (
        (_HERE / "vendor" / "site-js.js").read_text(encoding="utf-8")
        + "\n"
        + (_HERE / "sandbox.js").read_text(encoding="utf-8")
    )


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SiteError(
                f"file too large for a config module (> {MAX_FILE_BYTES >> 20} MiB)", path=str(path)
            )
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SiteError("not UTF-8 text", path=str(path), fix="save the file as UTF-8") from None
    except OSError as exc:
        raise SiteError(f"cannot read: {exc.strerror}", path=str(path)) from None


class _Host:
    """The only doors out of the sandbox: module resolution and read-only file questions, inside `root`."""

    def __init__(self, root: Path, entry: Path) -> None:
        self.root = root.resolve()
        # The entry is read wherever it is: the config names it (e.g. sidebarPath '../sidebars.js').
        self.entry = entry.resolve()
        self.files: list[str] = []  # every file read, in order

    def _inside(self, path: Path) -> bool:
        return path == self.entry or path.is_relative_to(self.root)

    def _find(self, base: Path) -> Path | None:
        for candidate in [Path(str(base) + ext) for ext in _EXTENSIONS] + [
            base / f"index{ext}" for ext in _EXTENSIONS[1:]
        ]:
            if candidate.is_file():
                return candidate.resolve()
        return None

    def load(self, importer: str, spec: str, mode: str) -> str:
        try:
            return json.dumps(self._load(importer, spec, mode))
        except SiteError as exc:
            return json.dumps({"kind": "error", "message": str(exc)})

    def _load(self, importer: str, spec: str, mode: str) -> dict[str, Any]:
        name = spec.removeprefix("node:")
        if name in _NODE_BUILTINS or name.split("/")[0] in _NODE_BUILTINS and spec.startswith("node:"):
            return {"kind": "builtin", "name": "path" if name == "path/posix" else name, "path": spec}
        if spec.startswith("file://"):
            spec = spec[len("file://") :]
        if not spec.startswith((".", "/")):
            # An npm package: never loaded (its code is not the site's); resolve names it.
            return {"kind": "standin", "path": spec, "why": "a package"}
        importer_path = Path(importer)
        folder = importer_path if importer_path.is_dir() else importer_path.parent
        base = Path(spec) if spec.startswith("/") else folder / spec
        if not self._inside(Path(os.path.normpath(base))):  # not even looked at
            return {"kind": "standin", "path": str(base), "why": "outside the site folder, not read"}
        if "node_modules" in base.parts and mode == "load":
            return {"kind": "standin", "path": str(base), "why": "a package"}
        found = self._find(base)
        if found is None and mode == "resolve":
            # The config only names the path (e.g. a file of a package that is not installed).
            return {"kind": "file", "path": os.path.normpath(base)}
        if found is None:
            return {
                "kind": "error",
                "message": f"Cannot find module '{spec}' from {importer_path.name or importer}",
            }
        if not self._inside(found):
            return {"kind": "standin", "path": str(found), "why": "outside the site folder, not read"}
        if mode == "resolve":
            self.files.append(str(found))
            return {"kind": "file", "path": str(found)}
        kind = _CODE_TYPES.get(found.suffix.lower())
        if kind is None:  # CSS, images, Markdown...: Docusaurus bundles these; a config only names them
            return {"kind": "standin", "path": str(found), "why": "not code"}
        code = _read(found)
        self.files.append(str(found))
        return {"kind": "file", "path": str(found), "type": kind, "code": code}

    def fs(self, op: str, raw: str) -> str:
        path = Path(raw)
        try:
            resolved = path.resolve()
            if not self._inside(resolved):
                return json.dumps({"outside": True})
            if op == "exists":
                return json.dumps({"value": resolved.exists()})
            if op == "stat":
                st = resolved.stat()
                return json.dumps(
                    {"value": {"size": st.st_size, "file": resolved.is_file(), "dir": resolved.is_dir()}}
                )
            if op == "readdir":
                entries = sorted(resolved.iterdir(), key=lambda p: p.name)
                self.files.append(str(resolved) + "/")
                return json.dumps(
                    {"value": [{"name": p.name, "file": p.is_file(), "dir": p.is_dir()} for p in entries]}
                )
            if op == "read":
                text = _read(resolved)
                self.files.append(str(resolved))
                return json.dumps({"value": text})
        except SiteError as exc:
            return json.dumps({"error": str(exc), "code": "EIO"})
        except FileNotFoundError:
            return json.dumps({"error": f"ENOENT: no such file or directory, '{raw}'", "code": "ENOENT"})
        except OSError as exc:
            return json.dumps({"error": f"{exc.strerror}: '{raw}'", "code": "EIO"})
        return json.dumps({"error": f"fs.{op} is not available", "code": "ENOSYS"})


def _js_error(text: str, path: Path, *, time_limit: float) -> SiteError:
    first = text.strip().splitlines()[0] if text.strip() else "error"
    if "interrupted" in first:
        return SiteError(
            f"evaluation stopped after {time_limit:g} s (an endless loop?)",
            path=str(path),
            fix="config and sidebars code must finish quickly; remove the loop",
        )
    if "out of memory" in first or "stack overflow" in first:
        return SiteError(
            f"evaluation ran out of memory (limit {MEMORY_LIMIT // (1024 * 1024)} MiB)",
            path=str(path),
            fix="config and sidebars code must build a small data structure",
        )
    match = re.search(r"<input>:(\d+)(?::(\d+))?", text)
    return SiteError(
        first,
        path=str(path),
        line=int(match.group(1)) if match else None,
        column=int(match.group(2)) if match and match.group(2) else None,
    )


def _evaluate_here(
    entry: Path, root: Path, call_function: bool, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run the sandbox in this process, with no time limit (the parent process holds the clock)."""
    import quickjs

    host = _Host(root, entry)
    ctx = quickjs.Context()
    ctx.set_memory_limit(MEMORY_LIMIT)
    ctx.set_max_stack_size(8 * 1024 * 1024)
    ctx.add_callable("__host_load", host.load)
    ctx.add_callable("__host_fs", host.fs)
    ctx.set("__bookctl_site", str(host.root))
    ctx.set("__bookctl_env", json.dumps(env or {}))
    try:
        ctx.eval(_vendor())
        ctx.eval(f"__bookctl_run({json.dumps(str(entry))}, {json.dumps(call_function)})")
        while not ctx.eval("__bookctl_state.done"):
            if not ctx.execute_pending_job():
                return {
                    "error": "the config's promise never settles (it waits on something the sandbox does not run)"
                }
        answer: dict[str, Any] = json.loads(ctx.eval("__bookctl_state.answer"))
        answer["files"] = list(dict.fromkeys(host.files))
        return answer
    except quickjs.JSException as exc:
        return {"fatal": str(exc)}


_WORKER = "import sys; sys.path.insert(0, {!r}); from bookctl.site.js import _worker_main; _worker_main()"


def _worker_main() -> None:
    """The child process: one evaluation, request on stdin, answer on stdout (both JSON)."""
    import sys

    request = json.loads(sys.stdin.read())
    try:
        answer = _evaluate_here(
            Path(request["entry"]), Path(request["root"]), request["call_function"], request.get("env")
        )
    except SiteError as exc:
        answer = {"fatal": str(exc)}
    sys.stdout.write(json.dumps(answer))


def evaluate(
    entry: Path,
    *,
    root: Path,
    time_limit: float = TIME_LIMIT_S,
    call_function: bool = False,
    env: dict[str, str] | None = None,
) -> Evaluation:
    """Evaluate `entry` (JS, TS or JSON) and return its export (the default export if any) as data.

    With `call_function`, an exported function is called and a returned promise awaited (the
    config forms `module.exports = async function createConfig() {...}`). `env` adds to the code's
    `process.env` (which holds NODE_ENV=production and nothing of the user's). The code runs in a
    child process that is killed at the time limit (QuickJS cannot call back into Python for
    module loading while its own time limit is set)."""
    import subprocess
    import sys

    entry = entry.resolve()
    if entry.suffix == ".json":
        try:
            return Evaluation(json.loads(_read(entry)))
        except json.JSONDecodeError as exc:
            raise SiteError(
                f"invalid JSON: {exc.msg}", path=str(entry), line=exc.lineno, column=exc.colno
            ) from None
    if not entry.is_file():
        raise SiteError("file not found", path=str(entry))
    request = json.dumps(
        {"entry": str(entry), "root": str(root.resolve()), "call_function": call_function, "env": env or {}}
    )
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", _WORKER.format(str(_HERE.parent.parent))],
            input=request,
            capture_output=True,
            text=True,
            timeout=time_limit,
            env={"PATH": "/usr/bin:/bin"},
            cwd=str(root),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _js_error("interrupted", entry, time_limit=time_limit) from None
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        detail = (done.stderr.strip().splitlines() or ["no answer"])[-1]
        if "MemoryError" in detail:
            detail = "out of memory"
        raise _js_error(detail, entry, time_limit=time_limit) from None
    if "fatal" in answer:
        raise _js_error(answer["fatal"], entry, time_limit=time_limit)
    if "error" in answer:
        where = Path(answer["file"]) if answer.get("file") else entry
        if any(s in answer["error"] for s in ("interrupted", "out of memory", "stack overflow")):
            raise _js_error(answer["error"], where, time_limit=time_limit)
        raise SiteError(
            answer["error"], path=str(where), line=answer.get("line"), column=answer.get("column")
        )
    return Evaluation(answer["value"], list(answer.get("standIns") or []), list(answer.get("files") or []))


def evaluate_module(entry: Path, *, root: Path, time_limit: float = TIME_LIMIT_S) -> Any:
    """Evaluate a sidebars module (or any data module) and return its export as data."""
    return evaluate(entry, root=root, time_limit=time_limit).value
