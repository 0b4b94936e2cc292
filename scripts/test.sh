#!/usr/bin/env bash
# The project's test command: every test of the workspace. Tests that need the reference data
# in ../shared (seed articles, treebanks, gold records) print SKIPPED when it is absent (a
# newcomer's clone) and run in CI, where it is present.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d ../shared ] || [ -n "${ENTENTE_SHARED:-}" ]; then
    cargo test --workspace --locked --no-fail-fast
else
    echo "note: ../shared is not beside this clone; the tests that need it skip, each saying SKIPPED below"
    # --show-output prints the captured output of passing tests, so the skips are visible.
    cargo test --workspace --locked --no-fail-fast -- --show-output
fi
# The Python package (PyO3 + maturin; pytest in a virtual environment under target/).
bash scripts/test-python.sh
