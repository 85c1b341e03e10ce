#!/usr/bin/env bash
# Refreshes the front-end files kept under static/vendor/ from the npm registry at pinned versions.
# Run by hand when a version changes; the result is committed (no CDN at run time).
set -euo pipefail
HTMX_VERSION=2.0.4
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack "htmx.org@${HTMX_VERSION}" >/dev/null
tar xzf "htmx.org-${HTMX_VERSION}.tgz"
mkdir -p "$top/static/vendor/htmx"
cp package/dist/htmx.min.js package/LICENSE "$top/static/vendor/htmx/"
printf 'htmx.org %s from the npm registry (npm pack htmx.org@%s), file dist/htmx.min.js, BSD Zero-Clause licence (see LICENSE). Do not edit by hand; see scripts/vendor.sh.\n' \
  "$HTMX_VERSION" "$HTMX_VERSION" > "$top/static/vendor/htmx/VERSION"
