#!/usr/bin/env bash
# Edit-to-served latency of `follicle serve` beside `hugo server`, in one run, on
# the 10,000-article corpus (generate it with benches/run.sh first, or let this
# script do it). Uses ../shared/bench/edit_latency.py: append a marker to one
# article, poll the served page until it shows it; median of RUNS edits.
#
#   bash benches/edit_latency.sh            # 10,000 articles, 7 edits each
#   PAGES=1000 RUNS=5 bash benches/edit_latency.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SHARED=${BENCH_SHARED:-/work/shared/bench}
WORK=${BENCH_DIR:-/tmp/follicle-bench}
PAGES=${PAGES:-10000}
RUNS=${RUNS:-7}
PORT=${PORT:-1111}
CORPUS=$WORK/corpus-$PAGES

if [ ! -d "$CORPUS/content" ]; then
    RUNS=1 FRESH_RUNS=0 NO_HUGO=1 bash "$HERE/run.sh" "$PAGES" >/dev/null
fi
FOLLICLE=${FOLLICLE_BIN:-}
if [ -z "$FOLLICLE" ]; then
    (cd "$REPO" && cargo build --release >&2)
    FOLLICLE=${CARGO_TARGET_DIR:-$REPO/target}/release/follicle
fi
command -v hugo >/dev/null || apt-get install -y hugo >&2

# One article in the middle of the first section, and its URL.
section=$(ls "$CORPUS/content" | grep -v '^_' | head -1)
article=$(ls "$CORPUS/content/$section" | grep -v '^_' | sort | sed -n '50p')
file="content/$section/$article"
url="/$section/${article%.md}/"
echo "editing $file, polling $url" >&2

echo "### follicle serve"
python3 "$SHARED/edit_latency.py" --site "$CORPUS" --file "$file" --url "$url" --port "$PORT" --runs "$RUNS" -- \
    "$FOLLICLE" serve --port "$PORT"
echo "### hugo server"
python3 "$SHARED/edit_latency.py" --site "$CORPUS" --file "$file" --url "$url" --port 1313 --runs "$RUNS" -- \
    hugo server --port 1313 --bind 127.0.0.1 --disableLiveReload --quiet
