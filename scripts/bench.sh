#!/usr/bin/env bash
#! Benchmarks (never asserted in tests; the machine is shared, so read the ratios): native
#! epochs/s (cargo bench), numpy doing the same work, the in-page benchmark, and the page's size.
#!
#! `scripts/bench.sh --instructions` instead counts the instructions one epoch of each native
#! case takes (callgrind, from Debian's valgrind): the same count every run, whatever else the
#! machine is doing, so two builds can be compared exactly.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"

if [[ "${1:-}" == "--instructions" ]]; then
    command -v valgrind >/dev/null || {
        say "installing Debian's valgrind"
        apt_install valgrind
    }
    bin=$(cargo bench --no-run --message-format=json 2>/dev/null |
        python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "training" and m.get("executable"):
        print(m["executable"])') || true
    [[ -x "$bin" ]] || {
        say "cargo bench --no-run failed; run it to see why"
        exit 1
    }
    count() { # case epochs -> instructions of the whole run
        local n
        n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" --epochs "$2" "$1" 2>&1 |
            sed -n 's/.*refs: *//p' | tr -d ,)
        [[ -n "$n" ]] || {
            say "callgrind gave no count for $1"
            exit 1
        }
        echo "$n"
    }
    for case in seed_10_5_10 bptt_10_5_10 seed_100_32_128 bptt_100_32_128; do
        n=$([[ $case == *100_32_128 ]] && echo 20 || echo 2000)
        # The difference between 2n and n epochs leaves out start-up and set-up.
        per_epoch=$(( ($(count $case $((2 * n))) - $(count $case $n)) / n ))
        echo "{\"case\": \"$case\", \"instructions_per_epoch\": $per_epoch}"
    done
    exit 0
fi

ensure_test_tools
out=$(mktemp -d)

say "native (cargo bench)"
cargo bench --quiet 2>/dev/null | grep '^{' | tee "$out/native.jsonl"

say "numpy, the same work"
python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet numpy
python3 bench/numpy_baseline.py | tee "$out/numpy.jsonl"

say "the page (release build, headless Chromium, ?bench)"
trunk build --release >/dev/null 2>&1
node tests/e2e/bench.mjs | tee "$out/page.json"
wasm_gz=$(cat dist/*.wasm | gzip -9 | wc -c)
js_gz=$(cat dist/*.js | gzip -9 | wc -c)
echo "{\"wasm_gzip_bytes\": $wasm_gz, \"js_gzip_bytes\": $js_gz}" | tee "$out/size.json"

say "summary"
python3 - "$out" <<'PY'
import json, pathlib, sys
d = pathlib.Path(sys.argv[1])
rows = {}
for name in ("native.jsonl", "numpy.jsonl"):
    for line in (d / name).read_text().splitlines():
        r = json.loads(line)
        rows[r["case"]] = r
page, size = json.loads((d / "page.json").read_text()), json.loads((d / "size.json").read_text())
eps = lambda k: rows[k]["epochs_per_s"]
print(f"seed loop (10,5,10):  {eps('seed_10_5_10'):>10.0f} epochs/s native, {eps('numpy_seed_10_5_10'):>8.0f} numpy  -> {eps('seed_10_5_10') / eps('numpy_seed_10_5_10'):.1f}x (goal 50x)")
print(f"bptt (100,32,128):    {eps('bptt_100_32_128'):>10.0f} epochs/s native, {eps('numpy_bptt_100_32_128'):>8.0f} numpy  -> {eps('bptt_100_32_128') / eps('numpy_bptt_100_32_128'):.1f}x (goal 3x)")
print(f"page training:        {page['epochs_per_s']:>10.0f} epochs/s -> {page['epochs_per_s'] / eps('bptt_100_32_128'):.2f} of native (goal 0.5)")
print(f"page frame, all panels at the largest sizes: median {page['frame_ms_median']} ms (goal 8), per panel {page['panel_ms_median']}")
print(f"first frame after navigation: {page['first_frame_ms']:.0f} ms (goal 1000)")
print(f"wasm + js gzipped: {(size['wasm_gzip_bytes'] + size['js_gzip_bytes']) / 1024:.0f} KB (goal 300)")
w = rows["write_100k"]
print(f"100,000 epochs' run file: written in {w['write_s'] * 1000:.0f} ms ({w['bytes'] / 1e6:.1f} MB), training took {w['train_s']:.2f} s")
PY
