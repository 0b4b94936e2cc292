#!/usr/bin/env bash
# Flood test of `entente serve` (issue 16): builds (or reuses) a store of synthetic documents,
# serves it on 127.0.0.1, fires REQUESTS requests at once, and prints status counts, the time
# until /api/stats answers in under a second again, and the server's peak RSS and open files.
#
#   scripts/loadtest.sh [STORE] [DOCS] [REQUESTS]     (defaults: a store in $TMPDIR, 200000, 2000)
#
# The store is written through the store API, not `entente ingest`, which would spend most of the time coding text the flood never reads;
# delete STORE to rebuild it.
set -euo pipefail
cd "$(dirname "$0")/.."
store="${1:-${TMPDIR:-/tmp}/entente-loadtest/store-${2:-200000}.db}"
docs="${2:-200000}"
requests="${3:-2000}"
mkdir -p "$(dirname "$store")"

cargo build --release -p entente-server --example loadtest
cargo build --release -p entente-cli
exec target/release/examples/loadtest --db "$store" --docs "$docs" --requests "$requests" --entente target/release/entente
