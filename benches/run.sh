#!/usr/bin/env bash
# Follicle against the floor, Hugo and Zola on the generated corpus.
#
#   bash benches/run.sh                 # 1,000 and 10,000 articles, 5 runs each
#   bash benches/run.sh 1000            # one size
#   LARGE=1 bash benches/run.sh         # also 50,000 articles
#
# Environment:
#   RUNS=5            timed rebuilds per tool and size (rebuilding over the previous output)
#   FRESH_RUNS=3      timed builds into an empty folder per tool and size (0: skip)
#   FOLLICLE_BIN=...  use this binary instead of `cargo build --release`
#   BENCH_SHARED=/work/shared/bench   where gen_corpus.py and floor/ live
#   BENCH_DIR=/tmp/follicle-bench     where corpora, outputs and raw timings go
#   FLOOR_TARGET=/tmp/floor-target    CARGO_TARGET_DIR for the floor program
#   NO_HUGO=1 / NO_ZOLA=1             leave a tool out
#
# Not part of `cargo test`. Prints Markdown tables of medians and ratios.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
SHARED=${BENCH_SHARED:-/work/shared/bench}
WORK=${BENCH_DIR:-/tmp/follicle-bench}
RUNS=${RUNS:-5}
FRESH_RUNS=${FRESH_RUNS:-3}
FLOOR_TARGET=${FLOOR_TARGET:-/tmp/floor-target}

if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 10000); fi
if [ -n "${LARGE:-}" ]; then SIZES+=(50000); fi

say() { printf '%s\n' "$*" >&2; }
die() { say "run.sh: $*"; exit 1; }

[ -f "$SHARED/gen_corpus.py" ] || die "no $SHARED/gen_corpus.py (set BENCH_SHARED to the folder holding gen_corpus.py and floor/)"
command -v python3 >/dev/null || die "python3 is needed to generate the corpus"

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
apt_install() {
    say "installing $* with apt-get"
    $SUDO apt-get install -y "$@" >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y "$@" >&2; }
}

# --- tools -------------------------------------------------------------------
[ -x /usr/bin/time ] || apt_install time || die "GNU time (/usr/bin/time) is needed"
/usr/bin/time -v true 2>&1 | grep "Maximum resident" >/dev/null || die "/usr/bin/time is not GNU time"

if [ -n "${FOLLICLE_BIN:-}" ]; then
    FOLLICLE=$FOLLICLE_BIN
else
    say "building follicle (cargo build --release)"
    (cd "$REPO" && cargo build --release >&2)
    FOLLICLE=${CARGO_TARGET_DIR:-$REPO/target}/release/follicle
fi
[ -x "$FOLLICLE" ] || die "no follicle binary at $FOLLICLE"

say "building floor"
CARGO_TARGET_DIR=$FLOOR_TARGET cargo build --release --manifest-path "$SHARED/floor/Cargo.toml" >&2
FLOOR=$FLOOR_TARGET/release/floor

HUGO=""
if [ -z "${NO_HUGO:-}" ]; then
    command -v hugo >/dev/null || apt_install hugo || say "hugo could not be installed; leaving it out"
    HUGO=$(command -v hugo || true)
fi
ZOLA=""
if [ -z "${NO_ZOLA:-}" ]; then ZOLA=$(command -v zola || true); fi

TOOLS=(floor follicle)
[ -n "$HUGO" ] && TOOLS+=(hugo)
[ -n "$ZOLA" ] && TOOLS+=(zola)

{
    echo "follicle: $FOLLICLE ($("$FOLLICLE" --version 2>/dev/null || echo '?'))"
    [ -n "$HUGO" ] && echo "hugo: $("$HUGO" version 2>/dev/null | head -1)"
    [ -n "$ZOLA" ] && echo "zola: $("$ZOLA" --version 2>/dev/null)"
    echo "machine: $(nproc) cores, $(uname -sr)"
} >&2

# --- corpus --------------------------------------------------------------------
# The theme and site.toml are refreshed every time; the Markdown only when missing.
prepare_corpus() {
    local n=$1 dir=$WORK/corpus-$1
    if [ ! -f "$dir/.generated" ]; then
        rm -rf "$dir"
        python3 "$SHARED/gen_corpus.py" "$dir" --pages "$n" >&2
        touch "$dir/.generated"
    fi
    rm -rf "$dir/themes/bench"
    mkdir -p "$dir/themes"
    cp -r "$HERE/theme" "$dir/themes/bench"
    # Same work as Hugo's hugo.toml and Zola's config.toml: no taxonomies, no feed,
    # no heading anchor links, no typographic quotes (Zola's defaults).
    cat >"$dir/site.toml" <<'EOF'
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
EOF
}

# --- one timed command ---------------------------------------------------------
# cmd_for TOOL CORPUS OUT: the command line (as an array in CMD); OUT is a folder name
# inside CORPUS.
cmd_for() {
    local tool=$1 dir=$2 out=$3
    case $tool in
        floor) CMD=("$FLOOR" "$dir/content" "$dir/$out") ;;
        follicle) CMD=("$FOLLICLE" build --root "$dir" --output "$out") ;;
        hugo) CMD=("$HUGO" --quiet --source "$dir" --destination "$dir/$out") ;;
        zola) CMD=("$ZOLA" --root "$dir" build --force --output-dir "$dir/$out") ;;
    esac
}

# measure TOOL CORPUS OUT MODE N RAWFILE: run once, append "size mode tool wall_s cpu_s rss_kib sys_s".
measure() {
    local tool=$1 dir=$2 out=$3 mode=$4 n=$5 raw=$6
    cmd_for "$tool" "$dir" "$out"
    local tv=$WORK/time.txt log=$WORK/log-$tool.txt
    local t0 t1 rc=0
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$tv" "${CMD[@]}" >"$log" 2>&1 || rc=$?
    t1=$(date +%s%N)
    if [ $rc != 0 ]; then
        say "!! $tool failed (exit $rc) on $dir:"
        cat "$log" >&2
        echo "$n $mode $tool FAIL FAIL FAIL FAIL" >>"$raw"
        return 0
    fi
    python3 - "$tv" "$n" "$mode" "$tool" "$t0" "$t1" >>"$raw" <<'PY'
import sys
tv, n, mode, tool, t0, t1 = sys.argv[1:]
d = {}
for line in open(tv):
    k, _, v = line.strip().rpartition(": ")
    d[k] = v
user, system = float(d["User time (seconds)"]), float(d["System time (seconds)"])
rss = int(d["Maximum resident set size (kbytes)"])
print(n, mode, tool, f"{(int(t1) - int(t0)) / 1e9:.3f}", f"{user + system:.2f}", rss, f"{system:.2f}")
PY
}

# --- is the output real? ---------------------------------------------------------
# verify_follicle N OUTPUT_FOLDER
verify_follicle() {
    local n=$1 dir=$2
    local pages toc sections listed
    pages=$(find "$dir" -mindepth 3 -maxdepth 3 -path '*/article-*/index.html' | wc -l)
    toc=$(find "$dir" -mindepth 3 -maxdepth 3 -path '*/article-*/index.html' -print0 \
        | xargs -0 grep -l 'id="TableOfContents"><ul><li><a href="#what-to-expect">' | wc -l)
    sections=0 listed=0
    # Pages that list no article (the search page) count none; grep's "no
    # match" is not a failure here.
    for s in "$dir"/*/index.html; do
        local here
        here=$({ grep -o '<li><a href="https://example.org/[^"]*/article-' "$s" || true; } | wc -l)
        [ "$here" -gt 0 ] && sections=$((sections + 1))
        listed=$((listed + here))
    done
    local in_sitemap
    in_sitemap=$(grep -c '/article-[0-9]*/</loc>' "$dir/sitemap.xml")
    say "check follicle @ $n: $pages article pages, $toc with a TOC, $sections section pages listing $listed articles, $in_sitemap articles in sitemap.xml"
    [ "$pages" = "$n" ] && [ "$toc" = "$n" ] && [ "$listed" = "$n" ] && [ "$in_sitemap" = "$n" ] \
        || die "Follicle's output is incomplete; the timings would be meaningless"
}

html_count() { find "$1" -name '*.html' 2>/dev/null | wc -l; }

# --- the runs ----------------------------------------------------------------------
mkdir -p "$WORK"
RAW=$WORK/raw-$(date +%Y%m%d-%H%M%S).txt
: >"$RAW"
say "raw timings: $RAW"

# Deleting many files and creating many soon after is slow on some file systems (ext4
# without a journal skips every recently freed inode), so the fresh builds go into
# never-used folders and nothing is deleted until the end.
STAMP=$(date +%s)
FRESH_DIRS=()
cleanup_fresh() {
    [ ${#FRESH_DIRS[@]} -eq 0 ] || { say "removing the fresh-build outputs"; rm -rf "${FRESH_DIRS[@]}"; }
}
trap cleanup_fresh EXIT

for n in "${SIZES[@]}"; do
    dir=$WORK/corpus-$n
    prepare_corpus "$n"
    say "== $n articles ($(du -sh "$dir/content" | cut -f1) of Markdown)"
    # Into an empty folder, first (before any rebuild deletes anything).
    last_fresh=""
    for ((r = 0; r < FRESH_RUNS; r++)); do
        for ((i = 0; i < ${#TOOLS[@]}; i++)); do
            tool=${TOOLS[$(((i + r) % ${#TOOLS[@]}))]}
            out=out-$tool-fresh-$STAMP-$r
            FRESH_DIRS+=("$dir/$out")
            [ $r = 0 ] && measure "$tool" "$dir" "$out-warm" warmup "$n" "$WORK/warmup.txt" \
                && FRESH_DIRS+=("$dir/$out-warm")
            measure "$tool" "$dir" "$out" fresh "$n" "$RAW"
            [ "$tool" = follicle ] && last_fresh=$dir/$out
        done
        say "   fresh run $((r + 1))/$FRESH_RUNS done"
    done
    [ -n "$last_fresh" ] && verify_follicle "$n" "$last_fresh"
    # Rebuild over the previous output (kept from earlier invocations, or made now).
    for tool in "${TOOLS[@]}"; do
        measure "$tool" "$dir" "out-$tool" warmup "$n" "$WORK/warmup.txt"
    done
    verify_follicle "$n" "$dir/out-follicle"
    for tool in "${TOOLS[@]}"; do
        say "   $tool wrote $(html_count "$dir/out-$tool") .html files"
    done
    for ((r = 0; r < RUNS; r++)); do
        for ((i = 0; i < ${#TOOLS[@]}; i++)); do
            tool=${TOOLS[$(((i + r) % ${#TOOLS[@]}))]}
            measure "$tool" "$dir" "out-$tool" rebuild "$n" "$RAW"
        done
        say "   rebuild run $((r + 1))/$RUNS done"
    done
done

# --- tables -------------------------------------------------------------------------
python3 - "$RAW" <<'EOF'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
names = {"floor": "floor (pulldown-cmark only)", "follicle": "Follicle", "hugo": "Hugo `hugo --quiet`",
         "zola": "Zola `zola build --force`"}
def med(xs):
    return statistics.median(xs) if xs else None
for mode, heading in (("rebuild", "rebuilding over the previous output"), ("fresh", "into an empty folder")):
    for n in sorted({int(r[0]) for r in rows if r[1] == mode}):
        sel = [r for r in rows if r[1] == mode and int(r[0]) == n]
        tools = [t for t in ("floor", "follicle", "hugo", "zola") if any(r[2] == t for r in sel)]
        stats = {}
        for t in tools:
            ok = [r for r in sel if r[2] == t and r[3] != "FAIL"]
            fails = sum(1 for r in sel if r[2] == t and r[3] == "FAIL")
            stats[t] = (med([float(r[3]) for r in ok]), med([float(r[4]) for r in ok]),
                        med([int(r[5]) / 1024 for r in ok]), len(ok), fails,
                        min([float(r[3]) for r in ok], default=None), med([float(r[6]) for r in ok]))
        print(f"\n### {n:,} articles, {heading} (medians)\n")
        print("| | runs | wall s | best wall s | CPU s (of which sys) | peak MiB |")
        print("|---|---|---|---|---|---|")
        for t in tools:
            w, c, m, k, f, best, sy = stats[t]
            if w is None:
                print(f"| {names[t]} | 0 ({f} failed) | – | – | – | – |")
            else:
                print(f"| {names[t]} | {k}{f' ({f} failed)' if f else ''} | {w:.2f} | {best:.2f} | {c:.2f} ({sy:.2f}) | {m:,.0f} |")
        fw = stats.get("follicle", (None,))[0]
        ratios = []
        for t in ("floor", "hugo", "zola"):
            if t in stats and stats[t][0] and fw:
                ow, oc, om = stats[t][:3]
                fw_, fc, fm = stats["follicle"][:3]
                fb, ob = stats["follicle"][5], stats[t][5]
                ratios.append(f"| Follicle / {t} | {fw_ / ow:.2f}× | {fb / ob:.2f}× | {fc / oc:.2f}× | {fm / om:.2f}× |")
        if ratios:
            print("\n| ratio | wall (medians) | wall (best) | CPU | peak memory |")
            print("|---|---|---|---|---|")
            print("\n".join(ratios))
EOF
