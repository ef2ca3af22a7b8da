#!/usr/bin/env bash
# The built site on the hosts' own servers, as docs/content/guides/deploy.md
# tells a clinic to publish it:
#   1. GitHub Pages' layout (a project site under /my-clinic/) on a plain
#      static server: every page, asset and link answers 200 and stays under
#      the base path (crawl.py).
#   2. Cloudflare Pages' own local server (`wrangler pages dev`, npm): it reads
#      the _headers and _redirects Follicle writes; the security headers reach
#      every file, an alias answers 301 to its page, an unknown Spanish address
#      gets the Spanish 404 page and an English one the English page.
#   3. Netlify's own local server (`netlify dev --offline`, npm netlify-cli,
#      installed with --ignore-scripts: its image library's install script
#      downloads from github.com; edge functions off, they need Deno from the
#      network): the same checks. Each host's site is built with its own
#      `[publish] host`, as `follicle init --host` writes it.
#
#   bash .ci/hosts.sh [FOLLICLE_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
BIN=${1:-$REPO/target/release/follicle}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
say() { printf 'hosts: %s\n' "$*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

# --- 1. a sub-path site on a plain static server ------------------------------
mkdir -p "$WORK/gh"
"$BIN" build --base-url https://user.github.io/my-clinic/ --output "$WORK/gh/my-clinic" >/dev/null
port=$((20000 + RANDOM % 20000))
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$WORK/gh" >/dev/null 2>&1 &
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
python3 .ci/hosts/crawl.py "http://127.0.0.1:$port" /my-clinic/ | tail -n 20 || fail "the sub-path site has broken links"

# --- the site for the hosts with _headers and _redirects ----------------------
# The bundled site with one alias, as a clinic that renamed a page has.
SITE=$WORK/site
mkdir -p "$SITE"
cp -r content themes site.toml "$SITE/"
sed -i '0,/^weight = /s//aliases = ["\/old-aftercare\/"]\nweight = /' "$SITE/content/treatment/aftercare.md"
# build_for HOST: the site built with `[publish] host = HOST` into $WORK/HOST.
build_for() {
    cp site.toml "$SITE/site.toml"
    printf '\n[publish]\nhost = "%s"\n' "$1" >>"$SITE/site.toml"
    "$BIN" build --root "$SITE" --output "$WORK/$1" >/dev/null
    grep -q '^/old-aftercare/ /treatment/aftercare/ 301' "$WORK/$1/_redirects" || fail "$1: no 301 for the alias in _redirects"
}

# check_host NAME ORIGIN: the host's answers for the built site.
check_host() {
    local name=$1 origin=$2 h
    for path in / /treatment/aftercare/ /style.css /es/; do
        h=$(curl -s -D - -o /dev/null "$origin$path" | tr -d '\r')
        grep -qi "^content-security-policy: default-src 'self'" <<<"$h" || fail "$name: no CSP on $path"
        grep -qi '^x-content-type-options: nosniff' <<<"$h" || fail "$name: no nosniff on $path"
        grep -qi '^referrer-policy: same-origin' <<<"$h" || fail "$name: no Referrer-Policy on $path"
        grep -qi '^permissions-policy: camera=()' <<<"$h" || fail "$name: no Permissions-Policy on $path"
    done
    h=$(curl -s -D - -o /dev/null "$origin/old-aftercare/" | tr -d '\r')
    grep -q '^HTTP/[0-9.]* 301' <<<"$h" || fail "$name: the alias does not answer 301"
    grep -qi '^location: .*/treatment/aftercare/' <<<"$h" || fail "$name: the alias does not lead to its page"
    [ "$(curl -s -o "$WORK/404es" -w '%{http_code}' "$origin/es/no-such-page/")" = 404 ] || fail "$name: /es/no-such-page/ is not a 404"
    grep -q '<html lang="es"' "$WORK/404es" || fail "$name: the Spanish 404 is not the Spanish page"
    [ "$(curl -s -o "$WORK/404en" -w '%{http_code}' "$origin/no-such-page/")" = 404 ] || fail "$name: /no-such-page/ is not a 404"
    grep -q '<html lang="en"' "$WORK/404en" || fail "$name: the English 404 is not the English page"
    say "$name: security headers on every file, alias 301, 404 pages per language: ok"
}

# wait_for ORIGIN LOG: until the server answers (60 s at most).
wait_for() {
    for _ in $(seq 600); do
        curl -s -o /dev/null "$1/" && return 0
        sleep 0.1
    done
    cat "$2" >&2
    fail "the server at $1 did not start"
}

# --- 2. Cloudflare Pages ------------------------------------------------------
TOOLS=${HOST_TOOLS:-$REPO/.ci/hosts/node_modules}
if [ ! -x "$TOOLS/.bin/wrangler" ] || [ ! -x "$TOOLS/.bin/netlify" ]; then
    (cd .ci/hosts && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi
build_for cloudflare
port=$((20000 + RANDOM % 20000))
# The newest date the bundled workerd knows; a Pages site of plain files has
# no worker, so the date changes nothing it serves.
WRANGLER_SEND_METRICS=false "$TOOLS/.bin/wrangler" pages dev "$WORK/cloudflare" --ip 127.0.0.1 --port "$port" \
    --compatibility-date 2026-05-01 >"$WORK/wrangler.log" 2>&1 &
wait_for "http://127.0.0.1:$port" "$WORK/wrangler.log"
check_host "Cloudflare Pages (wrangler pages dev)" "http://127.0.0.1:$port"
grep -q 'invalid redirect rule' "$WORK/wrangler.log" && { cat "$WORK/wrangler.log" >&2; fail "Cloudflare refused rules of _redirects"; }
kill %% 2>/dev/null || true

# --- 3. Netlify ---------------------------------------------------------------
build_for netlify
port=$((20000 + RANDOM % 20000))
(cd "$WORK" && NETLIFY_TELEMETRY_DISABLED=1 "$TOOLS/.bin/netlify" dev --offline --internal-disable-edge-functions \
    --dir "$WORK/netlify" --port "$port" --no-open >"$WORK/netlify.log" 2>&1) &
wait_for "http://127.0.0.1:$port" "$WORK/netlify.log"
check_host "Netlify (netlify dev)" "http://127.0.0.1:$port"
