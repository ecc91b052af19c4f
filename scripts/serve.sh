#!/usr/bin/env bash
#! Starts the page on http://127.0.0.1:8080 (installing what is missing first). Ctrl+C stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/tools.sh"
ensure_page_tools
cd "$ROOT"
say "building and serving on http://127.0.0.1:${PORT:-8080}/ (first build takes about a minute)"
exec trunk serve --release --port "${PORT:-8080}"
