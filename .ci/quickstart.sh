#!/usr/bin/env bash
# The README's quick start, step by step, as a newcomer runs it: install, init,
# build, check (which must list the starter's sample details), serve.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill "${serve_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "==> cargo install --locked --path ."
# --target-dir reuses the release build CI made a moment ago.
cargo install --quiet --locked --path "$repo" --root "$work/cargo" --target-dir "$repo/target"
export PATH="$work/cargo/bin:$PATH"
command -v follicle >/dev/null

cd "$work"
echo "==> follicle init my-clinic"
follicle init my-clinic --no-questions --name "Quick Start Clinic" --url https://quick-start-clinic.test/
cd my-clinic
grep -q 'name = "Quick Start Clinic"' site.toml

echo "==> follicle build"
follicle build

echo "==> follicle check (must fail on the starter's sample details)"
set +e
follicle check > check.txt
code=$?
set -e
if [[ $code -ne 1 ]] || ! grep -q '\[placeholder\]' check.txt; then
  cat check.txt
  echo "FAIL: check should report the sample details left (exit $code)" >&2
  exit 1
fi

echo "==> follicle serve"
port=$((20000 + RANDOM % 20000))
follicle serve --port "$port" > serve.log 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/" -o home.html 2>/dev/null; then break; fi
  sleep 0.1
done
grep -q "Quick Start Clinic" home.html
echo "quick start passed"
