#!/usr/bin/env bash
#! Runs every test (installing what is missing first): format, lints, native tests, wasm tests in
#! headless Chromium, then end-to-end tests against the built page. Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_test_tools
cd "$ROOT"
export CHROMEDRIVER=/usr/bin/chromedriver

# --workspace / --all: the main crate and the kernel crate (kernels/, rnn-kernels) with its own tests.
say "cargo fmt --all --check"
cargo fmt --all --check
say "cargo clippy (native and wasm32, whole workspace), warnings are errors"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --workspace --target wasm32-unknown-unknown --all-targets -- -D warnings

say "native tests (kernels, model, command line)"
cargo test --release --workspace

say "no fused multiply-add in the release binary (AVX2 is chosen at run time, FMA never)"
# An FMA rounds once where wasm rounds twice, so one would change the bits the page must match.
command -v objdump >/dev/null || {
    say "installing Debian's binutils (objdump)"
    apt_install binutils
}
cargo build --release --quiet
fused=$(objdump -d --no-show-raw-insn target/release/rnn-playground | grep -ciE 'vfn?m(add|sub)' || true)
if [[ "$fused" != 0 ]]; then
    echo "target/release/rnn-playground has $fused vfmadd/vfmsub/vfnmadd/vfnmsub instructions" >&2
    exit 1
fi
echo "none: AVX2 paths use separate vmulpd and vaddpd"

say "wasm tests in headless Chromium (same numbers as native)"
cargo test --release --target wasm32-unknown-unknown --test web

say "building the page (release, as served)"
trunk build --release
say "end-to-end tests in headless Chromium"
RNN_CLI="$ROOT/target/release/rnn-playground" node --test --test-concurrency=1 tests/e2e/
