#!/usr/bin/env bash
# Regenerate tests/book/oracle.json: our book (content/ + sidebars.js) loaded by real Docusaurus.
# Installs the make-oracle tool's npm dependencies (Docusaurus 3.10.2) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
tool=tools/make-oracle
if [ ! -d "$tool/node_modules/@docusaurus/core" ]; then
  (cd "$tool" && npm install --no-audit --no-fund --loglevel=error)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cp -r content "$work/corpus/docs"
cp sidebars.js "$work/corpus/sidebars.js"
mkdir -p tests/book
node "$tool/make-oracle.js" --corpus "$work/corpus" --out "$work/oracle.json" --name book
# make-oracle names the docs folder docs/; ours is content/ (the only field that spells it out).
python3 - "$work/oracle.json" tests/book/oracle.json <<'PY'
import json, sys
oracle = json.load(open(sys.argv[1]))
for doc in oracle["docs"]:
    doc["source"] = "content/" + doc["source"].removeprefix("docs/")
oracle["site"]["docsPath"] = "content"
json.dump(oracle, open(sys.argv[2], "w"), indent=2, ensure_ascii=False)
open(sys.argv[2], "a").write("\n")
PY
echo "wrote tests/book/oracle.json ($(python3 -c 'import json;print(len(json.load(open("tests/book/oracle.json"))["docs"]))') docs)"
