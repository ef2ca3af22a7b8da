#!/usr/bin/env bash
# Follicle rebuilding the generated corpus when every page changed (a template
# edit) against rebuilding when nothing changed, in alternation.
#
#   bash benches/rebuild_all.sh [SIZE]      # default 10000; run benches/run.sh first (it
#                                           # generates the corpus and adds the bench theme)
#
# Environment: RUNS=5, FOLLICLE_BIN (else target/release/follicle), BENCH_DIR=/tmp/follicle-bench.
#
# A build writes into the output of two builds ago, so each "nothing changed" run is
# timed after an untimed one. Hugo and Zola rewrite every file on every build, so their
# run.sh figures hold for both cases. Not part of `cargo test`.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIZE=${1:-10000}
RUNS=${RUNS:-5}
BIN=${FOLLICLE_BIN:-$(dirname "$HERE")/target/release/follicle}
SITE=${BENCH_DIR:-/tmp/follicle-bench}/corpus-$SIZE
BASE=$SITE/themes/bench/templates/base.html
[ -x "$BIN" ] || { echo "rebuild_all.sh: no $BIN (cargo build --release, or set FOLLICLE_BIN)" >&2; exit 1; }
[ -f "$BASE" ] || { echo "rebuild_all.sh: no $BASE (run benches/run.sh $SIZE first)" >&2; exit 1; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "rebuild_all.sh: GNU time is needed (apt-get install -y time)" >&2; exit 1; }

cd "$SITE"
saved=$(mktemp)
cp "$BASE" "$saved"
trap 'cp "$saved" "$BASE"; rm -f "$saved"' EXIT
raw=$(mktemp)
for i in $(seq 1 "$RUNS"); do
    sed -i "s|<!-- v[0-9]* -->||; s|</body>|<!-- v$i --></body>|" "$BASE"
    "$TIME" -f "every-page-changed %e %M" "$BIN" build --output out-follicle >/dev/null 2>>"$raw"
    "$BIN" build --output out-follicle >/dev/null
    "$TIME" -f "nothing-changed %e %M" "$BIN" build --output out-follicle >/dev/null 2>>"$raw"
    echo "   round $i/$RUNS done" >&2
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "| $SIZE articles, rebuilding | runs | median wall s | median peak MiB |"
echo "|---|---|---|---|"
for mode in every-page-changed nothing-changed; do
    n=$(grep -c "^$mode " "$raw")
    wall=$(grep "^$mode " "$raw" | awk '{ print $2 }' | median)
    kib=$(grep "^$mode " "$raw" | awk '{ print $3 }' | median)
    printf '| %s | %d | %.2f | %d |\n' "$mode" "$n" "$wall" "$((${kib%.*} / 1024))"
done
rm -f "$raw"
