#!/usr/bin/env bash
# Browser checks for a built Follicle site and the clinic theme.
#
#   .ci/browser.sh <built-site-folder>
#
# 1. Nu HTML Checker (vnu): no errors in any .html file, nor in the CSS.
# 2. xmllint: sitemap.xml validates against the sitemaps.org schema.
# 3. axe-core in Chromium (.ci/browser/axe.mjs): no violations on one page of
#    each type, at 375 and 1280 px, light and dark; no third-party requests;
#    nothing wider than a 320 px viewport; no Content-Security-Policy violation.
#    Then the same on every page of tests/fixtures/shortcodes (every built-in
#    shortcode), built into a temporary folder with the binary of step 6, with
#    vnu too.
# 4. Lighthouse (.ci/browser/lighthouse.mjs): 100 in all four categories on one
#    page of each type, in English and Spanish.
# 5. Site search in Chromium (.ci/browser/search.mjs): "aftercare", "cuidados"
#    (Spanish) and "washing" (stemmed) find their pages under the CSP, keyboard
#    only, no third-party request, axe with results shown; prints keystroke-to-
#    results times.
# 6. The writer's panel of `follicle serve` (.ci/browser/panel.mjs): on a copy of
#    tests/fixtures/minimal, a planted broken link, missing alt text and long
#    sentence are listed with their lines, keyboard only, under a script-src
#    'self' policy, and go when fixed; the error overlay is opaque at 390 px.
#    Uses target/release/follicle (FOLLICLE_BIN to override). About 10 s.
#
# Installs what it needs on first run (apt: chromium, libxml2-utils, a
# headless JRE; npm ci in .ci/browser); later runs reuse them.
set -euo pipefail

if [[ $# -ne 1 || ! -d $1 ]]; then
  echo "usage: $0 <built-site-folder>" >&2
  exit 2
fi
site=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir="$here/browser"
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}

# --- tools -------------------------------------------------------------------
need=()
[[ -x $CHROMIUM_PATH ]] || need+=(chromium)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if ((${#need[@]})); then
  echo "==> apt-get install ${need[*]}"
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
command -v node >/dev/null 2>&1 || { echo "node (20.19.5 or later) is required" >&2; exit 2; }

# npm ci only when the lock file changed since the last install.
stamp="$dir/node_modules/.ci-lock-stamp"
if [[ ! -f $stamp ]] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
  echo "==> npm ci (.ci/browser)"
  # --ignore-scripts: vnu-jar's postinstall would download a JRE; we use the system java.
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
fi

status=0

# --- Nu HTML Checker -----------------------------------------------------------
echo "==> vnu: HTML and CSS"
vnu="$dir/node_modules/vnu-jar/build/dist/vnu.jar"
mapfile -d '' html < <(find "$site" -type f -name '*.html' -print0 | sort -z)
if ((${#html[@]} == 0)); then
  echo "FAIL no .html files in $site" >&2
  status=1
elif java -jar "$vnu" --errors-only "${html[@]}"; then
  echo "ok   ${#html[@]} HTML files"
else
  echo "FAIL vnu reported errors" >&2
  status=1
fi
mapfile -d '' css < <(find "$site" -type f -name '*.css' -print0 | sort -z)
if ((${#css[@]})); then
  if java -jar "$vnu" --errors-only --css "${css[@]}"; then
    echo "ok   ${#css[@]} CSS files"
  else
    echo "FAIL vnu reported CSS errors" >&2
    status=1
  fi
fi

# --- sitemap ---------------------------------------------------------------------
echo "==> xmllint: sitemap.xml"
# sitemaps.org 0.9 plus the xhtml:link hreflang element (see .ci/sitemap/).
xsd="$(dirname "$dir")/sitemap/sitemap-hreflang.xsd"
if [[ ! -f $site/sitemap.xml ]]; then
  echo "FAIL $site/sitemap.xml is missing" >&2
  status=1
elif xmllint --noout --nonet --schema "$xsd" "$site/sitemap.xml" 2>&1 | head -n 40; [[ ${PIPESTATUS[0]} -eq 0 ]]; then
  :
else
  echo "FAIL sitemap.xml does not validate" >&2
  status=1
fi

# --- axe-core in Chromium ----------------------------------------------------------
echo "==> axe-core in Chromium"
if ! node "$dir/axe.mjs" "$site"; then
  status=1
fi

# --- the shortcodes fixture: every built-in's HTML --------------------------------
# tests/fixtures/shortcodes holds every shortcode form and the clinic theme's
# built-ins (callouts, before/after, videos, figures, details, footnotes in
# boxes), which the bundled site does not all use. Built with the binary the
# serve step uses, into a temporary folder; vnu and axe on every page.
echo "==> shortcodes fixture: vnu and axe on every page"
repo=$(dirname "$here")
bin=${FOLLICLE_BIN:-$repo/target/release/follicle}
sc_out=$(mktemp -d)
trap 'rm -rf "$sc_out"' EXIT
if [[ ! -x $bin ]]; then
  echo "FAIL no follicle binary at $bin (cargo build --release, or set FOLLICLE_BIN)" >&2
  status=1
elif ! "$bin" build --root "$repo/tests/fixtures/shortcodes" --output "$sc_out/site" >/dev/null; then
  echo "FAIL follicle build of tests/fixtures/shortcodes" >&2
  status=1
else
  mapfile -d '' sc_html < <(find "$sc_out/site" -type f -name '*.html' -print0 | sort -z)
  if java -jar "$vnu" --errors-only "${sc_html[@]}"; then
    echo "ok   ${#sc_html[@]} HTML files of the shortcodes fixture"
  else
    echo "FAIL vnu reported errors in the shortcodes fixture" >&2
    status=1
  fi
  if ! node "$dir/axe.mjs" "$sc_out/site" --all; then
    status=1
  fi
fi

# --- Lighthouse in Chromium ------------------------------------------------------
echo "==> Lighthouse in Chromium"
if ! node "$dir/lighthouse.mjs" "$site"; then
  status=1
fi

# --- site search in Chromium ---------------------------------------------------------
echo "==> site search in Chromium"
if ! node "$dir/search.mjs" "$site"; then
  status=1
fi

# --- the writer's panel in follicle serve ------------------------------------------
echo "==> follicle serve: the writer's panel in Chromium"
if [[ ! -x $bin ]]; then
  echo "FAIL no follicle binary at $bin (cargo build --release, or set FOLLICLE_BIN)" >&2
  status=1
elif ! node "$dir/panel.mjs" "$bin" "$repo/tests/fixtures/minimal"; then
  status=1
fi

if ((status)); then
  echo "browser checks FAILED" >&2
else
  echo "browser checks passed"
fi
exit "$status"
