#!/usr/bin/env bash
# Browser tests of the page: installs what they need (npm packages, Debian's chromium) and
# runs them against the example server (crates/server/examples/serve.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd .. && pwd)"
command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }
npm ci --no-audit --no-fund
(cd "$root" && cargo build --release -p entente-server --example serve)
SERVE_BIN="$root/target/release/examples/serve" node tests/e2e.mjs
