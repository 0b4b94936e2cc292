#!/usr/bin/env bash
# The project's test command: every test of the workspace. Tests that need ../shared print
# SKIPPED when it is absent (a newcomer's clone) and run in CI, where it is present.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked --no-fail-fast
