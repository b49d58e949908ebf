"""The local imports of a doc that are partials, as oracle.json v2 lists them in each doc's `partials`.

An import counts when it is local (relative, or `@site/...`) and points to a `.md`/`.mdx` file or to a
file whose name starts with `_`. Imports are read the way MDX delimits ESM: front matter skipped,
`mdx-code-block` fences unwrapped (Docusaurus's unwrapMdxCodeBlocks), other fenced code skipped, an ESM
block starting at a line that begins with `import`/`export` and running to the next blank line; every
`import ... from '...'` / `import '...'` statement in it counts (make-site-oracle.js `partialsOf`).
Rendering partials into the doc's text is bookctl.site.mdx's job; this is the doc's metadata.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

_MDX_CODE_BLOCK = [
    re.compile(
        r"(?P<begin>^|\r?\n)"
        + ticks
        + r"(?P<spaces> *)mdx-code-block\r?\n(?P<children>.*?)\r?\n"
        + ticks
        + r"(?P<end>\r?\n|$)",
        re.S,
    )
    for ticks in ("```", "````")
]
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_STATEMENT = re.compile(
    r"(^|[;\n}])[ \t]*import(?:[ \t\n]+([\w$*{}\s,]+?)[ \t\n]*from[ \t\n]*|[ \t\n]*)(['\"])([^'\"\n]+)\3"
)
_RESOLVE = ("", ".mdx", ".md", ".js", ".jsx", ".ts", ".tsx", "/index.mdx", "/index.md", "/index.js")
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def unwrap_mdx_code_blocks(content: str) -> str:
    for pattern in _MDX_CODE_BLOCK:
        content = pattern.sub(lambda m: m.group("begin") + m.group("children") + m.group("end"), content)
    return content


def _unescape(s: str) -> str:
    def one(m: re.Match[str]) -> str:
        e = m.group(1)
        if e[0] == "u" and len(e) > 1:
            return chr(int(e.strip("u{}"), 16))
        if e[0] == "x" and len(e) == 3:
            return chr(int(e[1:], 16))
        return _SIMPLE.get(e, e)

    return re.sub(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])", one, s)


def import_statements(text: str) -> list[dict[str, Any]]:
    if not re.search(r"^(import|export)\b", text, re.M):
        return []  # no ESM block (mdx-code-block unwrapping keeps lines' columns)
    lines = re.split(r"\r?\n", text)
    fm_end = 0
    if re.match(r"^---\s*$", lines[0] if lines else ""):
        for k in range(1, len(lines)):
            if re.match(r"^---\s*$", lines[k]):
                fm_end = k + 1
                break
    lines = [""] * fm_end + unwrap_mdx_code_blocks("\n".join(lines[fm_end:])).split("\n")
    out: list[dict[str, Any]] = []
    fence: tuple[str, int] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= fence[1] and not m.group(2).strip():
                fence = None
            i += 1
            continue
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1)[0], len(m.group(1)))
            i += 1
            continue
        if not re.match(r"^(import|export)\b", line):
            i += 1
            continue
        start = i
        while i + 1 < len(lines) and lines[i + 1].strip() != "":
            i += 1
        block = "\n".join(lines[start : i + 1])
        for s in _STATEMENT.finditer(block):
            clause = (s.group(2) or "").strip()
            raw = s.group(4)
            spec = _unescape(raw)
            default = namespace = None
            named: list[str] = []
            if clause:
                ns = re.search(r"\*\s*as\s+([\w$]+)", clause)
                namespace = ns.group(1) if ns else None
                braces = re.search(r"\{([\s\S]*)\}", clause)
                if braces:
                    for part in (x.strip() for x in braces.group(1).split(",")):
                        if part:
                            n = re.match(r"^(?:type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?$", part)
                            named.append((n.group(2) or n.group(1)) if n else part)
                d = re.match(r"^([\w$]+)\s*(,|$)", clause)
                if d and d.group(1) != "type":
                    default = d.group(1)
            line_no = start + 1 + block[: s.start() + len(s.group(1))].count("\n")
            row: dict[str, Any] = {"line": line_no, "specifier": spec, "default": default}
            row.update(namespace=namespace, named=named, raw=raw)
            out.append(row)
        i += 1
    return out


def partials_of(file: Path, text: str, site_root: Path) -> dict[str, dict[str, Any]]:
    """Import name -> {specifier, rawSpecifier?, source (site-relative), exists, markdown, line, named?}."""
    found: dict[str, dict[str, Any]] = {}
    root = site_root.resolve()
    for imp in import_statements(text):
        spec: str = imp["specifier"]
        if spec.startswith(("./", "../")):
            base = os.path.normpath(os.path.join(file.resolve().parent, spec))
        elif spec.startswith("@site/"):
            base = os.path.normpath(os.path.join(root, spec[len("@site/") :]))
        else:
            continue
        resolved = next((base + ext for ext in _RESOLVE if os.path.isfile(base + ext)), None)
        target = resolved or base
        markdown = bool(re.search(r"\.mdx?$", target, re.I))
        if not markdown and not os.path.basename(target).startswith("_"):
            continue
        key = imp["default"] or imp["namespace"] or (imp["named"][0] if imp["named"] else None) or spec
        row: dict[str, Any] = {"specifier": spec}
        if imp["raw"] != spec:
            row["rawSpecifier"] = imp["raw"]
        row.update(
            source=Path(os.path.relpath(target, root)).as_posix(),
            exists=resolved is not None,
            markdown=markdown,
            line=imp["line"],
        )
        if imp["named"]:
            row["named"] = list(imp["named"])
        found[key] = row
    return found
