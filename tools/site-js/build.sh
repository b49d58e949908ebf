#!/usr/bin/env bash
# Rebuild bookctl/site/vendor/site-js.js, npm-to-yarn.js and their LICENSES.txt from the pinned npm packages.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../../bookctl/site/vendor
./node_modules/@esbuild/linux-x64/bin/esbuild entry.js --bundle --platform=neutral --format=iife \
  --minify --target=es2020 --main-fields=main,module --legal-comments=none --metafile=meta.json \
  --outfile="$out/site-js.js"
./node_modules/@esbuild/linux-x64/bin/esbuild entry-npm2yarn.js --bundle --platform=neutral --format=iife \
  --minify --target=es2020 --main-fields=main,module --legal-comments=none --metafile=meta-npm2yarn.json \
  --outfile="$out/npm-to-yarn.js"
python3 - "$out/LICENSES.txt" <<'PY'
import json, pathlib, sys
inputs = [k for f in ("meta.json", "meta-npm2yarn.json") for k in json.load(open(f))["inputs"]]
pkgs = sorted({k.split("node_modules/")[1].split("/")[0] + ("/" + k.split("node_modules/")[1].split("/")[1] if k.split("node_modules/")[1].startswith("@") else "")
               for k in inputs if "node_modules/" in k})
parts = ["Third-party code bundled in site-js.js and npm-to-yarn.js (built by tools/site-js/build.sh):\n"]
for name in pkgs:
    root = pathlib.Path("node_modules") / name
    info = json.loads((root / "package.json").read_text())
    lic = next((p for p in root.iterdir() if p.name.upper().startswith(("LICENSE", "LICENCE"))), None)
    parts.append(f"\n==== {name} {info['version']} ({info.get('license')}) ====\n")
    parts.append(lic.read_text() if lic else f"{info.get('license')} (no licence file in the package)\n")
pathlib.Path(sys.argv[1]).write_text("".join(parts))
PY
rm -f meta.json meta-npm2yarn.json
