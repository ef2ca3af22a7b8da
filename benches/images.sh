#!/usr/bin/env bash
# Photos: Follicle against Hugo and Zola on the same 100 camera-size JPEGs, in
# one run.
#
#   bash benches/images.sh              # 100 photos of 4000 × 3000
#   COUNT=20 bash benches/images.sh     # fewer photos (a quick look)
#
# Each tool builds one page showing every photo at widths 480, 800, 1200 and
# 1600 px as WebP and as JPEG (quality 75, Lanczos), plus the original:
#   - Follicle: `![…](photo-000.jpg)` in a page bundle, `[images] formats =
#     ["webp"]` (the same work as Hugo), and once more with its default
#     formats (AVIF as well), which Hugo cannot make;
#   - Hugo: a template calling `.Resize "480x webp q75 Lanczos"` and
#     `.Resize "480x q75 Lanczos"` per width on the bundle's images;
#   - Zola: a template calling `resize_image(path, width, op="fit_width",
#     format="webp"|"jpg", quality=75)` per width and photo, and once more
#     with `format="avif"` (speed 9, as Follicle's default) as well.
# Measured per tool: a cold build (no cache, no output), a warm rebuild with
# nothing changed, a rebuild after one photo changed (a different photo each
# time); wall time (medians of RUNS, the cold build once) and peak memory
# (GNU time's maximum resident set size). For Follicle also the same page
# without photos, so the warm rebuild's cost of 100 photos shows.
#
# Environment:
#   COUNT=100 WIDTH=4000 HEIGHT=3000   the photos
#   RUNS=3                             warm and one-changed rebuilds per tool
#   FOLLICLE_BIN=... MAKE_PHOTOS_BIN=...  use these instead of `cargo build --release`
#   BENCH_DIR=/tmp/follicle-images-bench  where photos, sites and timings go
#   NO_HUGO=1 / NO_AVIF=1              leave Hugo / the default-formats run out
#   ZOLA_BIN=/path/to/zola             Zola is not packaged for Debian: build it
#                                      from its source (`cargo build --release`
#                                      in a clone of getzola/zola); without it
#                                      (and no `zola` on PATH) Zola is left out
#
# Not part of `cargo test`. Prints a Markdown table; raw timings in $BENCH_DIR.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$HERE")
WORK=${BENCH_DIR:-/tmp/follicle-images-bench}
COUNT=${COUNT:-100}
WIDTH=${WIDTH:-4000}
HEIGHT=${HEIGHT:-3000}
RUNS=${RUNS:-3}
WIDTHS=(480 800 1200 1600)

say() { printf '%s\n' "$*" >&2; }
die() { say "images.sh: $*"; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
apt_install() {
    say "installing $* with apt-get"
    $SUDO apt-get install -y "$@" >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y "$@" >&2; }
}

# --- tools -------------------------------------------------------------------
[ -x /usr/bin/time ] || apt_install time || die "GNU time (/usr/bin/time) is needed"
/usr/bin/time -v true 2>&1 | grep "Maximum resident" >/dev/null || die "/usr/bin/time is not GNU time"
if [ -z "${NO_HUGO:-}" ] && ! command -v hugo >/dev/null; then
    apt_install hugo || die "hugo is not installable (NO_HUGO=1 to leave it out)"
fi

if [ -n "${FOLLICLE_BIN:-}" ] && [ -n "${MAKE_PHOTOS_BIN:-}" ]; then
    FOLLICLE=$FOLLICLE_BIN
    MAKE_PHOTOS=$MAKE_PHOTOS_BIN
else
    say "building follicle and make_photos (cargo build --release)"
    (cd "$REPO" && cargo build --release --bin follicle --example make_photos >&2)
    FOLLICLE=${CARGO_TARGET_DIR:-$REPO/target}/release/follicle
    MAKE_PHOTOS=${CARGO_TARGET_DIR:-$REPO/target}/release/examples/make_photos
fi
[ -x "$FOLLICLE" ] || die "no follicle binary at $FOLLICLE"
[ -x "$MAKE_PHOTOS" ] || die "no make_photos binary at $MAKE_PHOTOS"

# --- photos and sites ----------------------------------------------------------
mkdir -p "$WORK"
PHOTOS=$WORK/photos-$COUNT-${WIDTH}x$HEIGHT
if [ ! -f "$PHOTOS/photo-$(printf %03d $((COUNT - 1))).jpg" ]; then
    say "making $COUNT photos of ${WIDTH}x$HEIGHT in $PHOTOS"
    rm -rf "$PHOTOS"
    "$MAKE_PHOTOS" "$PHOTOS" "$COUNT" "$WIDTH" "$HEIGHT" 1
fi
# Replacements for "one photo changed": same size, other pixels.
CHANGED=$WORK/changed-${WIDTH}x$HEIGHT
if [ ! -f "$CHANGED/photo-$(printf %03d $((RUNS - 1))).jpg" ]; then
    rm -rf "$CHANGED"
    "$MAKE_PHOTOS" "$CHANGED" "$RUNS" "$WIDTH" "$HEIGHT" 99
fi

page_body() { # with_images: 1 or 0
    printf 'Photos of a clinic.\n\n'
    for ((i = 0; i < COUNT; i++)); do
        n=$(printf %03d "$i")
        printf 'Photo %s, as a phone took it.\n\n' "$n"
        if [ "$1" = 1 ]; then printf '![Photo %s](photo-%s.jpg)\n\n' "$n" "$n"; fi
    done
}

follicle_site() { # dir formats with_images
    local dir=$1 formats=$2
    rm -rf "$dir"
    mkdir -p "$dir/content/gallery"
    cat > "$dir/site.toml" <<EOF
title = "Image bench"
base_url = "https://bench.example"
description = "Photos."

[images]
widths = [$(IFS=,; echo "${WIDTHS[*]}" | sed 's/,/, /g')]
quality = 75
formats = [$formats]
EOF
    printf '+++\ntitle = "Gallery"\ndescription = "Photos."\n+++\n' > "$dir/content/gallery/index.md"
    page_body "$3" >> "$dir/content/gallery/index.md"
    printf '+++\ntitle = "Home"\n+++\nHome.\n' > "$dir/content/_index.md"
    if [ "$3" = 1 ]; then cp "$PHOTOS"/*.jpg "$dir/content/gallery/"; fi
}

hugo_site() { # dir
    local dir=$1
    rm -rf "$dir"
    mkdir -p "$dir/content/gallery" "$dir/layouts/_default"
    cat > "$dir/config.toml" <<'EOF'
baseURL = "https://bench.example/"
title = "Image bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
quality = 75
resampleFilter = "Lanczos"
EOF
    printf -- '---\ntitle: Gallery\n---\n' > "$dir/content/gallery/index.md"
    page_body 0 >> "$dir/content/gallery/index.md"
    printf -- '---\ntitle: Home\n---\nHome.\n' > "$dir/content/_index.md"
    local ws; ws=$(echo "${WIDTHS[*]}")
    cat > "$dir/layouts/_default/single.html" <<EOF
<!doctype html><html lang="en"><title>{{ .Title }}</title>{{ .Content }}
{{ range \$img := .Resources.ByType "image" }}<picture>
<source type="image/webp" srcset="{{ range \$i, \$w := slice $ws }}{{ if \$i }}, {{ end }}{{ (\$img.Resize (printf "%dx webp q75 Lanczos" \$w)).RelPermalink }} {{ \$w }}w{{ end }}">
<img src="{{ \$img.RelPermalink }}" srcset="{{ range \$i, \$w := slice $ws }}{{ if \$i }}, {{ end }}{{ (\$img.Resize (printf "%dx q75 Lanczos" \$w)).RelPermalink }} {{ \$w }}w{{ end }}" width="{{ \$img.Width }}" height="{{ \$img.Height }}" alt="">
</picture>{{ end }}</html>
EOF
    printf '<!doctype html><title>{{ .Title }}</title>{{ .Content }}\n' > "$dir/layouts/_default/list.html"
    printf '<!doctype html><title>{{ .Title }}</title>{{ .Content }}\n' > "$dir/layouts/index.html"
    cp "$PHOTOS"/*.jpg "$dir/content/gallery/"
}

zola_site() { # dir formats (e.g. "webp jpg")
    local dir=$1 formats=$2
    rm -rf "$dir"
    mkdir -p "$dir/content/gallery" "$dir/templates"
    cat > "$dir/config.toml" <<'EOF'
base_url = "https://bench.example"
title = "Image bench"
compile_sass = false
build_search_index = false
generate_feeds = false
EOF
    printf '+++\ntitle = "Gallery"\n+++\n' > "$dir/content/gallery/index.md"
    page_body 0 >> "$dir/content/gallery/index.md"
    printf '+++\ntitle = "Home"\n+++\n' > "$dir/content/_index.md"
    local paths="" i f
    for ((i = 0; i < COUNT; i++)); do
        paths+="${paths:+, }\"gallery/photo-$(printf %03d "$i").jpg\""
    done
    local ws; ws=$(IFS=,; echo "${WIDTHS[*]}")
    {
        printf '<!doctype html><html lang="en"><title>{{ page.title }}</title>{{ page.content | safe }}\n'
        printf '{%% for p in [%s] %%}<picture>\n' "$paths"
        for f in $formats; do
            printf '<source type="image/%s" srcset="{%% for w in [%s] %%}{%% set r = resize_image(path=p, width=w, op="fit_width", format="%s", quality=75, speed=9) %%}{{ r.url }} {{ w }}w, {%% endfor %%}">\n' "$f" "$ws" "$f"
        done
        printf '</picture>{%% endfor %%}</html>\n'
    } > "$dir/templates/page.html"
    printf '<!doctype html><title>{{ section.title }}</title>\n' > "$dir/templates/index.html"
    printf '<!doctype html><title>{{ section.title }}</title>\n' > "$dir/templates/section.html"
    cp "$PHOTOS"/*.jpg "$dir/content/gallery/"
}

# --- timing --------------------------------------------------------------------
# time_run LABEL CMD...: appends "label seconds maxrss_kib" to $WORK/raw.txt.
time_run() {
    local label=$1; shift
    local t0 t1
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/last.log" 2>&1 || {
        cat "$WORK/last.log" >&2; die "failed: $*"; }
    t1=$(date +%s.%N)
    local rss; rss=$(awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")
    local s; s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    printf '%s %.3f %s\n' "$label" "$s" "$rss" >> "$WORK/raw.txt"
    say "  $label: $(printf %.2f "$s") s, $((rss / 1024)) MiB"
}

# scenario NAME CLEAN_CMD CHANGE_DIR BUILD_CMD...: cold, warm ×RUNS, changed ×RUNS.
scenario() {
    local name=$1 clean=$2 gallery=$3; shift 3
    say "$name"
    eval "$clean"
    time_run "$name cold" "$@"
    for ((r = 0; r < RUNS; r++)); do time_run "$name warm" "$@"; done
    for ((r = 0; r < RUNS; r++)); do
        local n; n=$(printf %03d $((r * 7 % COUNT)))
        cp "$CHANGED/photo-$(printf %03d "$r").jpg" "$gallery/photo-$n.jpg"
        time_run "$name changed" "$@"
    done
    # Put the originals back for the next tool.
    cp "$PHOTOS"/*.jpg "$gallery/"
}

: > "$WORK/raw.txt"
say "follicle $("$FOLLICLE" --version 2>/dev/null || echo '?'); $(hugo version 2>/dev/null | cut -d' ' -f1-2 || true)"
say "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"

FS=$WORK/follicle-webp
follicle_site "$FS" '"webp"' 1
scenario "follicle-webp" "rm -rf '$FS/public' '$FS/.follicle-cache'" "$FS/content/gallery" \
    "$FOLLICLE" build --root "$FS"

if [ -z "${NO_HUGO:-}" ]; then
    HS=$WORK/hugo
    hugo_site "$HS"
    scenario "hugo" "rm -rf '$HS/public' '$HS/resources'" "$HS/content/gallery" \
        hugo --quiet --source "$HS"
fi

ZOLA=${ZOLA_BIN:-$(command -v zola || true)}
if [ -n "$ZOLA" ]; then
    say "$("$ZOLA" --version)"
    ZS=$WORK/zola-webp
    zola_site "$ZS" "webp jpg"
    scenario "zola-webp" "rm -rf '$ZS/public' '$ZS/static/processed_images'" "$ZS/content/gallery" \
        "$ZOLA" --root "$ZS" build
    if [ -z "${NO_AVIF:-}" ]; then
        ZA=$WORK/zola-avif
        zola_site "$ZA" "avif webp jpg"
        scenario "zola-avif" "rm -rf '$ZA/public' '$ZA/static/processed_images'" "$ZA/content/gallery" \
            "$ZOLA" --root "$ZA" build
    fi
fi

if [ -z "${NO_AVIF:-}" ]; then
    FA=$WORK/follicle-avif
    follicle_site "$FA" '"avif", "webp"' 1
    scenario "follicle-avif" "rm -rf '$FA/public' '$FA/.follicle-cache'" "$FA/content/gallery" \
        "$FOLLICLE" build --root "$FA"
fi

FN=$WORK/follicle-none
follicle_site "$FN" '"webp"' 0
say "follicle without photos"
"$FOLLICLE" build --root "$FN" > /dev/null 2>&1
for ((r = 0; r < RUNS; r++)); do time_run "follicle-none warm" "$FOLLICLE" build --root "$FN"; done
say "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

# Sanity: both published the same number of resized files.
fw=$(find "$FS/public/gallery" -name '*w.webp' | wc -l)
say "follicle WebP copies: $fw (expected $((COUNT * ${#WIDTHS[@]})))"
if [ -z "${NO_HUGO:-}" ]; then
    # Hugo never deletes from public/: the changed photos' old copies stay.
    hw=$(find "$HS/public/gallery" -name '*.webp' | wc -l)
    say "hugo WebP copies: $hw (of which $((RUNS * ${#WIDTHS[@]})) stale from the changed photos)"
fi

# --- table -------------------------------------------------------------------
python3 - "$WORK/raw.txt" "$COUNT" "$WIDTH" "$HEIGHT" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, s, rss = line.rsplit(" ", 2)
    rows.setdefault(label, []).append((float(s), int(rss)))
def med(label):
    v = rows.get(label)
    return (statistics.median(s for s, _ in v), max(r for _, r in v) / 1024) if v else None
count, w, h = sys.argv[2:5]
print(f"\n{count} JPEGs of {w} × {h}; widths 480, 800, 1200, 1600 as WebP and JPEG (and AVIF in the +AVIF runs), plus the original\n")
tools = [("follicle-webp", "Follicle"), ("hugo", "Hugo"), ("zola-webp", "Zola"),
         ("follicle-avif", "Follicle +AVIF"), ("zola-avif", "Zola +AVIF")]
tools = [(k, n) for k, n in tools if f"{k} cold" in rows]
names = dict(tools)
ratios = [(a, b) for a, b in [("follicle-webp", "hugo"), ("follicle-webp", "zola-webp"), ("follicle-avif", "zola-avif")]
          if a in names and b in names]
head = [n + " s" for _, n in tools] + [f"{names[a]} / {names[b]}" for a, b in ratios] + [n + " MiB" for _, n in tools]
print("| build | " + " | ".join(head) + " |")
print("|---" * (len(head) + 1) + "|")
for kind, name in [("cold", "cold (no cache, no output)"), ("warm", "warm, nothing changed"), ("changed", "one photo changed")]:
    m = {k: med(f"{k} {kind}") for k, _ in tools}
    cells = [f"{m[k][0]:.2f}" if m[k] else "–" for k, _ in tools]
    cells += [f"**{m[a][0] / m[b][0]:.2f}×**" if m[a] and m[b] else "–" for a, b in ratios]
    cells += [f"{m[k][1]:.0f}" if m[k] else "–" for k, _ in tools]
    print(f"| {name} | " + " | ".join(cells) + " |")
none, warm = med("follicle-none warm"), med("follicle-webp warm")
if none and warm:
    print(f"\nFollicle's warm rebuild of the same page without photos: {none[0]:.3f} s; the {count} photos add {1000 * (warm[0] - none[0]):.0f} ms.")
PY
