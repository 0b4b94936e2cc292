#!/usr/bin/env bash
# Browser tests of the page: installs what they need (npm packages, Debian's chromium) and
# runs them against `entente serve` over the seed articles (or the examples without ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd .. && pwd)"
command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }
npm ci --no-audit --no-fund
(cd "$root" && cargo build --locked -p entente-cli)
ENTENTE_BIN="$root/target/debug/entente" node tests/e2e.mjs
