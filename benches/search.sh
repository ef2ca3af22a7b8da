#!/usr/bin/env bash
# Site search figures: Follicle's own index against the Pagefind CLI (npm
# `pagefind`) indexing the same built output, on the bundled site and the
# generated corpus.
#
#   bash benches/search.sh              # bundled site and 10,000 articles
#   SIZES="1000" bash benches/search.sh # other corpus sizes
#
# Per site: the build time the search index adds (median of RUNS builds
# against the median of RUNS builds with FOLLICLE_BENCH_NO_SEARCH=1, alternated), the
# index size and file count, Pagefind's indexing time and size, and the bytes
# one query downloads in Chromium for each (.ci/browser/search-bytes.mjs).
# Keystroke-to-results on the bundled site is measured by .ci/browser/search.mjs.
#
# With ZOLA_BIN set (Zola is not on crates.io; build it from its source), each
# corpus is also built by Zola from the corpus's own config.toml and templates,
# with and without `build_search_index`: the time its elasticlunr index adds, and
# its size, which is what one query downloads (Zola's index is one file per
# language, loaded whole, plus elasticlunr.min.js).
#
# Environment: RUNS=3, FOLLICLE_BIN (else cargo build --release), ZOLA_BIN,
# BENCH_SHARED=/work/shared/bench (gen_corpus.py), SEARCH_BENCH_DIR.
# Needs node, Chromium (CHROMIUM_PATH) and `npm ci` done in .ci/browser.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SHARED=${BENCH_SHARED:-/work/shared/bench}
WORK=${SEARCH_BENCH_DIR:-/tmp/follicle-search-bench}
RUNS=${RUNS:-3}
SIZES=${SIZES:-10000}
say() { printf '%s\n' "$*" >&2; }

if [ -n "${FOLLICLE_BIN:-}" ]; then
    FOLLICLE=$FOLLICLE_BIN
else
    (cd "$REPO" && cargo build --release >&2)
    FOLLICLE=${CARGO_TARGET_DIR:-$REPO/target}/release/follicle
fi
mkdir -p "$WORK/pagefind"
PAGEFIND=$WORK/pagefind/node_modules/.bin/pagefind
if [ ! -x "$PAGEFIND" ]; then
    say "installing pagefind from npm into $WORK/pagefind"
    (cd "$WORK/pagefind" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error pagefind@1 >&2)
fi
[ -d "$REPO/.ci/browser/node_modules/playwright-core" ] || (cd "$REPO/.ci/browser" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
say "follicle: $FOLLICLE; $("$PAGEFIND" --version); $(nproc) cores"

now() { date +%s%N; }
bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
files() { find "$1" -type f | wc -l; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# site NAME ROOT QUERY...: build RUNS times, then index with Pagefind, then one query each.
site() {
    local name=$1 root=$2
    shift 2
    local out=$WORK/out-$name
    local builds=() bare=() i log=$WORK/timing-$name.txt
    # Alternate builds with and without the index (FOLLICLE_BENCH_NO_SEARCH),
    # so load on the machine falls on both alike; the index is built beside the
    # page writes, so what it adds is the difference, not a lap of its own.
    for ((i = 0; i < RUNS; i++)); do
        local t0 t1 t2
        t0=$(now)
        FOLLICLE_BENCH_NO_SEARCH=1 "$FOLLICLE" build --root "$root" --output "$out" >"$log" 2>&1
        t1=$(now)
        "$FOLLICLE" build --root "$root" --output "$out" >"$log" 2>&1
        t2=$(now)
        bare+=($(((t1 - t0) / 1000000)))
        builds+=($(((t2 - t1) / 1000000)))
    done
    local build_ms bare_ms search_ms
    build_ms=$(printf '%s\n' "${builds[@]}" | median)
    bare_ms=$(printf '%s\n' "${bare[@]}" | median)
    search_ms=$((build_ms - bare_ms))
    rm -rf "$out/pagefind"
    local p0 p1
    p0=$(now)
    "$PAGEFIND" --site "$out" >"$WORK/pagefind-$name.txt" 2>&1
    p1=$(now)
    local pf_ms=$(((p1 - p0) / 1000000))
    echo
    echo "## $name ($(grep -o 'Built [0-9]* pages' "$log" | head -1 | awk '{print $2}') pages; builds: ${builds[*]} ms; without the index: ${bare[*]} ms)"
    echo
    echo "| | build ms (median) | without the index | added by the index | share of build | index bytes | index files |"
    echo "|---|---|---|---|---|---|---|"
    awk -v b="$build_ms" -v w="$bare_ms" -v s="$search_ms" -v n="$(bytes "$out/search-index")" -v f="$(files "$out/search-index")" \
        'BEGIN {printf "| follicle | %d | %d | %d | %.0f%% | %d | %d |\n", b, w, s, 100*s/w, n, f}'
    echo "| pagefind CLI (separate step) | | | $pf_ms (wall, whole run) | | $(bytes "$out/pagefind") | $(files "$out/pagefind") |"
    echo
    echo "| query | engine | results | files | bytes as served | bytes gzipped |"
    echo "|---|---|---|---|---|---|"
    local q lang_path
    for q in "$@"; do
        lang_path=/search/
        case $q in es:*) lang_path=/es/search/; q=${q#es:} ;; esac
        node "$REPO/.ci/browser/search-bytes.mjs" "$out" "$q" "$lang_path" | python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print("| {query} | {engine} | {results} | {files} | {bytes:,} | {gzip:,} |".format(**r))
'
    done
}

# zola_site NAME ROOT: Zola on the same corpus, RUNS builds with and without
# its search index, alternated.
zola_site() {
    local name=$1 root=$2 zdir=$WORK/zola-$1 i t0 t1 t2 with=() without=()
    rm -rf "$zdir" && mkdir -p "$zdir"
    cp -r "$root/config.toml" "$root/content" "$root/templates" "$zdir/"
    sed 's/^build_search_index = .*/build_search_index = true/' "$root/config.toml" >"$zdir/config-search.toml"
    for ((i = 0; i < RUNS; i++)); do
        t0=$(now)
        (cd "$zdir" && "$ZOLA_BIN" build -o "$WORK/zola-out-$name" --force >/dev/null 2>&1)
        t1=$(now)
        (cd "$zdir" && "$ZOLA_BIN" --config config-search.toml build -o "$WORK/zola-out-$name" --force >/dev/null 2>&1)
        t2=$(now)
        without+=($(((t1 - t0) / 1000000)))
        with+=($(((t2 - t1) / 1000000)))
    done
    local w b index js
    w=$(printf '%s\n' "${with[@]}" | median)
    b=$(printf '%s\n' "${without[@]}" | median)
    index=$(cat "$WORK/zola-out-$name"/search_index.*.js | wc -c)
    js=$(wc -c <"$WORK/zola-out-$name/elasticlunr.min.js")
    echo
    echo "Zola $("$ZOLA_BIN" --version | awk '{print $2}') on $name (builds with the index: ${with[*]} ms; without: ${without[*]} ms):"
    echo
    echo "| | build ms (median) | without the index | added by the index | share of build | index bytes | bytes one query downloads (gzipped) |"
    echo "|---|---|---|---|---|---|---|"
    awk -v b="$w" -v w="$b" -v n="$index" -v j="$js" -v g="$(cat "$WORK/zola-out-$name"/search_index.*.js "$WORK/zola-out-$name/elasticlunr.min.js" | gzip -6 | wc -c)" \
        'BEGIN {printf "| zola | %d | %d | %d | %.0f%% | %d | %d (%d) |\n", b, w, b - w, 100*(b-w)/w, n, n + j, g}'
}

site bundled "$REPO" aftercare washing es:cuidados
for n in $SIZES; do
    dir=$WORK/corpus-$n
    if [ ! -f "$dir/.generated" ]; then
        rm -rf "$dir"
        python3 "$SHARED/gen_corpus.py" "$dir" --pages "$n" >&2
        touch "$dir/.generated"
    fi
    rm -rf "$dir/themes/bench"
    mkdir -p "$dir/themes"
    cp -r "$HERE/theme" "$dir/themes/bench"
    # The site.toml of benches/run.sh.
    cat >"$dir/site.toml" <<'TOML'
title = "Scalp Micropigmentation Guide"
description = "Patient education on scalp micropigmentation"
base_url = "https://example.org/"
theme = "bench"
taxonomies = []

[markdown]
smart_punctuation = false
anchor_links = false

[feed]
enabled = false
TOML
    site "corpus-$n" "$dir" aftercare washing "touch-up"
    if [ -n "${ZOLA_BIN:-}" ]; then zola_site "corpus-$n" "$dir"; fi
done
