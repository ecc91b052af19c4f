#!/usr/bin/env bash
#! Installs what the page and the tests need, only what is missing. Sourced by serve.sh and test.sh.
# Everything comes from the package registries (crates.io, npm, Debian); nothing else is downloaded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pinned in Cargo.toml
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

has_version() { # has_version CMD VERSION: CMD --version prints VERSION
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if ! has_version trunk "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (about 9 minutes the first time)"
    cargo install --locked trunk --version "=$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  if ! has_version wasm-bindgen "$WASM_BINDGEN_VERSION" || ! command -v wasm-bindgen-test-runner >/dev/null; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: its lock file names a webpki-roots version the registry lacks.
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
  fi
}

ensure_npm_packages() { # binaryen (wasm-opt), playwright-core, terser and axe-core, pinned in package-lock.json
  local pkg missing=false
  [ -x "$ROOT/node_modules/.bin/wasm-opt" ] || missing=true
  for pkg in playwright-core terser axe-core; do [ -d "$ROOT/node_modules/$pkg" ] || missing=true; done
  if $missing; then
    say "installing npm packages (binaryen, playwright-core, terser, axe-core)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

apt_install() { # apt_install PACKAGE...: Debian packages, quietly
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
}

ensure_numpy() { # Debian's numpy, for /usr/bin/python3 (the numpy-script test runs the exported script)
  if ! /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1; then
    say "installing Debian's python3-numpy"
    apt_install python3 python3-numpy
  fi
}

ensure_cjk_fonts() { # Japanese glyphs for Chromium (the Japanese page's tests and screenshots)
  if ! fc-list :lang=ja 2>/dev/null | grep -q .; then
    say "installing Debian's fonts-noto-cjk"
    apt_install fontconfig fonts-noto-cjk
  fi
}

ensure_page_tools() {
  ensure_wasm_target
  ensure_npm_packages
  ensure_wasm_bindgen
  ensure_trunk
}

ensure_test_tools() {
  ensure_page_tools
  ensure_chromium
  ensure_cjk_fonts
  ensure_numpy
}
