#!/usr/bin/env bash
# CI: every cargo-fuzz target in fuzz/ for a short time each (FUZZ_SECONDS,
# default 20 s), so a change that makes one of them crash, hang or run out
# of memory fails CI. Longer runs by hand: FUZZ_SECONDS=600 bash .ci/fuzz.sh
#
# A fresh machine has only the stable toolchain and cannot fetch another:
# cargo-fuzz comes from crates.io, and stable is told to accept the
# sanitizer flags (RUSTC_BOOTSTRAP=1; stable ships the AddressSanitizer
# runtime). The same toolchain is used everywhere, so a run here is the run CI
# makes.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-20}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

export RUSTC_BOOTSTRAP=1

start=$(date +%s)
cargo fuzz build
echo "fuzz.sh: built the targets in $(( $(date +%s) - start )) s"
for target in $(cargo fuzz list); do
  # -timeout: one input taking 25 s is a bug (a quadratic path), not luck.
  cargo fuzz run "$target" -- \
    -max_total_time="$seconds" -timeout=25 -print_final_stats=1 2>&1 \
    | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|INFO: Running|artifact_prefix|Test unit written)' || true
  # grep hides libFuzzer's progress lines; the pipe must not hide a failure.
  status=${PIPESTATUS[0]}
  if [ "$status" -ne 0 ]; then
    echo "fuzz.sh: $target failed (exit $status); the input is in fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
done
echo "fuzz.sh: all targets in $(( $(date +%s) - start )) s"
