#!/usr/bin/env bash
# The book's website: install (npm ci, node_modules cached), build the plugin and the site, run the
# browser tests, or serve the built site beside `bookctl serve`.
#   scripts/web.sh site        build web/build (make site)
#   scripts/web.sh test        the real-browser tests in tests/web (make test-web)
#   scripts/web.sh deps        only install the npm packages (and Debian's chromium with --browser)
# node_modules is reused while package-lock.json (and, for the site, the plugin's build) is unchanged,
# from the folder itself or from a copy under ${BOOKCTL_NODE_CACHE:-~/.cache/bookctl/node_modules}
# (CI clones afresh each run; the machine keeps that folder).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PLUGIN=packages/docusaurus-plugin-bookctl
CACHE=${BOOKCTL_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bookctl/node_modules}

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# npm_ci DIR KEY: make DIR/node_modules the `npm ci` of DIR's lock, keyed by KEY.
npm_ci() {
  local dir=$1 key=$2 stamp=$1/node_modules/.bookctl-key
  local saved="$CACHE/$(echo "$dir" | tr / _)-$key"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] && return 0
  if [ -f "$saved/.bookctl-key" ]; then
    rm -rf "$dir/node_modules"
    cp -a "$saved" "$dir/node_modules"
    return 0
  fi
  echo "npm ci in $dir" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$key" > "$stamp"
  mkdir -p "$CACHE"
  rm -rf "$CACHE/$(echo "$dir" | tr / _)-"*
  cp -a "$dir/node_modules" "$saved.tmp" && mv "$saved.tmp" "$saved"
}

plugin() {
  npm_ci "$PLUGIN" "$(hash_of "$PLUGIN/package-lock.json")"
  (cd "$PLUGIN" && rm -rf lib && npm run --silent build)
}

site_deps() {
  plugin
  # The site installs the plugin as a package (web/.npmrc: install-links), so its copy is keyed by the
  # plugin's build as well as by the site's lock.
  npm_ci web "$(hash_of web/package-lock.json <(cd "$PLUGIN" && find lib package.json -type f | sort | xargs cat))"
}

browser() {
  if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "Debian's chromium is missing: run 'apt-get install chromium' as root" >&2
      exit 1
    fi
  fi
  npm_ci tests/web "$(hash_of tests/web/package-lock.json)"
}

case "${1:-}" in
  site)
    site_deps
    (cd web && npx docusaurus build --out-dir build)
    # llms.txt, llms-full.txt and a .md per doc, for other AI tools, at the URLs the site is built for
    .venv/bin/bookctl export llms-txt web --out web/build --site-url "${BOOKCTL_SITE_URL:-http://127.0.0.1:3000}"
    ;;
  test)
    site_deps
    browser
    (cd tests/web && node --test --test-concurrency=1 ./*.test.mjs ../auth/*.test.mjs)
    ;;
  deps)
    site_deps
    [ "${2:-}" = --browser ] && browser
    ;;
  *)
    echo "usage: scripts/web.sh site|test|deps [--browser]" >&2
    exit 2
    ;;
esac
