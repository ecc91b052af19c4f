#!/usr/bin/env bash
#! Benchmarks (never asserted in tests; the machine is shared, so read the ratios): the machine's
#! peak multiply-add rate without FMA, native epochs/s (cargo bench) in two builds, numpy doing the
#! same work (bench/numpy_lean.py), the in-page benchmark, and the page's size.
#!
#! The two native builds are one binary: "AVX2" is the normal build, which takes its AVX2 paths
#! where the CPU has them (detected at run time); "SSE2" is the same binary run with
#! RNN_PLAYGROUND_NO_AVX2=1, the vector width of the page's wasm simd128, which the page is
#! compared with. Timings here move by +-20 %, so the peak, both builds and numpy are run five
#! times interleaved and every ratio is the median of the five runs' ratios; the page's benchmark
#! runs five times too, each run paired with a run of the SSE2 build, and Lighthouse three times.
#!
#! `scripts/bench.sh --native` leaves out the page (no trunk build, no Chromium).
#!
#! `scripts/bench.sh --instructions` instead counts the instructions one epoch of each native
#! case takes (callgrind, from Debian's valgrind): the same count every run, whatever else the
#! machine is doing, so two builds can be compared exactly.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
cd "$ROOT"

bench_exe() { # bench_exe NAME -> the path of benches/NAME.rs built by cargo bench --no-run
    cargo bench --no-run --message-format=json 2>/dev/null |
        python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == sys.argv[1] and m.get("executable"):
        print(m["executable"])' "$1" || true
}

if [[ "${1:-}" == "--instructions" ]]; then
    command -v valgrind >/dev/null || {
        say "installing Debian's valgrind"
        apt_install valgrind
    }
    bin=$(bench_exe training)
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

page=true
[[ "${1:-}" == "--native" ]] && page=false
$page && ensure_test_tools
out=$(mktemp -d)

say "building the benchmarks and the command line"
cargo build --release --quiet
training=$(bench_exe training)
peak=$(bench_exe peak)
[[ -x "$training" && -x "$peak" ]] || {
    say "cargo bench --no-run failed; run it to see why"
    exit 1
}
python3 -c 'import numpy' 2>/dev/null || python3 -m pip install --quiet numpy

# The specs numpy runs on: the data and starting weights the native benchmark draws (seed 42).
spec() { # spec T D H TRAINING -> a completed one-epoch run file (x, y, init)
    echo "{\"format\": \"rnn-playground.run/1\", \"config\": {\"seq_length\": $1, \"input_size\": $2,
      \"hidden_size\": $3, \"learning_rate\": 0.01, \"epochs\": 1, \"seed\": 42, \"task\": \"random-target\",
      \"training\": \"$4\"}}" | target/release/rnn-playground run -
}
spec 10 5 10 seed >"$out/spec_10_5_10.json"
spec 100 32 128 bptt >"$out/spec_100_32_128.json"
# numpy as this machine installs it: where OPENBLAS_CORETYPE is set (for old OpenBLAS builds),
# a current numpy runs slower with it, so it and OPENBLAS_L2_SIZE are unset for this command only.
numpy_lean() { # numpy_lean CASE SPEC -> {"case": "numpy_CASE", "epochs_per_s": ...}
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 -c 'import json, sys
sys.path.insert(0, "bench")
import numpy_lean as m
case, path = sys.argv[1], sys.argv[2]
fn = {"seed_10_5_10": m.seed_epochs, "bptt_100_32_128": m.bptt_epochs}[case]
print(json.dumps({"case": "numpy_" + case, "epochs_per_s": m.rate(fn, json.load(open(path)), 1.0)}))' "$@"
}

for run in 1 2 3 4 5; do
    say "run $run of 5: peak, native (AVX2 build, SSE2 build), numpy"
    {
        "$peak" --rounds 1
        "$training" --rounds 1 seed_ bptt_ lstm_ gru_
        RNN_PLAYGROUND_NO_AVX2=1 "$training" --rounds 1 seed_ bptt_ lstm_ gru_ | sed 's/"case": "/"case": "sse2_/'
        numpy_lean seed_10_5_10 "$out/spec_10_5_10.json"
        numpy_lean bptt_100_32_128 "$out/spec_100_32_128.json"
    } | sed "s/^{/{\"run\": $run, /" | tee -a "$out/runs.jsonl"
done
"$training" write_100k | tee "$out/write.json"

say "the command line: process start, parsing and JSON output (1 epoch, left out of the epochs/s above)"
python3 - "$out/spec_10_5_10.json" "$out/spec_100_32_128.json" <<'PY' | tee "$out/cli.json"
import json, subprocess, sys, time
for path in sys.argv[1:]:
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(["target/release/rnn-playground", "run", path], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"spec": path.rsplit("/", 1)[-1], "cli_ms_median": sorted(times)[2] * 1000}))
PY

if $page; then
    say "the page (release build, headless Chromium, ?bench), five times, each beside a run of the native SSE2 build"
    trunk build --release >/dev/null 2>&1
    page_run() { node tests/e2e/bench.mjs | sed "s/^{/{\"run\": $1, /" | tee -a "$out/page.jsonl"; }
    sse2_run() { RNN_PLAYGROUND_NO_AVX2=1 "$training" --rounds 1 bptt_100_32_128 | sed "s/^{/{\"run\": $1, /" | tee -a "$out/page_sse2.jsonl"; }
    # Each pair in turn page first and native first, so that neither always runs just after Chromium.
    for run in 1 2 3 4 5; do
        if ((run % 2)); then page_run $run && sse2_run $run; else sse2_run $run && page_run $run; fi
    done
    wasm_gz=$(cat dist/*.wasm | gzip -9 | wc -c)
    js_gz=$(cat dist/*.js | gzip -9 | wc -c)
    echo "{\"wasm_gzip_bytes\": $wasm_gz, \"js_gzip_bytes\": $js_gz}" | tee "$out/size.json"
    say "Lighthouse, mobile (the release build served statically with gzip)"
    lh="$ROOT/target/lighthouse"
    # Lighthouse 12.2.3: later ones want Node 22 (this machine has 20). Kept out of package.json,
    # so the test command does not install it.
    [[ -x "$lh/node_modules/.bin/lighthouse" ]] ||
        npm install --prefix "$lh" --no-save --no-audit --no-fund --loglevel=error lighthouse@12.2.3 >&2
    for run in 1 2 3; do
        LIGHTHOUSE="$lh/node_modules/.bin/lighthouse" node tests/e2e/lighthouse.mjs | tee -a "$out/lighthouse.jsonl"
    done
fi

say "summary (medians of the five interleaved runs)"
python3 - "$out" <<'PY'
import json, pathlib, statistics, sys
d = pathlib.Path(sys.argv[1])
runs = {}
for line in (d / "runs.jsonl").read_text().splitlines():
    r = json.loads(line)
    runs.setdefault(r["run"], {})[r["case"]] = r.get("epochs_per_s", r.get("gmadd_per_s"))
med = lambda f: statistics.median(f(r) for r in runs.values())
MADDS = 5_734_400  # per BPTT epoch at (100, 32, 128): 100 x (128x32 + 2 x 128x128) forward and back, + dWx, dWh
peak = med(lambda r: r["peak_l2_128x128"])
print(f"peak, no FMA (AVX2 mul+add): {peak:.2f} G multiply-adds/s with A in L2 (128x128), {med(lambda r: r['peak_l1_128x32']):.2f} in L1 (128x32)")
bptt = med(lambda r: r["bptt_100_32_128"])
print(f"bptt (100,32,128), AVX2 build: {bptt:>9.0f} epochs/s = {bptt * MADDS / 1e9:.2f} G/s, "
      f"{med(lambda r: r['bptt_100_32_128'] * MADDS / 1e9 / r['peak_l2_128x128']) * 100:.0f} % of peak (goal 75 %)")
print(f"seed loop (10,5,10), AVX2 build: {med(lambda r: r['seed_10_5_10']):>9.0f} epochs/s, numpy_lean {med(lambda r: r['numpy_seed_10_5_10']):.0f} "
      f"-> {med(lambda r: r['seed_10_5_10'] / r['numpy_seed_10_5_10']):.1f}x (goal 60x)")
print(f"bptt (100,32,128) vs numpy_lean: {med(lambda r: r['numpy_bptt_100_32_128']):.0f} epochs/s numpy "
      f"-> {med(lambda r: r['bptt_100_32_128'] / r['numpy_bptt_100_32_128']):.1f}x (goal 3x)")
for case, madds, goal in (("lstm_100_32_128", 22_937_600, 0.8), ("gru_100_32_128", 17_203_200, 0.8)):
    eps = med(lambda r: r[case])
    share = med(lambda r: r[case] * madds / 1e9 / r["peak_l2_128x128"])
    print(f"{case} (BPTT, random-target), AVX2 build: {eps:>9.0f} epochs/s = {eps * madds / 1e9:.2f} G/s, "
          f"{share * 100:.0f} % of peak (goal {goal * 100:.0f} %: {goal * peak * 1e9 / madds:.0f} epochs/s)")
for case in ("seed_10_5_10", "bptt_10_5_10", "seed_100_32_128", "bptt_100_32_128", "lstm_100_32_128", "gru_100_32_128"):
    print(f"  {case:<16} AVX2 build {med(lambda r: r[case]):>9.0f}, SSE2 build {med(lambda r: r['sse2_' + case]):>9.0f} epochs/s "
          f"(SSE2/AVX2 {med(lambda r: r['sse2_' + case] / r[case]):.2f})")
for line in (d / "cli.json").read_text().splitlines():
    c = json.loads(line)
    print(f"command line, {c['spec']} for 1 epoch (process start, parsing, JSON output): {c['cli_ms_median']:.1f} ms")
w = json.loads((d / "write.json").read_text())
print(f"100,000 epochs' run file: written in {w['write_s'] * 1000:.0f} ms ({w['bytes'] / 1e6:.1f} MB), training took {w['train_s']:.2f} s")
if (d / "page.jsonl").exists():
    lines = lambda name: [json.loads(line) for line in (d / name).read_text().splitlines()]
    pages, sse2s, size = lines("page.jsonl"), lines("page_sse2.jsonl"), json.loads((d / "size.json").read_text())
    # Each page run is paired with the native SSE2 run beside it: the median of their ratios.
    ratio = statistics.median(p["epochs_per_s"] / n["epochs_per_s"] for p, n in zip(pages, sse2s))
    page_eps = statistics.median(p["epochs_per_s"] for p in pages)
    warm = statistics.median(p["warm_up_epochs_per_s"] / n["epochs_per_s"] for p, n in zip(pages, sse2s))
    print(f"page training: {page_eps:.0f} epochs/s (median of {len(pages)}) -> {ratio:.2f} of the native SSE2 build run beside it "
          f"(goal 0.7; {page_eps / bptt:.2f} of the AVX2 build's median); {warm:.2f} in its first 3 s, while V8 optimises")
    frame = statistics.median(p["frame_ms_median"] for p in pages)
    print(f"page frame, all panels at the largest sizes: median {frame} ms over the runs' medians (goal 8), "
          f"per panel (first run) {pages[0]['panel_ms_median']}")
    print(f"first frame after navigation: {statistics.median(p['first_frame_ms'] for p in pages):.0f} ms median (goal 1000)")
    print(f"wasm + js gzipped: {(size['wasm_gzip_bytes'] + size['js_gzip_bytes']) / 1024:.0f} KB (goal 300)")
    lhs = lines("lighthouse.jsonl")
    lh = lambda k: statistics.median(r[k] for r in lhs)
    each = ", ".join(f"{r['performance']:.2f}" for r in lhs)
    print(f"Lighthouse mobile, median of {len(lhs)}: performance {lh('performance'):.2f} (goal 0.95; runs {each}), "
          f"accessibility {lh('accessibility'):.2f}, "
          f"best practices {lh('best_practices'):.2f}, SEO {lh('seo'):.2f} (goals 1.00); "
          f"LCP {lh('lcp_ms') / 1000:.1f} s, TBT {lh('tbt_ms'):.0f} ms")
PY
