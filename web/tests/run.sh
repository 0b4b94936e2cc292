#!/usr/bin/env bash
# Browser tests of the page: installs what they need (npm packages, Debian's chromium) and
# runs them against `entente serve` over the seed articles (or the examples without ../shared).
# Builds entente into $CARGO_TARGET_DIR (default ./target) unless ENTENTE_BIN is given.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd .. && pwd)"
command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }
npm ci --no-audit --no-fund
if [ -z "${ENTENTE_BIN:-}" ]; then
  (cd "$root" && cargo build --locked -p entente-cli)
  ENTENTE_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/entente"
fi
ENTENTE_BIN="$ENTENTE_BIN" node tests/e2e.mjs
