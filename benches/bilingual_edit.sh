#!/usr/bin/env bash
# A one-page body edit on a two-language site whose second language is mostly
# stand-ins (issue: stand-ins were re-rendered on every edit). Builds the corpus
# of benches/run.sh with `[languages.es]` and a Spanish translation for every
# tenth article, then measures edit-to-served latency with
# ../shared/bench/edit_latency.py and, from FOLLICLE_TIMING=1, the rebuild work
# inside the server.
#
#   bash benches/bilingual_edit.sh              # 1,000 articles, 9 edits
#   PAGES=10000 RUNS=7 bash benches/bilingual_edit.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SHARED=${BENCH_SHARED:-/work/shared/bench}
WORK=${BENCH_DIR:-/tmp/follicle-bench}
PAGES=${PAGES:-1000}
RUNS=${RUNS:-9}
PORT=${PORT:-1111}
SITE=$WORK/bilingual-$PAGES

if [ ! -f "$SITE/.generated" ]; then
    rm -rf "$SITE"
    python3 "$SHARED/gen_corpus.py" "$SITE" --pages "$PAGES" >&2
    # Every tenth article gets a Spanish translation; the rest stand in.
    find "$SITE/content" -name '*.md' ! -name '_index.md' | sort | awk 'NR % 10 == 0' |
        while read -r f; do cp "$f" "${f%.md}.es.md"; done
    touch "$SITE/.generated"
fi
rm -rf "$SITE/themes/bench"
mkdir -p "$SITE/themes"
cp -r "$HERE/theme" "$SITE/themes/bench"
cat >"$SITE/site.toml" <<'TOML'
title = "Scalp Micropigmentation Guide"
base_url = "https://bench.test/"
theme = "bench"
taxonomies = []

[markdown]
smart_punctuation = false
anchor_links = false

[feed]
enabled = false

[languages.es]
name = "Español"
TOML
FOLLICLE=${FOLLICLE_BIN:-}
if [ -z "$FOLLICLE" ]; then
    (cd "$REPO" && cargo build --release >&2)
    FOLLICLE=${CARGO_TARGET_DIR:-$REPO/target}/release/follicle
fi
section=$(ls "$SITE/content" | grep -v '^_' | head -1)
article=$(ls "$SITE/content/$section" | grep -v '^_' | grep -v '\.es\.md$' | sort | sed -n '5p')
file="content/$section/$article"
url="/$section/${article%.md}/"
echo "editing $file ($(find "$SITE/content" -name '*.md' | wc -l) files), polling $url" >&2
log=$(mktemp)
FOLLICLE_TIMING=1 python3 "$SHARED/edit_latency.py" --site "$SITE" --file "$file" --url "$url" \
    --port "$PORT" --runs "$RUNS" -- "$FOLLICLE" serve --port "$PORT" 2>"$log"
echo "### rebuild work inside the server (FOLLICLE_TIMING lines per edit)"
grep -E "incremental|body-only|total" "$log" | tail -n "$((RUNS * 2))" || true
cat "$log" | grep -v "^\[" | tail -15; rm -f "$log"
